/**
 * Redeems under contention on PostgreSQL: three workers (each its own store, pool and engine, as
 * three sidecar processes have) spend from one person at once. Exactly once per key, never past
 * the balance, and the ledger and the person's wallet agree afterwards.
 */
import { EventId, JourneyId, UserId } from "@lifeloop/shared";
import { expect, it } from "vitest";
import { World } from "../core/index.ts";
import { balanceOf } from "../core/wallet.ts";
import { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { giftJourney } from "../testing/wallet.ts";
import { executableOf } from "../testing/world.ts";
import { DurableEngine } from "./durable.ts";
import type { RedeemOutcome } from "./redeem.ts";

const NOW = Date.parse("2026-01-05T12:00:00Z");
const world = () =>
  new World([
    {
      journeyId: JourneyId.parse("signup-points"),
      status: "live",
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep", executable: executableOf(giftJourney) }],
    },
  ]);

describePostgres("redeems from three workers on PostgreSQL", (db) => {
  it("spend each key once, never past the balance, whichever worker each request reaches", async () => {
    const stores = await Promise.all([0, 1, 2].map(() => PgStore.open({ url: db() })));
    const engines = stores.map((s) => new DurableEngine(s, world(), { now: () => NOW }));
    try {
      const people = ["u1", "u2", "u3"].map((u) => UserId.parse(u));
      await engines[0]!.ingest(
        people.map((userId, i) => ({
          id: EventId.parse(`reg-${i}`),
          userId,
          type: "registered",
          at: Date.parse("2026-01-05T09:00:00Z"),
          props: {},
        })),
      );
      // 40 keys of 14 points against 500: 35 fit. Each key goes to all three workers at once. (Every one of
      // the 120 redeems locks u1's row, so they run one after another: more would outwait the pool's 2.5 s
      // connection timeout on a loaded machine, which is the store's "unavailable", not what this checks.)
      const u1 = people[0]!;
      const keys = Array.from({ length: 40 }, (_, i) => `order-${i}`);
      const answers = await Promise.all(
        keys.flatMap((key) =>
          engines.map(async (e) => ({ key, out: await e.redeem({ key, userId: u1, points: 14, item: "data_plan" }) })),
        ),
      );
      const byKey = new Map<string, RedeemOutcome["status"][]>();
      for (const a of answers) byKey.set(a.key, [...(byKey.get(a.key) ?? []), a.out.status]);
      const spent = [...byKey].filter(([, s]) => s.includes("redeemed")).map(([k]) => k);
      expect(spent).toHaveLength(35);
      // A key that spent answered "redeemed" on every worker, once for real and twice replayed.
      for (const k of spent) {
        const mine = answers.filter((a) => a.key === k).map((a) => a.out);
        expect(mine.map((o) => o.status)).toEqual(["redeemed", "redeemed", "redeemed"]);
        expect(mine.filter((o) => o.status === "redeemed" && !o.replayed)).toHaveLength(1);
      }
      const q = async (sql: string, args: unknown[]) => (await stores[0]!.pool.query(sql, args)).rows;
      expect(await q("SELECT count(*)::int AS n FROM ledger WHERE entry = 'spend' AND user_id = $1", [u1])).toEqual([
        { n: 35 },
      ]);
      expect(await stores[1]!.walletTotals(u1)).toEqual({ granted: 500, spent: 490, expired: 0 });
      expect(balanceOf((await stores[2]!.userState(u1))!.wallet)).toBe(10);

      // Two people, one key, at once: one spends it, the other is told the key is taken and keeps their points.
      const [a, b] = await Promise.all([
        engines[1]!.redeem({ key: "shared", userId: people[1]!, points: 100, item: "x" }),
        engines[2]!.redeem({ key: "shared", userId: people[2]!, points: 100, item: "x" }),
      ]);
      expect([a.status, b.status].sort()).toEqual(["key_reused", "redeemed"]);
      const balances = await Promise.all([people[1]!, people[2]!].map((u) => stores[0]!.walletTotals(u)));
      expect(balances.map((t) => t.granted - t.spent).sort()).toEqual([400, 500]);
      const states = await Promise.all([people[1]!, people[2]!].map((u) => stores[0]!.userState(u)));
      expect(states.map((s) => balanceOf(s!.wallet)).sort()).toEqual([400, 500]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 60_000);
});
