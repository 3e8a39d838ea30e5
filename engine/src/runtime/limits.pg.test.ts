/**
 * Pacing and caps per identifier under contention on PostgreSQL: three workers (each its own store,
 * pool and engine, as three sidecar processes have) take a crowd of deposits and check-ins at once.
 * Today's allowance of a paced budget and a device's daily cap hold across them, exactly.
 */
import { readFileSync } from "node:fs";
import {
  compileJourney,
  EventId,
  type ExecutableJourney,
  JourneyId,
  parseUntrustedJson,
  UserId,
} from "@lifeloop/shared";
import { expect, it } from "vitest";
import { type CoreEvent, World } from "../core/index.ts";
import { PgReports } from "../report/pg.ts";
import { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { DurableEngine } from "./durable.ts";

const SAMPLES = new URL("../../../samples/journeys/", import.meta.url);

/** A sample journey with its reward node's params changed, compiled. */
function sample(name: string, params: (p: Record<string, unknown>) => Record<string, unknown>): ExecutableJourney {
  // A sample journey file is an object with a list of nodes; the reward's params are replaced whole.
  const doc = parseUntrustedJson(readFileSync(new URL(`${name}.json`, SAMPLES), "utf8")) as {
    nodes: Array<{ kind: string; params: Record<string, unknown> }>;
  };
  for (const n of doc.nodes) if (n.kind === "reward") n.params = params(n.params);
  const r = compileJourney(doc);
  if (!r.executable) throw new Error(JSON.stringify(r.issues));
  return r.executable;
}

// ¥1,000 of ¥5 coupons spent evenly through 5 November: ¥200.00 (40 coupons) on 1 November, and
// as much on the 2nd once the 1st spent it all. Devices: 5 check-ins a day each.
const paced = sample("paced-coupons", (p) => ({ ...p, budget: { ...(p.budget as object), amount: 100_000 } }));
const checkin = sample("checkin-device-cap", (p) => ({
  ...p,
  identifierCap: { key: "device_id", count: 5, period: "day" },
}));
const world = () =>
  new World(
    [paced, checkin].map((executable) => ({
      journeyId: JourneyId.parse(executable.journeyId),
      status: "live" as const,
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep" as const, executable }],
    })),
  );

/** 150 deposits and 150 check-ins (on 3 devices) a local day, each by someone new that day. */
function crowd(day: string): CoreEvent[] {
  const start = Date.parse(`${day}T02:00:00Z`);
  return Array.from({ length: 150 }, (_, i): CoreEvent[] => [
    {
      id: EventId.parse(`dep-${day}-${i}`),
      userId: UserId.parse(`${day}-p${i}`),
      type: "deposit",
      at: start + i * 1000,
      props: { amount: 100_000 },
    },
    {
      id: EventId.parse(`chk-${day}-${i}`),
      userId: UserId.parse(`c${i}`),
      type: "checkin",
      at: start + i * 1000 + 500,
      props: { device_id: `d${i % 3}` },
    },
  ]).flat();
}

describePostgres("paced budgets and device caps from three workers on PostgreSQL", (db) => {
  it("never pass today's allowance nor a device's daily cap, whichever worker takes each event", async () => {
    const stores = await Promise.all([0, 1, 2].map(() => PgStore.open({ url: db() })));
    const engines = stores.map((s) => new DurableEngine(s, world(), { now: () => Date.parse("2026-11-03T00:00:00Z") }));
    try {
      for (const day of ["2026-11-01", "2026-11-02"]) {
        const events = crowd(day);
        // Each worker takes every third event, in batches of 5 sent all at once, the three workers together.
        await Promise.all(
          engines.map(async (engine, w) => {
            const mine = events.filter((_, i) => i % 3 === w);
            const batches = Array.from({ length: Math.ceil(mine.length / 5) }, (_, i) => mine.slice(i * 5, i * 5 + 5));
            await Promise.all(batches.map((b) => engine.ingest(b)));
          }),
        );
      }
      const q = async (sql: string, args: unknown[] = []) => (await stores[0]!.pool.query(sql, args)).rows;
      const grants = await q(
        "SELECT journey_id AS j, " +
          "to_char(to_timestamp(at / 1000) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, " +
          "count(*)::int AS n, sum(amount)::int AS amount FROM ledger WHERE entry = 'grant' " +
          "GROUP BY 1, 2 ORDER BY 1, 2",
      );
      expect(grants).toEqual([
        // 3 devices × 5 a day, of 150 check-ins a day.
        { j: "checkin-device-cap", day: "2026-11-01", n: 15, amount: 150 },
        { j: "checkin-device-cap", day: "2026-11-02", n: 15, amount: 150 },
        // ¥1,000 / 5 days = ¥200 on the 1st; ¥800 / 4 days = ¥200 on the 2nd.
        { j: "paced-coupons", day: "2026-11-01", n: 40, amount: 20_000 },
        { j: "paced-coupons", day: "2026-11-02", n: 40, amount: 20_000 },
      ]);
      expect(await q("SELECT key, used::int, cap::int FROM counters WHERE key LIKE 'budget/%' ORDER BY key")).toEqual([
        { key: "budget/paced-coupons/deposit_nov", used: 40_000, cap: 100_000 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-01", used: 20_000, cap: 20_000 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-02", used: 20_000, cap: 20_000 },
      ]);
      const devices = await q("SELECT used::int AS used, cap::int AS cap FROM counters WHERE key LIKE 'idcap/%'");
      expect(devices).toHaveLength(6);
      expect(devices.every((d) => d.used === 5 && d.cap === 5)).toBe(true);
      // Every event was applied: what was not granted was refused, with the reason that held it back
      // (a step's timeline record is a list of what it did).
      const refused = await q(
        "SELECT e->>'reason' AS reason, count(*)::int AS n FROM timeline, jsonb_array_elements(record::jsonb) e " +
          "WHERE e->>'kind' = 'refuse' GROUP BY 1 ORDER BY 1",
      );
      expect(refused).toEqual([
        { reason: "cap", n: 270 },
        { reason: "pace", n: 220 },
      ]);
      // The report's pace line from PostgreSQL's facts, read on 3 November (08:00 in Shanghai): ¥200 a
      // day spent as allowed, and the 3rd's allowance ¥600 / 3 days, nothing spent yet.
      const reports = new PgReports(stores[0]!.pool, world, () => Date.parse("2026-11-03T00:00:00Z"));
      const report = await reports.report(JourneyId.parse("paced-coupons"));
      expect(report?.spend.budgets[0]?.pace).toEqual({
        mode: "even",
        days: [
          { day: "2026-11-01", allowance: 20_000, spent: 20_000, paceCumulative: 20_000, spentCumulative: 20_000 },
          { day: "2026-11-02", allowance: 20_000, spent: 20_000, paceCumulative: 40_000, spentCumulative: 40_000 },
          { day: "2026-11-03", allowance: 20_000, spent: 0, paceCumulative: 60_000, spentCumulative: 40_000 },
        ],
      });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 120_000);
});
