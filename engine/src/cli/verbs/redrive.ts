import { RedriveResult, type RedriveRequest, type RedrivenDelivery } from "@lifeloop/shared";
import { parse } from "../args.ts";
import { CliError } from "../read.ts";
import type { Output, Verb } from "../verb.ts";

/** A bound on how many requests one command sends while the engine answers `more`. */
const MAX_REQUESTS = 1000;
const TIMEOUT_MS = 60_000;

export const redriveVerb: Verb = {
  name: "redrive",
  usage: "redrive --engine URL [--token T] (--all | --journey ID | --id SEQ…) [--json]",
  summary: "move dead deliveries on a running engine back to pending, with a fresh retry window",
  async run(argv, out) {
    const { values, positionals } = parse(argv, {
      engine: { type: "string" },
      token: { type: "string" },
      all: { type: "boolean", default: false },
      journey: { type: "string" },
      id: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
    });
    if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}"`);
    const engine = values.engine ?? process.env.LIFELOOP_ENGINE_URL;
    if (!engine) throw new CliError("name the engine: --engine http://127.0.0.1:8788 (or env LIFELOOP_ENGINE_URL)");
    let base: URL;
    try {
      base = new URL(engine);
    } catch {
      throw new CliError(`--engine: "${engine}" is not a URL`);
    }
    const selectors = [
      values.all ? "--all" : null,
      values.journey !== undefined ? "--journey" : null,
      values.id?.length ? "--id" : null,
    ].filter((s) => s !== null);
    if (selectors.length !== 1)
      throw new CliError(
        selectors.length === 0
          ? "say which dead deliveries: --all, --journey ID or --id SEQ (repeatable)"
          : `give one of ${selectors.join(", ")}, not several`,
      );
    let request: RedriveRequest;
    if (values.all) request = { all: true };
    else if (values.journey !== undefined) request = { journeyId: values.journey };
    else {
      const bad = values.id!.find((id) => !/^[1-9]\d{0,15}$/.test(id));
      if (bad !== undefined)
        throw new CliError(
          `--id: a delivery's seq (as GET /v1/messages lists it) is a whole number from 1, not "${bad}"`,
        );
      request = { ids: values.id!.map(Number) };
    }
    const token = values.token ?? process.env.LIFELOOP_SIDECAR_TOKEN;
    const url = new URL("/v1/messages/redrive", base).toString();

    const total = {
      redriven: 0,
      deliveries: [] as RedrivenDelivery[],
      skipped: [] as number[],
      retryUntil: "",
      requests: 0,
    };
    for (let more = true; more && total.requests < MAX_REQUESTS; ) {
      const r = await send(url, request, token);
      total.requests++;
      total.redriven += r.redriven;
      total.deliveries.push(...r.deliveries);
      total.skipped.push(...r.skipped);
      total.retryUntil = r.retryUntil;
      // An id re-driven once is not dead any more: only the selectors that match a set page on.
      more = r.more && !("ids" in request) && r.redriven > 0;
    }
    if (values.json) out.stdout(JSON.stringify(total, null, 2));
    else print(total, out);
    return 0;
  },
};

async function send(url: string, request: RedriveRequest, token: string | undefined): Promise<RedriveResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    const cause = (e as Error).cause as { code?: string } | undefined;
    const why =
      (e as Error).name === "TimeoutError"
        ? `no answer in ${TIMEOUT_MS / 1000} s`
        : (cause?.code ?? (e as Error).message);
    throw new CliError(`cannot reach the engine at ${url}: ${why}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (res.status === 401) throw new CliError("the engine wants a token: --token T (or env LIFELOOP_SIDECAR_TOKEN)");
  if (res.status === 404)
    throw new CliError(`no re-drive route at ${url}: is this a Lifeloop engine, and a recent one?`);
  if (!res.ok) {
    const error = (body as { error?: { message?: string; issues?: Array<{ path: string; message: string }> } } | null)
      ?.error;
    const issues = error?.issues?.map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new CliError(
      `the engine answered ${res.status}: ${error?.message ?? text.slice(0, 200)}${issues ? ` (${issues})` : ""}`,
    );
  }
  const parsed = RedriveResult.safeParse(body);
  if (!parsed.success)
    throw new CliError(
      `the engine's answer is not a re-drive result: ${parsed.error.issues[0]?.message ?? "unreadable"}`,
    );
  return parsed.data;
}

function print(
  total: { redriven: number; deliveries: RedrivenDelivery[]; skipped: number[]; retryUntil: string },
  out: Output,
): void {
  if (total.redriven === 0) out.stdout("nothing to re-drive: no dead delivery matched");
  else
    out.stdout(
      `re-drove ${total.redriven} dead deliver${total.redriven === 1 ? "y" : "ies"}: pending again, retried ` +
        `until ${total.retryUntil}`,
    );
  for (const d of total.deliveries.slice(0, 100)) {
    out.stdout(
      `  #${d.seq} ${d.key} (${d.userId}, ${d.journeyId}): ${d.previousAttempts} ` +
        `attempt${d.previousAttempts === 1 ? "" : "s"}, last error ${d.previousError ?? "none"}`,
    );
  }
  const listed = Math.min(total.deliveries.length, 100);
  if (total.redriven > listed) out.stdout(`  … and ${total.redriven - listed} more`);
  if (total.skipped.length > 0)
    out.stdout(
      `not dead (delivered, still pending, or no such delivery): ${total.skipped.map((s) => `#${s}`).join(", ")}`,
    );
}
