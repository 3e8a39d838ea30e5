import { UserId } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { engineWith, ev, worldOf } from "../testing/world.ts";
import { newUserState, RECHECK_CATCHUP_MS, step } from "./step.ts";
import { World } from "./journeys.ts";

const H = 3_600_000;
const t0 = "2026-11-02T02:00:00Z"; // 10:00 in Shanghai
const plus = (ms: number, from = t0) => new Date(Date.parse(from) + ms).toISOString();

/** start → wait 1h → reward (points 10) → end */
const waitThenReward = (extra: Record<string, unknown> = {}) =>
  journey({
    nodes: [
      trigger(),
      node("w", "wait", { mode: "duration", duration: "1h" }),
      node("r", "reward", { reward: { type: "points", amount: 10 }, cap: { count: 5, period: "day" } }),
      exitNode(),
    ],
    edges: [edge("start", "w"), edge("w", "r"), edge("r", "end")],
    entry: { reentry: "always" },
    ...extra,
  });

describe("step", () => {
  it("is pure: the same state and input give the same result, and no clock is read", () => {
    const world = worldOf([{ doc: waitThenReward() }]);
    const input = { type: "event" as const, event: ev("u1", "registered", t0) };
    const a = step(newUserState(UserId.parse("u1")), input, world, { used: () => 0 });
    const b = step(newUserState(UserId.parse("u1")), input, world, { used: () => 0 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.state.runs).toHaveLength(1);
    expect(a.state.runs[0]!.wait).toEqual({ kind: "time", until: Date.parse(t0) + H });
  });

  it("fires a due wait at its own time when a later event arrives first", () => {
    const { engine, of } = engineWith(worldOf([{ doc: waitThenReward() }]));
    engine.ingest(ev("u1", "registered", t0));
    // No tick ran; the next event (3 h later) first fires the wait due at +1 h.
    engine.apply(UserId.parse("u1"), { type: "event", event: ev("u1", "other", plus(3 * H)) });
    expect(of("reward").map((e) => new Date(e.at).toISOString())).toEqual([plus(H)]);
  });
});

describe("out-of-order and duplicate events", () => {
  const world = () => worldOf([{ doc: waitThenReward() }]);

  it("ignores a duplicate id (memory store; the SQLite store has a unique index)", () => {
    const { engine, of } = engineWith(world());
    const e = ev("u1", "registered", t0);
    expect(engine.ingest(e)).toBe(true);
    expect(engine.ingest(e)).toBe(false);
    expect(of("enter")).toHaveLength(1);
  });

  it("acts on an event slightly late (within 5 minutes) at the person's clock", () => {
    const { engine, of } = engineWith(world());
    engine.ingest(ev("u1", "other", plus(10 * 60_000)));
    engine.ingest(ev("u1", "registered", plus(6 * 60_000)));
    expect(of("enter").map((e) => new Date(e.at).toISOString())).toEqual([plus(10 * 60_000)]);
  });

  it("counts a very late event in aggregates but moves no journey, and says so", () => {
    const { engine, of, trace } = engineWith(world());
    engine.ingest(ev("u1", "other", plus(2 * H)));
    engine.ingest(ev("u1", "registered", t0));
    expect(of("enter")).toEqual([]);
    expect(trace.map((t) => t.note)).toEqual(["late_event"]);
  });
});

describe("versions and people in flight", () => {
  const v1 = waitThenReward();
  const v2 = journey({
    nodes: [
      trigger(),
      node("w", "wait", { mode: "duration", duration: "1h" }),
      node("r", "reward", { reward: { type: "points", amount: 99 } }),
      exitNode(),
    ],
    edges: [edge("start", "w"), edge("w", "r"), edge("r", "end")],
    entry: { reentry: "always" },
  });

  function publishV2(inFlight: "keep" | "migrate") {
    const { engine, of } = engineWith(worldOf([{ doc: v1 }]));
    engine.ingest(ev("u1", "registered", t0));
    engine.setWorld(worldOf([{ doc: v1 }, { doc: v2, inFlight }]));
    engine.ingest(ev("u2", "registered", plus(10 * 60_000)));
    engine.runDue(Date.parse(plus(3 * H)));
    return of;
  }

  it("keep: people in flight finish on the version they entered; newcomers get the new one", () => {
    const of = publishV2("keep");
    expect(
      of("reward").map((e) => `${e.userId} v${e.version} ${(e as { reward: { amount: number } }).reward.amount}`),
    ).toEqual(["u1 v1 10", "u2 v2 99"]);
    expect(of("migrate")).toEqual([]);
  });

  it("migrate: people in flight move to the new version at the same node", () => {
    const of = publishV2("migrate");
    expect(of("migrate").map((e) => [e.userId, e.version, (e as { from: number }).from, e.nodeId])).toEqual([
      ["u1", 2, 1, "w"],
    ]);
    expect(
      of("reward").map((e) => `${e.userId} v${e.version} ${(e as { reward: { amount: number } }).reward.amount}`),
    ).toEqual(["u1 v2 99", "u2 v2 99"]);
  });

  it("pausing stops entries and freezes runs; resuming fires what came due", () => {
    const { engine, of, trace } = engineWith(worldOf([{ doc: waitThenReward() }]));
    engine.ingest(ev("u1", "registered", t0));
    engine.setWorld(worldOf([{ doc: waitThenReward() }], "paused"));
    engine.ingest(ev("u2", "registered", plus(10 * 60_000)));
    engine.runDue(Date.parse(plus(5 * H)));
    expect(of("reward")).toEqual([]);
    expect(trace.find((t) => t.userId === "u2")?.note).toBe("paused");
    engine.setWorld(worldOf([{ doc: waitThenReward() }]));
    engine.apply(UserId.parse("u1"), { type: "tick", at: Date.parse(plus(6 * H)) });
    expect(of("reward").map((e) => e.userId)).toEqual(["u1"]);
  });
});

describe("entry policies", () => {
  const doc = (entry: unknown) => journey({ entry, nodes: [trigger(), exitNode()], edges: [edge("start", "end")] });
  const enters = (entry: unknown, times: string[], users = ["u1"]) => {
    const { engine, of } = engineWith(worldOf([{ doc: doc(entry) }]));
    for (const at of times) for (const u of users) engine.ingest(ev(u, "registered", at));
    return of("enter").map((e) => `${e.userId}@${new Date(e.at).toISOString().slice(0, 13)}`);
  };

  it("once: one entry per person, ever", () => {
    expect(enters({ reentry: "once" }, [t0, plus(48 * H)])).toEqual(["u1@2026-11-02T02"]);
  });
  it("once per period: once per local calendar day", () => {
    // 15:59Z and 16:01Z are two days in Shanghai.
    expect(
      enters({ reentry: "once_per_period", period: "day" }, [
        "2026-11-02T10:00:00Z",
        "2026-11-02T15:59:00Z",
        "2026-11-02T16:01:00Z",
      ]),
    ).toEqual(["u1@2026-11-02T10", "u1@2026-11-02T16"]);
  });
  it("limit: at most N people in all", () => {
    expect(enters({ reentry: "once", limit: { count: 2 } }, [t0], ["a", "b", "c"])).toEqual([
      "a@2026-11-02T02",
      "b@2026-11-02T02",
    ]);
  });
});

describe("messages: quiet hours and frequency caps", () => {
  const doc = (settings: unknown) =>
    journey({
      entry: { reentry: "always" },
      settings,
      nodes: [
        trigger(),
        node("m", "message", { channel: "push", template: { body: "hi {{profile.nickname | friend}}" } }),
        exitNode(),
      ],
      edges: [edge("start", "m"), edge("m", "end")],
    });

  it("holds a message inside quiet hours and sends it when they end", () => {
    const { engine, of } = engineWith(worldOf([{ doc: doc({ quietHours: { start: "21:00", end: "09:00" } }) }]));
    engine.ingest(ev("u1", "registered", "2026-11-02T15:00:00Z")); // 23:00 Shanghai
    engine.runDue(Date.parse("2026-11-03T12:00:00Z"));
    expect(of("hold").map((e) => new Date((e as { until: number }).until).toISOString())).toEqual([
      "2026-11-03T01:00:00.000Z",
    ]);
    expect(of("message").map((e) => [new Date(e.at).toISOString(), (e as { text: string }).text])).toEqual([
      ["2026-11-03T01:00:00.000Z", "hi friend"],
    ]);
  });

  it("skips messages over the frequency cap and lets the run go on", () => {
    const { engine, of } = engineWith(worldOf([{ doc: doc({ frequencyCap: { count: 2, period: "day" } }) }]));
    for (const h of [0, 1, 2]) engine.ingest(ev("u1", "registered", plus(h * H)));
    expect(of("message")).toHaveLength(2);
    expect(of("suppress").map((e) => (e as { detail: string }).detail)).toEqual(["2 of 2 messages this day"]);
    expect(of("exit")).toHaveLength(3);
  });
});

describe("rewards", () => {
  const rebate = (cap?: unknown) =>
    journey({
      entry: { reentry: "always" },
      nodes: [
        trigger("start", "transaction"),
        node("r", "reward", {
          reward: { type: "rebate", bps: 300, currency: "CNY" },
          ...(cap ? { cap } : {}),
          budget: { id: "pool", amount: 1_000_000 },
        }),
        exitNode(),
      ],
      edges: [edge("start", "r"), edge("r", "end")],
    });

  it("refuses a rebate with no amount to compute from, saying why", () => {
    const { engine, of } = engineWith(worldOf([{ doc: rebate() }]));
    engine.ingest(ev("u1", "transaction", t0, {}));
    engine.ingest(ev("u1", "transaction", plus(H), { amount: 33 })); // 3 % of 33 fen rounds down to 0
    expect(of("refuse").map((e) => (e as { reason: string }).reason)).toEqual(["no_amount", "no_amount"]);
  });

  it("clips a rebate to what the amount cap has left, then refuses", () => {
    const { engine, of } = engineWith(worldOf([{ doc: rebate({ amount: 5000, period: "month" }) }]));
    for (const h of [0, 1, 2]) engine.ingest(ev("u1", "transaction", plus(h * H), { amount: 100_000 }));
    expect(
      of("reward").map((e) => [
        (e as { reward: { amount: number } }).reward.amount,
        (e as { clippedFrom: number | null }).clippedFrom,
      ]),
    ).toEqual([
      [3000, null],
      [2000, 3000],
    ]);
    expect(of("refuse").map((e) => (e as { detail: string }).detail)).toEqual(["¥50.00 of ¥50.00 used this month"]);
  });

  it("gives every grant a unique key: version, node, person, entry", () => {
    const { engine, of } = engineWith(worldOf([{ doc: rebate() }]));
    for (const h of [0, 1]) engine.ingest(ev("u1", "transaction", plus(h * H), { amount: 100_000 }));
    expect(of("reward").map((e) => (e as { grantKey: string }).grantKey)).toEqual([
      "test-journey@1/r/u1/1",
      "test-journey@1/r/u1/2",
    ]);
  });
});

describe("waits for events", () => {
  it("matches only the event correlated with the trigger (same orderId)", () => {
    const doc = journey({
      nodes: [
        trigger("start", "order_placed"),
        node("w", "wait", { mode: "event", event: "order_paid", correlate: "orderId", timeout: "1d" }),
        node("paid", "goal", { name: "paid" }),
        exitNode("late", "unpaid"),
      ],
      edges: [edge("start", "w"), edge("w", "paid", "event"), edge("w", "late", "timeout")],
    });
    const { engine, of } = engineWith(worldOf([{ doc }]));
    engine.ingest(ev("u1", "order_placed", t0, { orderId: "A" }));
    engine.ingest(ev("u1", "order_paid", plus(H), { orderId: "B" }));
    expect(of("goal")).toEqual([]);
    engine.ingest(ev("u1", "order_paid", plus(2 * H), { orderId: "A" }));
    expect(of("goal").map((e) => new Date(e.at).toISOString())).toEqual([plus(2 * H)]);
  });
});

describe("exit criteria", () => {
  it("takes a person out when a condition on them becomes true", () => {
    const doc = waitThenReward({
      exitCriteria: [
        { type: "condition", condition: { "==": [{ var: "profile.optedOut" }, true] }, reason: "opted_out" },
      ],
    });
    const { engine, of } = engineWith(worldOf([{ doc }]));
    engine.ingest(ev("u1", "registered", t0));
    engine.ingest(ev("u1", "identify", plus(10 * 60_000), { optedOut: true }));
    engine.runDue(Date.parse(plus(5 * H)));
    expect(of("exit").map((e) => (e as { reason: string }).reason)).toEqual(["opted_out"]);
    expect(of("reward")).toEqual([]);
  });
});

describe("World", () => {
  it("loads nothing when nothing is published", () => {
    expect(new World([]).live).toEqual([]);
  });
});

describe("a long quiet spell costs bounded work", () => {
  // The tiers playbook's segments read time (days_since, 30d windows): re-checked once a day.
  const tiers = () =>
    worldOf([
      { doc: JSON.parse(readFileSync(new URL("../../../samples/journeys/tiers.json", import.meta.url), "utf8")) },
    ]);

  it("re-checks daily within the catch-up horizon and coalesces the years before it", () => {
    const world = tiers();
    const first = step(
      newUserState(UserId.parse("u1")),
      { type: "event", event: ev("u1", "login", "2026-11-01T02:00:00Z", {}) },
      world,
      { used: () => 0 },
    );
    expect(first.state.recheckAt).not.toBeNull();
    // Thirty years later (what a far-future `at`, or an engine that was down, looks like to the core).
    const t = Date.parse("2056-11-01T02:00:00Z");
    const later = step(first.state, { type: "tick", at: t }, world, { used: () => 0 });
    expect(later.state.clock).toBe(t);
    // What fired: the first re-check after going quiet, then only days inside the horizon before t
    // — not one re-check for each of the ~11,000 days in between.
    const firstRecheck = first.state.recheckAt!;
    const times = later.effects.map((e) => e.at);
    expect(times.length).toBeGreaterThan(0);
    for (const at of times)
      expect(at === firstRecheck || at >= t - RECHECK_CATCHUP_MS, new Date(at).toISOString()).toBe(true);
    // Still exact inside the horizon: the churn-risk segment (no login for 30 days) was entered.
    expect(later.state.segments.some((s) => s.endsWith("/churn_risk"))).toBe(true);
  });

  it("changes nothing for gaps inside the horizon (the same as ticking every day)", () => {
    const world = tiers();
    const start = step(
      newUserState(UserId.parse("u1")),
      { type: "event", event: ev("u1", "login", "2026-11-01T02:00:00Z", {}) },
      world,
      { used: () => 0 },
    );
    const end = Date.parse("2026-12-20T02:00:00Z");
    // step takes ownership of the state it is given: each path gets its own copy.
    const once = step(structuredClone(start.state), { type: "tick", at: end }, world, { used: () => 0 });
    let daily = structuredClone(start.state);
    const dailyEffects: unknown[] = [];
    while (daily.recheckAt !== null && daily.recheckAt <= end) {
      const r = step(daily, { type: "tick", at: daily.recheckAt }, world, { used: () => 0 });
      dailyEffects.push(...r.effects);
      daily = r.state;
    }
    const last = step(daily, { type: "tick", at: end }, world, { used: () => 0 });
    dailyEffects.push(...last.effects);
    expect(JSON.stringify(once.effects)).toBe(JSON.stringify(dailyEffects));
    expect(once.state.segments).toEqual(last.state.segments);
  });
});
