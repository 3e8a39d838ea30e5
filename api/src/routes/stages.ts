/**
 * The lifecycle stage report (docs/reports.md, "Lifecycle stages"):
 *   GET  /v1/reports/stages            live: the engine's recorded events (its log) replayed through the stages
 *   POST /v1/reports/stages/simulate   the same over a sample or uploaded stream
 * The stages are workspace segments (by id, in order; the five of samples/segments/lifecycle-stages.json by
 * default). The replay is the engine's own segment logic (stageReport), in-process, bounded like an upload.
 */
import { z } from "zod";
import {
  EventEnvelope,
  LIFECYCLE_STAGES,
  parseInstant,
  type Segment,
  StageOptions,
  StageReport,
  StageSpec,
  type ErrorIssue,
} from "@lifeloop/shared";
import { StageDefinitionError, stageReport, StageWindowError } from "@lifeloop/engine";
import { recordedEvents } from "../backtest/recorded-events.ts";
import type { Deps } from "../context.ts";
import { ApiError, fromZodIssues } from "../errors.ts";
import { checkEvents } from "../events.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";
import { getSegment, segmentExists, toResource } from "../segments/store.ts";
import { sampleEvents, SimulateRequest } from "./simulate.ts";

named("StageReport", StageReport);

const DAY_MS = 86_400_000;
/** How far back the live report reads the engine's log before `to`: the log's own longest window. */
const LOOKBACK_MS = 92 * DAY_MS;

const StageIds = z
  .string()
  .max(600)
  .regex(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,7}$/, "segment ids, comma-separated (at most 8)")
  .meta({ description: "The stages: workspace segment ids in order (default the five lifecycle stages)." });

const StageQuery = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  timeZone: z.string().max(64).optional(),
  interval: z.enum(["day", "week"]).optional(),
  by: z.string().max(64).optional().meta({ description: "Break down by this profile attribute." }),
  groups: z.coerce.number().int().min(1).max(20).optional(),
  stages: StageIds.optional(),
});

const StageSimulateRequest = named(
  "StageSimulateRequest",
  StageOptions.extend({
    sample: SimulateRequest.shape.sample,
    events: z.array(EventEnvelope).optional(),
    stages: z.array(z.string().max(64)).min(1).max(8).optional(),
  }),
);

const errors = {
  400: { description: "A parameter is not valid (issues name it)." },
  404: { description: "A stage is not a workspace segment, or no such sample." },
  422: { description: "The stages do not compile as segments (`compile_failed`)." },
};

function invalid(path: string, message: string): never {
  const issues: ErrorIssue[] = [{ path, message }];
  throw new ApiError(400, "invalid_request", `${path}: ${message}`, { issues });
}

/** The spec of a request: its options checked, its stages read from the workspace in the order asked. */
async function specOf(deps: Deps, options: unknown, ids: readonly string[], at: string): Promise<StageSpec> {
  const stages: Segment[] = [];
  for (const id of ids) {
    if (!(await segmentExists(deps.db)(id)))
      throw new ApiError(
        404,
        "not_found",
        `there is no workspace segment "${id}" for the stage report: create it (the five lifecycle stages ` +
          "are samples/segments/lifecycle-stages.json), or name the stages with `stages`",
      );
    const r = toResource(await getSegment(deps.db, id));
    stages.push({ id: r.id, name: r.name, description: r.description, condition: r.condition });
  }
  const parsed = StageSpec.safeParse({ ...(options as object), stages });
  if (!parsed.success) {
    const issues = fromZodIssues(parsed.error.issues, at);
    throw new ApiError(400, "invalid_request", issues[0]?.message ?? "invalid", { issues });
  }
  return parsed.data;
}

/** The report, with the engine's refusals as the API's answers. */
function computed(run: () => StageReport): StageReport {
  try {
    return run();
  } catch (e) {
    if (e instanceof StageWindowError) invalid(e.path, e.message);
    if (e instanceof StageDefinitionError)
      throw new ApiError(422, "compile_failed", e.message, { issues: e.issues.map((i) => ({ ...i })) });
    throw e;
  }
}

export function stageRoutes(deps: Deps) {
  const app = newRouter();

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/reports/stages",
      operationId: "stageReport",
      tags: ["reports"],
      summary: "Lifecycle stages: people per stage over time, weekly moves, each stage's KPIs, by group",
      description:
        "Live: the engine's recorded events of the 92 days up to `to` (GET /v1/events/log, bounded like an " +
        "upload: `truncated` says when more were there) replayed through the stages with the engine's own " +
        "segment logic; `from`..`to` (at most 92 days) is the window counted. See docs/reports.md.",
      request: { query: StageQuery },
      responses: {
        200: { description: "The report (source: live).", ...json(StageReport) },
        ...errors,
        502: { description: "The engine answered with an error (a wrong token, say)." },
        503: {
          description: "The engine is not configured or does not answer (with Retry-After).",
          headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait." } },
        },
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { stages, groups, ...rest } = q;
      const options = { ...rest, ...(groups === undefined ? {} : { groups }) };
      const spec = await specOf(deps, options, stages?.split(",") ?? LIFECYCLE_STAGES, "query");
      const to = parseInstant(spec.to)!;
      const from = parseInstant(spec.from)!;
      if (to <= from) invalid("query.to", "to must be after from");
      if (to - from > LOOKBACK_MS) invalid("query.to", "a stage report covers at most 92 days");
      const recorded = await recordedEvents(
        deps.engine,
        { from: to - LOOKBACK_MS, until: to },
        { maxEvents: deps.limits.maxEvents, maxBytes: deps.limits.eventStreamBytes },
      );
      const now = deps.clock().getTime();
      const report = computed(() =>
        stageReport(spec, recorded.events, { source: "live", generatedAt: now, truncated: recorded.truncated }),
      );
      return c.json(report, 200);
    },
  );

  app.openapi(
    route(
      "viewer",
      {
        method: "post",
        path: "/reports/stages/simulate",
        operationId: "simulateStageReport",
        tags: ["reports", "simulation"],
        summary: "The stage report over a sample or uploaded stream",
        description:
          "`{sample}` (a stream in samples/events, e.g. stages-month) or `{events}`, with the window and the " +
          "options of the live report in the body. Nothing stored is read but the stage segments.",
        request: { body: { required: true, ...json(StageSimulateRequest) } },
        responses: { 200: { description: "The report (source: simulation).", ...json(StageReport) }, ...errors },
      },
      { accept: ["json"], maxBytes: deps.limits.eventStreamBytes, required: true },
    ),
    async (c) => {
      const { sample, events, stages, ...options } = c.req.valid("json");
      if ((sample === undefined) === (events === undefined))
        throw new ApiError(400, "invalid_request", "send either {sample} or {events}", {
          issues: [{ path: "$", message: "exactly one of sample, events" }],
        });
      const stream = sample !== undefined ? sampleEvents(deps, sample) : checkEvents(events!, deps.limits.maxEvents);
      const spec = await specOf(deps, options, stages ?? LIFECYCLE_STAGES, "$");
      const now = deps.clock().getTime();
      return c.json(
        computed(() => stageReport(spec, stream, { source: "simulation", generatedAt: now })),
        200,
      );
    },
  );

  return app;
}
