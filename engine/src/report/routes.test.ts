import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JourneyReport } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sidecar } from "../server/sidecar.ts";
import type { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import type { SqliteStore } from "../store/sqlite/store.ts";
import { checkedFetch } from "../testing/contract.ts";
import { startReportSidecar } from "../testing/report-sidecar.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();

// The real sidecar over HTTP, on a SQLite file and on PostgreSQL: the same answers from both.
const SAMPLES = new URL("../../../samples/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-report-routes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Has the projector folded every timeline row? (Asked of the store the sidecar runs on.) */
type CaughtUp = (s: Sidecar) => Promise<boolean>;
const sqliteCaughtUp: CaughtUp = async (s) => {
  const db = (s.store as SqliteStore).facts;
  return (
    db.prepare("SELECT coalesce(max(seq), 0) FROM report_cursors WHERE source = 'timeline'").pluck().get() ===
    db.prepare("SELECT max(seq) FROM timeline").pluck().get()
  );
};
// On PostgreSQL rows above the low-water mark are folded when they are in report_folded; both sources, folded in the
// background.
const pgCaughtUp: CaughtUp = async (s) => {
  for (const source of ["timeline", "events"]) {
    const r = await (s.store as PgStore).pool.query(
      `SELECT NOT EXISTS (SELECT 1 FROM ${source} t WHERE t.seq > (SELECT coalesce(max(seq), 0) FROM report_cursors
          WHERE source = $1)
          AND NOT EXISTS (SELECT 1 FROM report_folded f WHERE f.source = $1 AND f.seq = t.seq)) AS ok`,
      [source],
    );
    if (r.rows[0].ok !== true) return false;
  }
  return true;
};

describe("sidecar report routes (SQLite)", () => routes(() => join(dir, "engine.sqlite"), sqliteCaughtUp, true));
describe("sidecar report routes (SQLite, the projector on its thread)", () =>
  routes(() => join(dir, "engine-thread.sqlite"), sqliteCaughtUp, true, "thread"));
describePostgres("sidecar report routes (PostgreSQL)", (db) => routes(db, pgCaughtUp, false));

function routes(db: () => string, caughtUp: CaughtUp, lagGauge: boolean, reportThread?: "thread"): void {
  const clock = { now: Date.parse("2027-01-31T00:00:00Z") };
  let s: Sidecar;
  beforeAll(async () => {
    s = await startReportSidecar({
      db: db(),
      journeyFiles: [join(SAMPLES, "journeys/win-back.json")],
      now: () => clock.now,
      ...(reportThread ? { reportThread } : {}),
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${s.url}${path}`);
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      text,
      body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null,
    };
  };

  describe("report routes", () => {
    it("projects after commits, off the request, and answers the report", async () => {
      const events = readFileSync(join(SAMPLES, "events/win-back.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const res = await fetch(`${s.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(events),
      });
      expect(res.status).toBe(202);
      await s.pump();
      // The projector catches up on its own shortly after the commits.
      for (let i = 0; i < 100 && !(await caughtUp(s)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await caughtUp(s)).toBe(true);
      if (lagGauge) {
        for (
          let i = 0;
          i < 100 && !(await (await fetch(`${s.url}/metrics`)).text()).includes("lifeloop_report_lag_rows 0");
          i++
        )
          await new Promise((r) => setTimeout(r, 20));
        expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/^lifeloop_report_lag_rows 0$/m);
      }
      const r = await get("/v1/journeys/win-back/report");
      expect(r.status).toBe(200);
      const report = JourneyReport.parse(r.body);
      expect(report.totals).toEqual({
        entered: 5,
        converted: 1,
        rate: 0.2,
        active: 0,
        exited: { lapsed: 3, returned: 2 },
      });
      expect(report.winBack.map((w) => [w.nodeId, w.granted, w.returned])).toEqual([
        ["coupon_15", 4, 1],
        ["coupon_30", 3, 0],
      ]);
      expect(report.source).toBe("live");
      const weekly = await get(
        "/v1/journeys/win-back/report?cohort=week&from=2026-11-01T00:00:00%2B08:00&to=2026-11-15T00:00:00%2B08:00",
      );
      expect(weekly.body.retention.unit).toBe("week");
      // Entered 11-01 (three people) and 11-11 (u2 again); u3 comes back on 11-20, after `to`.
      expect(weekly.body.totals.entered).toBe(4);
      expect(weekly.body.retention.cohorts.map((c: { cohort: string; size: number }) => [c.cohort, c.size])).toEqual([
        ["2026-10-26", 3],
        ["2026-11-09", 1],
      ]);
    });

    it("rejects bad parameters, naming them", async () => {
      const cases: Array<[string, string]> = [
        ["/v1/journeys/win-back/report?cohort=month", "query.cohort"],
        ["/v1/journeys/win-back/report?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "query.from"],
        ["/v1/journeys/win-back/report?version=-1", "query.version"],
        ["/v1/journeys/win-back/funnel?path=login,,coupon_15", "query.path"],
        ["/v1/journeys/win-back/report.csv", "query.section"],
      ];
      for (const [path, where] of cases) {
        const r = await get(path);
        expect(r.status, path).toBe(400);
        expect(r.body.error.issues[0].path, path).toBe(where);
      }
      expect((await get("/v1/journeys/nope/report")).status).toBe(404);
      expect((await get("/v1/journeys/win-back/report?version=2")).status).toBe(404);
    });

    it("serves CSV and funnels", async () => {
      const csv = await get("/v1/journeys/win-back/report.csv?section=winback");
      expect(csv.type).toMatch(/^text\/csv/);
      expect(csv.text).toBe(
        "node,granted,returned,rate,window_days\r\ncoupon_15,4,1,0.25,15\r\ncoupon_30,3,0,0,15\r\n",
      );
      const f = await get("/v1/journeys/win-back/funnel?path=login,coupon_15,coupon_30,lapsed");
      expect(f.body.steps.map((x: { count: number }) => x.count)).toEqual([5, 4, 3, 3]);
    });

    it("serves the stats overlay, agreeing with the report", async () => {
      const stats = await get("/v1/journeys/win-back/stats");
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({
        journeyId: "win-back",
        entered: 5,
        active: 0,
        converted: 1,
        exited: { lapsed: 3, returned: 2 },
      });
      expect(stats.body.nodes.coupon_15.visits).toBe(4);
      expect((await get("/v1/journeys/nope/stats")).status).toBe(404);
    });
  });
}
