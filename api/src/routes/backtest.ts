/**
 * POST /v1/journeys/{id}/backtest: the draft replayed over the engine's own recorded events of the
 * last N days (or a window), by the same simulate as an uploaded stream (routes/simulate.ts). The
 * events are read from the sidecar (GET /v1/events/log), bounded like an upload; nothing live is
 * written, here or on the engine.
 */
import { z } from "zod";
import { BacktestRequest, BacktestResult, parseInstant, type ErrorIssue } from "@lifeloop/shared";
import { simulate } from "@lifeloop/engine/simulate";
import { budgetUse } from "../backtest/budgets.ts";
import { recordedEvents } from "../backtest/recorded-events.ts";
import type { Deps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";
import { incrementalityOf, replaying, replayTarget } from "./simulate.ts";
import { replayPools } from "./simulate-pools.ts";

named("BacktestRequest", BacktestRequest);
named("BacktestResult", BacktestResult);

const DAY_MS = 86_400_000;
const MAX_DAYS = 30;

/** The window asked for, in epoch ms, or 400 naming the field. */
function windowOf(r: BacktestRequest, now: number): { from: number; until: number } {
  const bad = (path: string, message: string): never => {
    const issues: ErrorIssue[] = [{ path, message }];
    throw new ApiError(400, "invalid_request", `${path}: ${message}`, { issues });
  };
  if ((r.days === undefined) === (r.from === undefined)) bad("$", "send either days or from (with until)");
  if (r.days !== undefined) {
    if (r.until !== undefined) bad("$.until", "until goes with from, not with days");
    return { from: now - r.days * DAY_MS, until: now };
  }
  const from = parseInstant(r.from!) ?? bad("$.from", "an ISO-8601 instant with offset");
  const until = r.until === undefined ? now : (parseInstant(r.until) ?? bad("$.until", "an ISO-8601 instant"));
  if (from >= until) bad("$.from", "from must be before until");
  if (until - from > MAX_DAYS * DAY_MS) bad("$.from", `a backtest looks back at most ${MAX_DAYS} days`);
  return { from, until };
}

export function backtestRoutes(deps: Deps) {
  const app = newRouter();

  app.openapi(
    route(
      "viewer",
      {
        method: "post",
        path: "/journeys/{id}/backtest",
        operationId: "backtestJourney",
        tags: ["simulation"],
        summary: "Replay the engine's recorded events of the last days through the draft",
        description:
          "Reads the events the engine recorded with `at` in the window (`{days}`: the last 1 to 30 days; or " +
          "`{from, until}`), in the order it applied them, and replays them through the draft with the same " +
          "simulate as an uploaded stream, up to the window's end. At most as many events and bytes as an " +
          "upload (`truncated` says when the window held more). Budgets start from nothing. Read-only.",
        request: {
          params: z.object({ id: z.string().max(64) }),
          body: { required: true, ...json(BacktestRequest) },
        },
        responses: {
          200: { description: "What the draft would have done.", ...json(BacktestResult) },
          404: { description: "No such journey." },
          422: { description: "The draft does not compile (`compile_failed`), or a rule failed (`rule_failed`)." },
          502: { description: "The engine answered with an error (a wrong token, say)." },
          503: {
            description:
              "The engine is not configured, does not answer or cannot read its log (`engine_unreachable`, with " +
              "Retry-After), or the database is unavailable.",
            headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } },
          },
        },
      },
      { accept: ["json"], maxBytes: 4096, required: true },
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const window = windowOf(c.req.valid("json"), deps.clock().getTime());
      const { row, compiled, version } = await replayTarget(deps, id, undefined, "backtested");
      const recorded = await recordedEvents(deps.engine, window, {
        maxEvents: deps.limits.maxEvents,
        maxBytes: deps.limits.eventStreamBytes,
      });
      // A draft that compiled has its parsed document (compile answers null only for a broken outer shape).
      const document = compiled.document!;
      // The pools as a simulation has them (the samples' files): the live pools' codes are already handed out.
      const pools = replayPools(deps.samplesDir, compiled.executable, undefined);
      const result = replaying(() =>
        simulate({
          journeys: [{ executable: compiled.executable, version }],
          events: recorded.events,
          holdout: deps.holdout,
          pools,
          until: window.until,
        }),
      );
      return c.json(
        {
          journeyId: id,
          simulated: "draft" as const,
          revision: row.revision,
          worstCase: compiled.cost ?? {},
          effects: result.effects,
          trace: result.trace,
          summary: result.summary,
          stats: result.stats,
          incrementality: replaying(() =>
            incrementalityOf(deps, compiled.executable, recorded.events, window.until, pools),
          ),
          window: { from: new Date(window.from).toISOString(), until: new Date(window.until).toISOString() },
          replayed: recorded.events.length,
          truncated: recorded.truncated,
          budgets: budgetUse(document, compiled.executable.budgets, result.effects),
        },
        200,
      );
    },
  );

  return app;
}
