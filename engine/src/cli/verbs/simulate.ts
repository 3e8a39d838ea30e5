import { readFileSync, statSync } from "node:fs";
import { compileJourney } from "@lifeloop/shared";
import { parseChannelCaps, type ChannelCap } from "../../core/gates/channel-cap.ts";
import type { EffectRecord } from "../../effects/record.ts";
import { parseEventStream, RuleFailure, simulate } from "../../simulate.ts";
import { parse } from "../args.ts";
import { CliError, readJsonFile } from "../read.ts";
import type { Output, Verb } from "../verb.ts";
import { formatIssue } from "./validate.ts";

const MAX_STREAM_BYTES = 256 * 1024 * 1024;

export const simulateVerb: Verb = {
  name: "simulate",
  usage:
    "simulate --journey FILE [--journey FILE…] --events FILE.jsonl [--until ISO] [--format jsonl|table] [--trace] " +
    "[--channel-caps push:3/day,… [--channel-caps-tz ZONE]]",
  summary: "replay an event stream through journeys with a virtual clock; print every effect, then counts and cost",
  run(argv, out) {
    const { values, positionals } = parse(argv, {
      journey: { type: "string", multiple: true },
      events: { type: "string" },
      until: { type: "string" },
      format: { type: "string", default: "jsonl" },
      trace: { type: "boolean", default: false },
      "channel-caps": { type: "string" },
      "channel-caps-tz": { type: "string", default: "UTC" },
    });
    if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}"`);
    if (!values.journey?.length) throw new CliError("name at least one --journey FILE");
    if (!values.events) throw new CliError("name the event stream: --events FILE.jsonl");
    if (values.format !== "jsonl" && values.format !== "table")
      throw new CliError(`--format is jsonl or table, not "${values.format}"`);

    const journeys = [];
    const fileOf = new Map<string, string>();
    for (const file of values.journey) {
      const r = compileJourney(readJsonFile(file));
      if (!r.executable) {
        for (const i of r.issues) out.stderr(formatIssue(file, i));
        throw new CliError(`${file} does not compile`);
      }
      journeys.push({ executable: r.executable });
      fileOf.set(r.executable.journeyId, file);
    }
    const ids = journeys.map((j) => j.executable.journeyId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice) throw new CliError(`two journeys have the id "${twice}"`);

    let text: string;
    try {
      if (statSync(values.events).size > MAX_STREAM_BYTES)
        throw new CliError(`${values.events} is larger than ${MAX_STREAM_BYTES} bytes`);
      text = readFileSync(values.events, "utf8");
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot read ${values.events}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const stream = parseEventStream(text);
    if (stream.problems.length > 0) {
      for (const p of stream.problems.slice(0, 50)) out.stderr(`${values.events}:${p.line}: ${p.path}: ${p.message}`);
      throw new CliError(`${stream.problems.length} bad line(s) in ${values.events}; nothing was simulated`);
    }
    if (values.until !== undefined && Number.isNaN(Date.parse(values.until)))
      throw new CliError(`--until "${values.until}" is not an ISO instant`);

    // The sidecar's LIFELOOP_CHANNEL_CAPS, so the replay refuses what live would.
    let channelCaps: ChannelCap[] = [];
    try {
      channelCaps = parseChannelCaps(values["channel-caps"] ?? "", values["channel-caps-tz"] ?? "UTC");
    } catch (e) {
      throw new CliError(`--channel-caps: ${(e as Error).message}`);
    }

    let result: ReturnType<typeof simulate>;
    try {
      result = simulate({
        journeys,
        events: stream.events,
        ...(values.until ? { until: values.until } : {}),
        ...(channelCaps.length ? { channelCaps } : {}),
      });
    } catch (e) {
      // The rule and this stream's data together went over a limit: the author's to fix, not a crash.
      if (!(e instanceof RuleFailure)) throw e;
      throw new CliError(`${fileOf.get(e.journeyId) ?? e.journeyId}: ${e.message}; the replay stopped there`);
    }
    const lines = values.trace
      ? [...result.effects, ...result.trace.map((t) => ({ ...t, kind: "trace" }))].sort((a, b) =>
          a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
        )
      : result.effects;
    if (values.format === "jsonl") {
      for (const e of lines) out.stdout(JSON.stringify(e));
      for (const s of result.summary) out.stdout(JSON.stringify({ summary: "journey", ...s }));
      out.stdout(JSON.stringify({ summary: "run", ...result.stats }));
    } else {
      printTable(lines as EffectRecord[], result, out);
    }
    return 0;
  },
};

const DETAIL_SKIP = new Set(["at", "userId", "journeyId", "version", "nodeId", "kind"]);

function detail(e: Record<string, unknown>): string {
  return Object.entries(e)
    .filter(([k, v]) => !DETAIL_SKIP.has(k) && v !== null)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

function printTable(effects: EffectRecord[], result: ReturnType<typeof simulate>, out: Output): void {
  const rows = effects.map((e) => [
    e.at.replace("T", " ").replace(".000Z", "Z"),
    e.userId,
    `${e.journeyId}@${e.version ?? ""}`,
    e.nodeId ?? "",
    e.kind,
    detail(e),
  ]);
  const head = ["at", "user", "journey", "node", "kind", "detail"];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  out.stdout(fmt(head));
  for (const r of rows) out.stdout(fmt(r));
  for (const s of result.summary) {
    out.stdout("");
    out.stdout(`${s.journeyId}: ${s.entered} entered, ${s.converted} converted, exits ${JSON.stringify(s.exited)}`);
    for (const [id, n] of Object.entries(s.nodes)) {
      const extra = [
        n.granted ? `granted ${n.granted}` : "",
        Object.keys(n.refused).length ? `refused ${JSON.stringify(n.refused)}` : "",
        n.messages ? `messages ${n.messages}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      out.stdout(
        `  ${id.padEnd(24)} arrived ${String(n.arrived).padStart(6)}  ` +
          `left ${JSON.stringify(n.left)}${extra ? `  ${extra}` : ""}`,
      );
    }
    for (const [unit, c] of Object.entries(s.cost)) out.stdout(`  cost: ${c.grants} grant(s), ${c.amount} ${unit}`);
  }
  out.stdout("");
  out.stdout(
    `${result.stats.events} events (${result.stats.duplicates} duplicates), ${result.stats.users} people, ` +
      `clock run to ${result.stats.until ?? "-"}`,
  );
}
