/**
 * A coupon pool under contention on PostgreSQL: three workers (each its own store, pool and engine,
 * as three sidecar processes have) grant from one pool at once. The grants come after an hour's wait,
 * so the workers' timer loops take them side by side (each claims its own people, SKIP LOCKED), in
 * small batches: their reads of the pool's counter race. No code is handed out twice, and exactly
 * min(pool, claims) codes are handed out: the rest of the claims take the exhausted branch.
 */
import { compileJourney, EventId, JourneyId, UserId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { expect, it } from "vitest";
import { type CoreEvent, World } from "../core/index.ts";
import { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { DurableEngine } from "./durable.ts";

const executable = compileJourney(
  journey({
    nodes: [
      trigger(),
      node("wait", "wait", { mode: "duration", duration: "1h" }),
      node("r", "reward", {
        reward: { type: "coupon", code: "gift", pool: "gift-codes" },
        cap: { count: 1, period: "lifetime" },
      }),
      exitNode("end_next"),
      exitNode("end_exhausted"),
    ],
    edges: [edge("start", "wait"), edge("wait", "r"), edge("r", "end_next"), edge("r", "end_exhausted", "exhausted")],
  }),
).executable!;
const world = () =>
  new World([
    {
      journeyId: JourneyId.parse(executable.journeyId),
      status: "live" as const,
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep" as const, executable }],
    },
  ]);

const POOL = Array.from({ length: 100 }, (_, i) => `G${String(i).padStart(3, "0")}`);
const CLAIMS = 240;
const events: CoreEvent[] = Array.from({ length: CLAIMS }, (_, i) => ({
  id: EventId.parse(`reg-${i}`),
  userId: UserId.parse(`p${i}`),
  type: "registered",
  at: Date.parse("2026-11-01T02:00:00Z") + i * 1000,
  props: {},
}));

describePostgres("a coupon pool from three workers on PostgreSQL", (db) => {
  it("never hands a code twice and hands exactly min(pool, claims) codes", async () => {
    const stores = await Promise.all([0, 1, 2].map(() => PgStore.open({ url: db() })));
    const clock = { now: Date.parse("2026-11-01T03:00:00Z") };
    const engines = stores.map((s) => new DurableEngine(s, world(), { now: () => clock.now, timerBatch: 4 }));
    try {
      // Two imports, one with a code of the first again: 100 codes.
      expect(await stores[0]!.importPoolCodes("gift-codes", POOL.slice(0, 60), 0)).toEqual({
        added: 60,
        duplicates: 0,
        codes: 60,
      });
      expect(await stores[1]!.importPoolCodes("gift-codes", POOL.slice(59), 0)).toEqual({
        added: 40,
        duplicates: 1,
        codes: 100,
      });
      // Each worker takes every third registration; everyone then waits an hour.
      await Promise.all(engines.map((engine, w) => engine.ingest(events.filter((_, i) => i % 3 === w))));
      clock.now = Date.parse("2026-11-01T12:00:00Z");
      // The three timer loops at once, four people a pass, until nobody is due.
      const passes = await Promise.all(
        engines.map(async (engine) => {
          let n = 0;
          while ((await engine.runDueTimers()) > 0) n++;
          return n;
        }),
      );
      expect(passes.every((n) => n > 0)).toBe(true);
      const q = async (sql: string, args: unknown[] = []) => (await stores[0]!.pool.query(sql, args)).rows;
      const codes = (await q("SELECT code FROM ledger WHERE entry = 'grant' ORDER BY code")).map((r) => r.code);
      expect(codes).toHaveLength(Math.min(POOL.length, CLAIMS));
      expect(new Set(codes).size).toBe(codes.length);
      expect(codes).toEqual(POOL);
      // The webhook carries the same codes, once each.
      const outbox = (await q("SELECT payload FROM outbox WHERE kind = 'reward'")).map(
        (r) => (JSON.parse(r.payload as string) as { reward: { code: string } }).reward.code,
      );
      expect(outbox.sort()).toEqual(POOL);
      expect(await q("SELECT key, used::int FROM counters WHERE key LIKE 'coupon_pool/%'")).toEqual([
        { key: "coupon_pool/gift-codes", used: 100 },
      ]);
      expect(await stores[2]!.couponPools()).toEqual([{ pool: "gift-codes", codes: 100, handed: 100 }]);
      const refused = await q(
        "SELECT e->>'reason' AS reason, count(*)::int AS n FROM timeline, jsonb_array_elements(record::jsonb) e " +
          "WHERE e->>'kind' = 'refuse' GROUP BY 1 ORDER BY 1",
      );
      expect(refused).toEqual([{ reason: "pool_empty", n: CLAIMS - POOL.length }]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 120_000);
});
