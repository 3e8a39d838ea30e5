import { EventEnvelope, JourneyId, UserId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { describe, expect, it } from "vitest";
import { World } from "./index.ts";
import { effectRecord } from "../effects/record.ts";
import { DurableEngine } from "../runtime/durable.ts";
import { simulate } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { executableOf } from "../testing/world.ts";
import { replayDurable } from "../testing/replay.ts";
import { expiryInstant } from "./wallet.ts";

const SH = "Asia/Shanghai";

describe("when points expire", () => {
  it("at the end of the local day N days or months after the grant, in the journey's zone", () => {
    // 17:00 in Shanghai on 5 January, 3 days: spendable through 8 January, gone at its midnight.
    expect(
      new Date(expiryInstant(Date.parse("2026-01-05T09:00:00Z"), SH, { after: 3, unit: "day" })).toISOString(),
    ).toBe("2026-01-08T16:00:00.000Z");
    // 01:00 on 1 February in Shanghai is still 31 January in UTC: the zone decides the day.
    const feb1 = Date.parse("2026-01-31T17:00:00Z");
    expect(new Date(expiryInstant(feb1, SH, { after: 1, unit: "day" })).toISOString()).toBe("2026-02-02T16:00:00.000Z");
    expect(new Date(expiryInstant(feb1, "UTC", { after: 1, unit: "day" })).toISOString()).toBe(
      "2026-02-02T00:00:00.000Z",
    );
    // A month after 31 January is the last day of February; 12 months after 15 March is 15 March.
    expect(
      new Date(expiryInstant(Date.parse("2026-01-31T02:00:00Z"), SH, { after: 1, unit: "month" })).toISOString(),
    ).toBe("2026-02-28T16:00:00.000Z");
    expect(
      new Date(expiryInstant(Date.parse("2025-03-15T02:00:00Z"), SH, { after: 12, unit: "month" })).toISOString(),
    ).toBe("2026-03-15T16:00:00.000Z");
    expect(
      new Date(expiryInstant(Date.parse("2025-11-30T02:00:00Z"), SH, { after: 3, unit: "month" })).toISOString(),
    ).toBe("2026-02-28T16:00:00.000Z");
  });
});

/** registered → 500 points that expire after 3 days → wait a day → 200 points that never expire. */
const welcome = executableOf(
  journey({
    id: "points",
    nodes: [
      trigger("start", "registered"),
      node("gift", "reward", {
        reward: { type: "points", amount: 500 },
        cap: { count: 1, period: "lifetime" },
        expires: { after: 3, unit: "day" },
      }),
      node("later", "wait", { mode: "duration", duration: "1d" }),
      node("bonus", "reward", { reward: { type: "points", amount: 200 }, cap: { count: 1, period: "lifetime" } }),
      exitNode("end"),
    ],
    edges: [edge("start", "gift"), edge("gift", "later"), edge("later", "bonus"), edge("bonus", "end")],
  }),
);
const events = ["u1", "u2"].map((userId, i) =>
  EventEnvelope.parse({
    id: `r${i}`,
    userId,
    type: "registered",
    at: `2026-01-05T${String(9 + i).padStart(2, "0")}:00:00Z`,
    props: {},
  }),
);
const UNTIL = Date.parse("2026-01-20T00:00:00Z");

describe("points expiry, in simulate and live", () => {
  it("expires the grant's points at its time, with its why, and live commits the same bytes", async () => {
    const sim = simulate({ journeys: [{ executable: welcome }], events, until: UNTIL });
    const expiries = sim.effects.filter((e) => e.kind === "expire");
    expect(expiries).toEqual([
      {
        at: "2026-01-08T16:00:00.000Z",
        userId: "u1",
        journeyId: "points",
        version: 1,
        nodeId: null,
        kind: "expire",
        lot: "points@1/gift/u1/1",
        points: 500,
        balance: 200,
        detail: "500 of the 500 points granted on 2026-01-05T09:00:00.000Z expired at 2026-01-08T16:00:00.000Z",
      },
      expect.objectContaining({ userId: "u2", at: "2026-01-08T16:00:00.000Z", points: 500, balance: 200 }),
    ]);

    const store = new SqliteStore({ path: ":memory:" });
    try {
      const live = await replayDurable(store, [welcome], events, UNTIL);
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(sim.effects));
      // The ledger holds each grant and the expiry; the balance is their sum, and the state's lots agree.
      const rows = store.db
        .prepare("SELECT entry, grant_key AS k, amount, node_id AS n FROM ledger WHERE user_id = 'u1' ORDER BY seq")
        .all();
      expect(rows).toEqual([
        { entry: "grant", k: "points@1/gift/u1/1", amount: 500, n: "gift" },
        { entry: "grant", k: "points@1/bonus/u1/1", amount: 200, n: "bonus" },
        { entry: "expire", k: "expire:points@1/gift/u1/1", amount: 500, n: "gift" },
      ]);
      expect(await store.walletTotals(UserId.parse("u1"))).toEqual({ granted: 700, spent: 0, expired: 500 });
      const state = await store.userState(UserId.parse("u1"));
      expect(state?.wallet?.lots.map((l) => [l.key, l.left, l.expiresAt])).toEqual([
        ["points@1/bonus/u1/1", 200, null],
      ]);
      // Nothing left to expire: no wallet timer.
      expect(store.db.prepare("SELECT count(*) FROM timers WHERE journey_id = '#wallet'").pluck().get()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("spends oldest first, so only what is left of a grant expires; a short balance is refused whole", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const world = new World([
      {
        journeyId: JourneyId.parse("points"),
        status: "live",
        liveVersion: 1,
        versions: [{ version: 1, inFlight: "keep", executable: welcome }],
      },
    ]);
    const clock = { now: Date.parse("2026-01-05T09:00:00Z") };
    const committed: string[] = [];
    const engine = new DurableEngine(
      store,
      world,
      { now: () => clock.now },
      { onCommit: (i) => committed.push(...i.effects.map((e) => JSON.stringify(effectRecord(e)))) },
    );
    const u1 = UserId.parse("u1");
    try {
      await engine.ingest([{ id: events[0]!.id, userId: u1, type: "registered", at: clock.now, props: {} }]);
      clock.now = Date.parse("2026-01-07T00:00:00Z");
      await engine.runDueTimers(); // the day's wait is over: 200 more, 700 in all
      const spend = await engine.redeem({ key: "k1", userId: u1, points: 300, item: "fee_waiver" });
      expect(spend).toMatchObject({ status: "redeemed", replayed: false, balance: 400 });
      const short = await engine.redeem({ key: "k2", userId: u1, points: 401, item: "data_plan" });
      expect(short).toMatchObject({
        status: "refused",
        balance: 400,
        detail: "data_plan costs 401 points; the balance is 400",
      });
      expect(await engine.redeem({ key: "k1", userId: u1, points: 300, item: "fee_waiver" })).toMatchObject({
        status: "redeemed",
        replayed: true,
        balance: 400,
      });
      // The same key for another spend is not a retry.
      expect(await engine.redeem({ key: "k1", userId: u1, points: 1, item: "fee_waiver" })).toMatchObject({
        status: "key_reused",
      });
      const spendEffect = committed.map((t) => JSON.parse(t)).find((e) => e.kind === "spend");
      expect(spendEffect).toMatchObject({
        points: 300,
        balance: 400,
        lots: [{ lot: "points@1/gift/u1/1", points: 300 }],
      });
      clock.now = Date.parse("2026-01-20T00:00:00Z");
      await engine.runDueTimers();
      // What is left of the older grant expires at its time; the newer grant's 200 stay.
      const expired = committed.map((t) => JSON.parse(t)).filter((e) => e.kind === "expire");
      expect(expired).toEqual([
        expect.objectContaining({
          at: "2026-01-08T16:00:00.000Z",
          points: 200,
          balance: 200,
          detail:
            "200 of the 500 points granted on 2026-01-05T09:00:00.000Z expired at 2026-01-08T16:00:00.000Z " +
            "(300 had been spent)",
        }),
      ]);
      expect(await store.walletTotals(u1)).toEqual({ granted: 700, spent: 300, expired: 200 });
      expect(store.db.prepare("SELECT grant_key AS k, code FROM ledger WHERE entry = 'spend'").all()).toEqual([
        { k: "spend:k1", code: "fee_waiver" },
      ]);
    } finally {
      await store.close();
    }
  });
});
