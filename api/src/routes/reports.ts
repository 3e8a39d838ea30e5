/**
 * Journey reports (the measurement playbook):
 *   GET  /v1/journeys/{id}/report            live figures, forwarded to the engine sidecar
 *   GET  /v1/journeys/{id}/funnel?path=a,b,c  live funnel along a path, forwarded
 *   GET  /v1/journeys/{id}/report.csv        one section as CSV, forwarded
 *   POST /v1/journeys/{id}/report/simulate   the draft (or a version) measured over a stream, in-process,
 *                                            with the engine's own projector and queries
 *   GET  /v1/reports/incrementality          exposed against held-out people (the workspace holdout), forwarded
 * The engine computes live reports from its fact tables; the API checks the journey and the query,
 * then asks it. When the engine does not answer, 502 says so.
 */
import { z } from "zod";
import { CSV_SECTIONS, FunnelReport, IncrementalityReport, JourneyReport } from "@lifeloop/shared";
import { simulationReport } from "@lifeloop/engine";
import type { Deps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { getJourney } from "../journeys/store.ts";
import { fileUpload, named, textBody, unchecked } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";
import { replaying, replayRequest, SimulateRequest } from "./simulate.ts";

named("JourneyReport", JourneyReport);
named("FunnelReport", FunnelReport);
named("IncrementalityReport", IncrementalityReport);

const instant = z.iso.datetime({ offset: true });
const By = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a profile attribute name")
  .meta({
    description:
      "A profile attribute (e.g. channel): the report also answers per group of its value when people entered " +
      "(`breakdown`; the 20 largest groups, the rest pooled as (other)).",
  });
const ReportQuery = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: "One published version; without it, every version together." }),
  from: instant.optional().meta({ description: "Entries from this instant (ISO-8601 with offset)." }),
  to: instant.optional().meta({ description: "Entries up to this instant; default now." }),
  cohort: z.enum(["day", "week"]).optional().meta({ description: "Retention cohorts by entry day (default) or week." }),
  by: By.optional(),
});
const Params = z.object({ id: z.string().max(64) });
const errors = {
  400: { description: "A query parameter is not valid (issues name it: query.version, query.path…)." },
  404: { description: "No such journey, or the engine runs no (such) version of it." },
  502: { description: "The engine sidecar did not answer." },
  503: { description: "No engine is configured (LIFELOOP_ENGINE_URL)." },
};

export function reportRoutes(deps: Deps) {
  const app = newRouter();

  /** GET from the engine; its 4xx answers are passed on as they are, a failure to answer is 502. */
  async function forward(path: string, query: Record<string, string | undefined>): Promise<Response> {
    const engine = deps.engine;
    if (!engine)
      throw new ApiError(
        503,
        "engine_not_configured",
        "no engine is configured: start the API with LIFELOOP_ENGINE_URL set to the engine sidecar's address",
      );
    const qs = new URLSearchParams(
      Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
    ).toString();
    const url = `${engine.url}${path}${qs ? `?${qs}` : ""}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: engine.token ? { authorization: `Bearer ${engine.token}` } : {},
        signal: AbortSignal.timeout(engine.timeoutMs ?? 10_000),
      });
    } catch (e) {
      const cause = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new ApiError(
        502,
        "engine_unreachable",
        `the engine at ${engine.url} did not answer (${cause}); live reports come from it`,
      );
    }
    if (res.status >= 500 || res.status === 401) {
      const text = await res.text();
      throw new ApiError(
        502,
        "engine_error",
        `the engine at ${engine.url} answered ${res.status}` +
          (res.status === 401 ? " (set LIFELOOP_SIDECAR_TOKEN to the token it was started with)" : "") +
          `: ${text.slice(0, 200)}`,
      );
    }
    return res;
  }

  /** The engine's 400/404 body as ours (same error shape), anything else through. */
  async function relay(res: Response): Promise<unknown> {
    const body = (await res.json()) as {
      error?: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
    };
    if (res.status !== 200)
      throw new ApiError(
        res.status === 404 ? 404 : 400,
        body.error?.code ?? "engine_error",
        body.error?.message ?? `the engine answered ${res.status}`,
        body.error?.issues ? { issues: body.error.issues } : {},
      );
    return body;
  }

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/report",
      operationId: "journeyReport",
      tags: ["reports"],
      summary: "The journey's report: conversion, nodes, experiments, retention, win-back, tiers, spend",
      description:
        "Live figures from the engine's fact tables (projected from what the engine committed, brought up to " +
        "date before answering). Experiments: two-proportion z-test (95 % Wald interval of the difference, " +
        "pooled two-sided p-value) and a chi-square sample-ratio-mismatch check; see docs/reports.md.",
      request: { params: Params, query: ReportQuery },
      responses: { 200: { description: "The report.", ...json(JourneyReport) }, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getJourney(deps.db, id);
      const q = c.req.valid("query");
      const body = await relay(
        await forward(`/v1/journeys/${encodeURIComponent(id)}/report`, {
          version: q.version?.toString(),
          from: q.from,
          to: q.to,
          cohort: q.cohort,
          by: q.by,
        }),
      );
      return c.json(body as JourneyReport, 200);
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/funnel",
      operationId: "journeyFunnel",
      tags: ["reports"],
      summary: "How many entries reached each node of a path, in order",
      request: {
        params: Params,
        query: z.object({
          path: z
            .string()
            .min(1, "give the node ids of the path, comma-separated: ?path=a,b,c")
            .max(2000)
            .meta({ description: "Node ids, comma-separated: trigger,experiment,reward." }),
          version: z.coerce.number().int().min(1).optional(),
        }),
      },
      responses: { 200: { description: "The funnel.", ...json(FunnelReport) }, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getJourney(deps.db, id);
      const q = c.req.valid("query");
      const body = await relay(
        await forward(`/v1/journeys/${encodeURIComponent(id)}/funnel`, {
          path: q.path,
          version: q.version?.toString(),
        }),
      );
      return c.json(body as FunnelReport, 200);
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/report.csv",
      operationId: "journeyReportCsv",
      tags: ["reports"],
      summary: "One section of the report as CSV",
      description:
        "RFC 4180: a header row, CRLF line ends, quoted fields where needed. Amounts are integers in minor " +
        "units beside a unit column.",
      request: { params: Params, query: ReportQuery.extend({ section: z.enum(CSV_SECTIONS) }) },
      responses: { 200: { description: "CSV.", content: { "text/csv": { schema: z.string() } } }, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await getJourney(deps.db, id);
      const q = c.req.valid("query");
      const res = await forward(`/v1/journeys/${encodeURIComponent(id)}/report.csv`, {
        section: q.section,
        version: q.version?.toString(),
        from: q.from,
        to: q.to,
        cohort: q.cohort,
        by: q.by,
      });
      if (res.status !== 200) await relay(res);
      return c.body(await res.text(), 200, {
        "content-type": res.headers.get("content-type") ?? "text/csv; charset=utf-8",
        "content-disposition":
          res.headers.get("content-disposition") ?? `attachment; filename="${id}-${q.section}.csv"`,
      });
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/reports/incrementality",
      operationId: "incrementalityReport",
      tags: ["reports"],
      summary: "Exposed against held-out people: lift with 95 % intervals, cost per incremental conversion",
      description:
        "Live figures from the engine: per live journey with a goal that the workspace holdout (LIFELOOP_HOLDOUT) " +
        "covers, and pooled, the conversion of people the journeys reached against people the holdout kept " +
        "out over `[from, to]`; Newcombe's hybrid score interval for the difference, the log risk-ratio " +
        "interval for the relative lift; see docs/reports.md, Incrementality.",
      request: { query: ReportQuery.pick({ from: true, to: true }) },
      responses: {
        200: { description: "The report.", ...json(IncrementalityReport) },
        400: errors[400],
        502: errors[502],
        503: errors[503],
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const body = await relay(await forward("/v1/reports/incrementality", { from: q.from, to: q.to }));
      return c.json(body as IncrementalityReport, 200);
    },
  );

  const maxBytes = deps.limits.eventStreamBytes;
  app.openapi(
    route(
      "viewer",
      {
        method: "post",
        path: "/journeys/{id}/report/simulate",
        operationId: "simulateJourneyReport",
        tags: ["reports", "simulation"],
        summary: "Measure the draft over an event stream before publishing",
        description:
          "The same report as live, computed from a simulation: the draft (or `?version=`) replayed over " +
          "`{sample}` (a stream in samples/events, e.g. ab-onboarding-month) or `{events}`, JSONL or a " +
          "multipart file, with a virtual clock up to `until`; the engine's projector and queries run over " +
          "an in-memory database. Nothing stored is read or written.",
        request: {
          params: Params,
          query: z.object({
            version: z.coerce
              .number()
              .int()
              .min(1)
              .optional()
              .meta({ description: "Measure this published version instead of the draft." }),
            until: instant.optional(),
            cohort: z.enum(["day", "week"]).optional(),
            by: By.optional(),
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
          200: { description: "The report (source: simulation).", ...json(JourneyReport) },
          404: errors[404],
          422: {
            description:
              "The journey does not compile (`compile_failed`), or a rule failed on the events replayed " +
              "(`rule_failed`, see simulateJourney).",
          },
        },
      },
      { accept: ["json", "ndjson", "multipart"], maxBytes, required: true },
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const { compiled, events, until, version, pools } = await replayRequest(deps, id, q, c.get("body"), "measured");
      const report = replaying(() =>
        simulationReport({
          journey: compiled.executable,
          version,
          events,
          pools,
          holdout: deps.holdout,
          ...(until !== undefined ? { until } : {}),
          ...(q.cohort ? { cohort: q.cohort } : {}),
          ...(q.by ? { by: q.by } : {}),
        }),
      );
      return c.json(report, 200);
    },
  );

  return app;
}
