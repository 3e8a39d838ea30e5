/**
 * POST /v1/journeys/{id}/simulate: the draft (or a published version) compiled and replayed by the
 * engine's own simulate function over an uploaded event stream or a named sample, with a virtual
 * clock and an in-memory store. Nothing live is read or written.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import {
  compileJourney,
  EventEnvelope,
  SimulationResult,
  type ExecutableJourney,
  type IncrementalityReport,
} from "@lifeloop/shared";
import { simulationIncrementality } from "@lifeloop/engine";
import { RuleFailure, simulate } from "@lifeloop/engine/simulate";
import type { Deps, ParsedBody } from "../context.ts";
import { ApiError, fromCompilerIssues, fromZodIssues } from "../errors.ts";
import { checkEvents, eventsFromBody, parseLines } from "../events.ts";
import { getJourney, getVersion, latestVersion } from "../journeys/store.ts";
import { fileUpload, named, textBody, unchecked } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";
import { replayPools, SimulatePools } from "./simulate-pools.ts";

const SAMPLE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const SimulateRequest = named(
  "SimulateRequest",
  z.object({
    sample: z
      .string()
      .regex(SAMPLE_NAME)
      .optional()
      .meta({ description: "Name of a stream in samples/events (without .jsonl), e.g. activation-newcomer-gift." }),
    events: z.array(EventEnvelope).optional().meta({ description: "The events themselves, instead of a sample." }),
    until: z.iso.datetime({ offset: true }).optional(),
    pools: SimulatePools.optional(),
  }),
);

export function simulateRoutes(deps: Deps) {
  const app = newRouter();
  const maxBytes = deps.limits.eventStreamBytes;

  app.openapi(
    route(
      "viewer",
      {
        method: "post",
        path: "/journeys/{id}/simulate",
        operationId: "simulateJourney",
        tags: ["simulation"],
        summary: "Replay an event stream through the draft",
        description:
          "Send events as JSONL (application/x-ndjson), as a multipart file `file`, or as JSON: `{sample}` " +
          "for a stream from samples/events, or `{events}`. The draft must compile (422 otherwise). Time is " +
          "virtual: waits and timeouts run up to `until` (default: the last event plus the longest the " +
          "journey can wait). A pool a reward draws from is the body's `pools` entry, else the sample's " +
          "(samples/pools/<pool>.csv), else empty.",
        request: {
          params: z.object({ id: z.string().max(64) }),
          query: z.object({
            version: z.coerce
              .number()
              .int()
              .min(1)
              .optional()
              .meta({ description: "Replay this published version instead of the draft." }),
            until: z.iso.datetime({ offset: true }).optional(),
          }),
          body: {
            required: true,
            content: {
              "application/json": { schema: unchecked(SimulateRequest) },
              "application/x-ndjson": textBody("One EventEnvelope per line."),
              "multipart/form-data": fileUpload("A JSONL file."),
            },
          },
        },
        responses: {
          200: { description: "What the engine did.", ...json(SimulationResult) },
          404: { description: "No such journey, version or sample." },
          422: {
            description:
              "The draft does not compile (`compile_failed`), or one of its rules failed on the events " +
              "replayed, e.g. over a run-time limit (`rule_failed`, with `failure`: the evaluator's code, " +
              "the node, the rule's path, the person and the event).",
          },
        },
      },
      { accept: ["json", "ndjson", "multipart"], maxBytes, required: true },
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const { row, compiled, events, until, version, pools } = await replayRequest(
        deps,
        id,
        q,
        c.get("body"),
        "simulated",
      );
      const result = replaying(() =>
        simulate({
          journeys: [{ executable: compiled.executable, version }],
          events,
          pools,
          holdout: deps.holdout,
          levels: deps.levels,
          ...(until !== undefined ? { until } : {}),
        }),
      );
      return c.json(
        {
          journeyId: id,
          simulated: q.version ?? ("draft" as const),
          revision: row.revision,
          worstCase: compiled.cost ?? {},
          effects: result.effects,
          trace: result.trace,
          summary: result.summary,
          stats: result.stats,
          incrementality: replaying(() => incrementalityOf(deps, compiled.executable, events, until, pools)),
        },
        200,
      );
    },
  );

  return app;
}

/**
 * The holdout's incrementality for the simulated stream, when the workspace holdout covers the journey and it has
 * a goal. The engine replays the stream once more to write what the durable runtime would (its holdout notes
 * included) and reads it with the live report's own queries, so the figures are the live report's for these events.
 */
export function incrementalityOf(
  deps: Deps,
  executable: ExecutableJourney,
  events: EventEnvelope[],
  until: string | number | undefined,
  pools: Record<string, string[]>,
): IncrementalityReport | null {
  const holdout = deps.holdout;
  if (!holdout || !executable.goal) return null;
  if (holdout.journeys !== "all" && !holdout.journeys.includes(executable.journeyId)) return null;
  return simulationIncrementality({
    journeys: [executable],
    holdout,
    events,
    pools,
    ...(until !== undefined ? { until } : {}),
  });
}

/**
 * What a replay takes from a request, for /simulate and /report/simulate alike: the events (a named
 * sample, `{events}`, JSONL or an uploaded file), `until`, the journey compiled at the version
 * asked for (the draft by default; 422 when it does not compile) and the coupon pools it draws from.
 */
export async function replayRequest(
  deps: Deps,
  id: string,
  q: { version?: number | undefined; until?: string | undefined },
  body: ParsedBody,
  doing: "simulated" | "measured",
) {
  let events: EventEnvelope[];
  let until = q.until;
  let given: Record<string, string[]> | undefined;
  if (body.kind === "json" && !Array.isArray(body.value)) {
    const parsed = SimulateRequest.safeParse(body.value);
    if (!parsed.success) {
      const issues = fromZodIssues(parsed.error.issues, "$");
      throw new ApiError(400, "invalid_request", issues[0]?.message ?? "invalid", { issues });
    }
    const r = parsed.data;
    if ((r.sample === undefined) === (r.events === undefined))
      throw new ApiError(400, "invalid_request", "send either {sample} or {events}", {
        issues: [{ path: "$", message: "exactly one of sample, events" }],
      });
    events = r.sample !== undefined ? sampleEvents(deps, r.sample) : checkEvents(r.events!, deps.limits.maxEvents);
    until ??= r.until;
    given = r.pools;
  } else {
    events = await eventsFromBody(body, deps.limits.eventStreamBytes, deps.limits.maxEvents);
  }
  const target = await replayTarget(deps, id, q.version, doing);
  return { ...target, events, until, pools: replayPools(deps.samplesDir, target.compiled.executable, given) };
}

/**
 * The journey a replay runs: the draft (or a published version) compiled, 422 when it does not
 * compile, and the version number it runs as (the draft: the next one).
 */
export async function replayTarget(
  deps: Deps,
  id: string,
  asked: number | undefined,
  doing: "simulated" | "measured" | "backtested",
) {
  const row = await getJourney(deps.db, id);
  const document = asked !== undefined ? (await getVersion(deps.db, id, asked)).document : row.draft;
  const compiled = compileJourney(JSON.parse(document));
  if (!compiled.ok || !compiled.executable) {
    throw new ApiError(422, "compile_failed", `journey "${id}" does not compile, so it cannot be ${doing}`, {
      issues: fromCompilerIssues(compiled.issues),
    });
  }
  const version = asked ?? ((await latestVersion(deps.db, id))?.version ?? 0) + 1;
  return { row, compiled: { ...compiled, executable: compiled.executable }, version };
}

/**
 * Runs a replay, answering 422 `rule_failed` when a rule fails on the replayed events (over a
 * run-time limit, say): the journey validated, but this stream's data pushes one of its rules past
 * what the engine allows. Said where and for whom, like a compile error; not a server fault.
 */
export function replaying<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RuleFailure)) throw e;
    const who = e.userId === null ? "" : ` for ${e.userId}${e.eventId === null ? "" : ` on event ${e.eventId}`}`;
    const where = e.nodeId === null ? e.path : `node "${e.nodeId}" (${e.path})`;
    throw new ApiError(422, "rule_failed", `the rule of ${where} failed${who}: ${e.code}: ${e.detail}`, {
      issues: [
        {
          path: e.operatorPath,
          ...(e.nodeId !== null ? { nodeId: e.nodeId } : {}),
          ...(e.field !== null ? { field: e.field } : {}),
          message: e.detail,
          code: e.code,
          severity: "error",
        },
      ],
      failure: {
        code: e.code,
        journeyId: e.journeyId,
        nodeId: e.nodeId,
        path: e.path,
        rulePath: e.rulePath,
        userId: e.userId,
        eventId: e.eventId,
      },
    });
  }
}

export function sampleEvents(deps: Deps, name: string): EventEnvelope[] {
  const file = join(deps.samplesDir, "events", `${name}.jsonl`);
  if (!SAMPLE_NAME.test(name) || !existsSync(file))
    throw new ApiError(404, "not_found", `there is no sample event stream "${name}"`);
  return checkEvents(parseLines(readFileSync(file, "utf8"), deps.limits.eventStreamBytes), deps.limits.maxEvents);
}
