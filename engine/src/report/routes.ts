/**
 * The sidecar's report routes:
 *   GET /v1/journeys/:id/report[?version=&from=&to=&cohort=day|week&by=<profile attribute>]
 *   GET /v1/journeys/:id/funnel?path=a,b,c[&version=]
 *   GET /v1/journeys/:id/report.csv?section=nodes|experiments|retention|winback|coupons|tiers|spend|groups|
 *     group_experiments[&version=&from=&to=&cohort=&by=]
 *   GET /v1/reports/incrementality[?from=&to=]
 * Each projects what is committed first, so the answer is fresh.
 */
import type { Context, Hono } from "hono";
import type { World } from "../core/index.ts";
import {
  CSV_SECTIONS,
  parseInstant,
  reportCsv,
  type CsvSection,
  type FunnelReport,
  type IncrementalityReport,
  type JourneyReport,
  JourneyId,
} from "@lifeloop/shared";
import { BY_PATTERN } from "./breakdown.ts";
import { executableFor, type ReportOptions, type Reports } from "./index.ts";

/** What the routes read reports from: Reports (SQLite, synchronous) or PgReports (PostgreSQL). */
export interface ReportSource {
  report(journeyId: JourneyId, options: ReportOptions): JourneyReport | null | Promise<JourneyReport | null>;
  funnel(journeyId: JourneyId, path: string[], version: number | null): FunnelReport | Promise<FunnelReport>;
  incrementality(options: { from?: number | null; to?: number }): IncrementalityReport | Promise<IncrementalityReport>;
}

/**
 * SQLite reports read on the caller's connection, each after `catchUp` has folded what is committed
 * (in slices on the loop, or on the projector's thread).
 */
export function reportsAfter(reports: Reports, catchUp: () => Promise<unknown>): ReportSource {
  return {
    async report(journeyId, options) {
      await catchUp();
      return reports.reportAsProjected(journeyId, options);
    },
    async funnel(journeyId, path, version) {
      await catchUp();
      return reports.queries.funnel(journeyId, path, version);
    },
    async incrementality(options) {
      await catchUp();
      return reports.incrementalityAsProjected(options);
    },
  };
}

type Issue = { path: string; message: string };

/**
 * The journey a URL names, parsed at this edge; null when it is no journey id, which no running
 * journey has: the routes answer 404 for it as for any journey the engine does not run.
 */
export function journeyParam(raw: string): JourneyId | null {
  const parsed = JourneyId.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

class QueryError extends Error {
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  }
}

const MAX_PATH = 20;

/** version, from, to and cohort from a query string, checked; every problem named with where. */
function readReportQuery(q: Record<string, string | undefined>): ReportOptions {
  const issues: Issue[] = [];
  const out: ReportOptions = {};
  if (q.version !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(q.version))
      issues.push({ path: "query.version", message: `a version is a whole number from 1, not "${q.version}"` });
    else out.version = Number(q.version);
  }
  for (const key of ["from", "to"] as const) {
    const text = q[key];
    if (text === undefined) continue;
    const t = parseInstant(text);
    if (t === null)
      issues.push({
        path: `query.${key}`,
        message: `an ISO-8601 instant with offset, e.g. 2026-11-01T00:00:00+08:00, not "${text}"`,
      });
    else out[key] = t;
  }
  if (out.from !== undefined && out.to !== undefined && out.from! > out.to)
    issues.push({ path: "query.from", message: "from is after to" });
  if (q.cohort !== undefined) {
    if (q.cohort !== "day" && q.cohort !== "week")
      issues.push({ path: "query.cohort", message: `cohort is day or week, not "${q.cohort}"` });
    else out.cohort = q.cohort;
  }
  if (q.by !== undefined) {
    if (!BY_PATTERN.test(q.by))
      issues.push({ path: "query.by", message: `by is a profile attribute's name, not "${q.by.slice(0, 80)}"` });
    else out.by = q.by;
  }
  if (issues.length > 0) throw new QueryError(issues);
  return out;
}

/** `?path=a,b,c`: node ids of the journey (the version asked for, or the live one), in order. */
function readFunnelPath(text: string | undefined, nodeIds: readonly string[]): string[] {
  if (text === undefined || text.trim() === "")
    throw new QueryError([
      { path: "query.path", message: "give the node ids of the path, comma-separated: ?path=a,b,c" },
    ]);
  const path = text.split(",").map((s) => s.trim());
  if (path.length > MAX_PATH)
    throw new QueryError([{ path: "query.path", message: `a path has at most ${MAX_PATH} nodes, not ${path.length}` }]);
  const known = new Set(nodeIds);
  const unknown = path.filter((id) => !known.has(id));
  if (path.some((id) => id === ""))
    throw new QueryError([{ path: "query.path", message: "an empty node id (two commas in a row?)" }]);
  if (unknown.length > 0)
    throw new QueryError([
      { path: "query.path", message: `no node ${unknown.map((id) => `"${id}"`).join(", ")} in this journey` },
    ]);
  return path;
}

function readCsvSection(text: string | undefined): CsvSection {
  if (text === undefined || !(CSV_SECTIONS as readonly string[]).includes(text)) {
    throw new QueryError([
      {
        path: "query.section",
        message: `section is one of ${CSV_SECTIONS.join(", ")}${text === undefined ? "" : `, not "${text}"`}`,
      },
    ]);
  }
  return text as CsvSection;
}

export function reportRoutes(app: Hono, reports: ReportSource, world: () => World): void {
  const bad = (c: Context, e: unknown) => {
    if (!(e instanceof QueryError)) throw e;
    return c.json({ error: { code: "invalid_request", message: e.message, issues: e.issues } }, 400);
  };
  const missing = (c: Context, id: string, version: number | null | undefined) =>
    c.json(
      {
        error: {
          code: "not_found",
          message: version
            ? `the engine runs no version ${version} of journey "${id}"`
            : `the engine runs no published version of journey "${id}"`,
        },
      },
      404,
    );

  app.get("/v1/journeys/:id/report", async (c) => {
    const id = c.req.param("id");
    let options: ReportOptions;
    try {
      options = readReportQuery(c.req.query());
    } catch (e) {
      return bad(c, e);
    }
    const journeyId = journeyParam(id);
    const report = journeyId === null ? null : await reports.report(journeyId, options);
    return report ? c.json(report) : missing(c, id, options.version);
  });

  app.get("/v1/journeys/:id/report.csv", async (c) => {
    const id = c.req.param("id");
    let options: ReportOptions;
    let section: CsvSection;
    try {
      options = readReportQuery(c.req.query());
      section = readCsvSection(c.req.query("section"));
    } catch (e) {
      return bad(c, e);
    }
    const journeyId = journeyParam(id);
    const report = journeyId === null ? null : await reports.report(journeyId, options);
    if (!report) return missing(c, id, options.version);
    return c.body(reportCsv(report, section), 200, {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${id.replace(/[^\w.-]/g, "_")}-${section}.csv"`,
    });
  });

  app.get("/v1/journeys/:id/funnel", async (c) => {
    const id = c.req.param("id");
    let path: string[];
    let version: number | null;
    let journeyId: JourneyId | null;
    try {
      version = readReportQuery({ version: c.req.query("version") }).version ?? null;
      journeyId = journeyParam(id);
      const exe = journeyId === null ? null : executableFor(world(), journeyId, version);
      if (!exe || journeyId === null) return missing(c, id, version);
      path = readFunnelPath(c.req.query("path"), Object.keys(exe.nodes));
    } catch (e) {
      return bad(c, e);
    }
    return c.json(await reports.funnel(journeyId, path, version));
  });

  app.get("/v1/reports/incrementality", async (c) => {
    let options: ReportOptions;
    try {
      options = readReportQuery({ from: c.req.query("from"), to: c.req.query("to") });
    } catch (e) {
      return bad(c, e);
    }
    return c.json(
      await reports.incrementality({
        ...(options.from !== undefined ? { from: options.from } : {}),
        ...(options.to !== undefined ? { to: options.to } : {}),
      }),
    );
  });
}
