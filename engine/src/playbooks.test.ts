import { describe, expect, it } from "vitest";
import { EventEnvelope } from "@lifeloop/shared";
import { simulate } from "./simulate.ts";
import { SqliteStore } from "./store/sqlite/store.ts";
import { replayDurable } from "./testing/replay.ts";
import { pick, runSample, sampleEvents, sampleExecutable, sampleSet } from "./testing/samples.ts";

/** Every sample playbook, run through the same simulation the CLI, API and editor use. */

const rewards = (r: ReturnType<typeof runSample>) =>
  pick(r, "reward", ["reward"]).map((e) => {
    const reward = e.reward as { type: string; amount: number | null; code: string | null };
    return `${e.at} ${e.userId} ${e.nodeId} ${reward.type} ${reward.code ?? reward.amount}`;
  });

describe("activation: no first investment within 24 h → newcomer gift + push", () => {
  const r = runSample("activation-newcomer-gift");

  it("gifts exactly those who did not invest within 24 h, at the 24 h mark", () => {
    expect(pick(r, "reward", ["reward"])).toEqual([
      {
        at: "2026-11-03T03:00:01.000Z",
        userId: "u2",
        nodeId: "gift",
        reward: { type: "coupon", amount: 2000, code: "NEWCOMER_GIFT", unit: "CNY" },
      },
      // u3 invests after 25 h: too late to skip the gift, early enough to convert.
      {
        at: "2026-11-03T04:00:01.000Z",
        userId: "u3",
        nodeId: "gift",
        reward: { type: "coupon", amount: 2000, code: "NEWCOMER_GIFT", unit: "CNY" },
      },
    ]);
  });

  it("sends no gift to u1 (invested at 8 h) nor u4 (invested one minute before the deadline)", () => {
    const gifted = new Set(pick(r, "reward").map((e) => e.userId));
    expect(gifted.has("u1")).toBe(false);
    expect(gifted.has("u4")).toBe(false);
    expect(pick(r, "resume", ["handle"]).filter((e) => e.userId === "u4")).toEqual([
      { at: "2026-11-03T04:59:00.000Z", userId: "u4", nodeId: "wait_invest", handle: "event" },
    ]);
  });

  it("pushes the gift with the person's nickname and the coupon code", () => {
    const pushes = pick(r, "message", ["channel", "text"]);
    expect(pushes).toHaveLength(2);
    expect(pushes[0]).toMatchObject({ userId: "u2", channel: "push" });
    expect(pushes[0]!.text).toContain("NEWCOMER_GIFT");
  });

  it("counts conversions within the goal window", () => {
    expect(r.summary[0]).toMatchObject({ entered: 4, converted: 3, cost: { CNY: { grants: 2, amount: 4000 } } });
  });
});

describe("VIP upgrade", () => {
  const r = runSample("vip-upgrade");
  it("upgrades each person once, however often their assets pass the threshold", () => {
    expect(pick(r, "attribute", ["name", "value"])).toEqual([
      { at: "2026-11-03T05:00:00.000Z", userId: "u3", nodeId: "set_vip", name: "tier", value: "VIP" },
      { at: "2026-11-04T02:00:00.000Z", userId: "u1", nodeId: "set_vip", name: "tier", value: "VIP" },
    ]);
    expect(pick(r, "message").map((m) => m.userId)).toEqual(["u3", "u1"]);
  });
  it("says why someone already VIP was not upgraded", () => {
    expect(pick(r, "decide", ["handle", "inputs"]).find((d) => d.userId === "u2")).toMatchObject({
      handle: "no",
      inputs: { "profile.tier": "VIP" },
    });
  });
});

describe("tiered rebate: 3 % over ¥10,000 this month, 5 % over ¥30,000", () => {
  const r = runSample("tiered-rebate");
  it("pays the right rate at each boundary, rounding down, capped per grant", () => {
    expect(rewards(r)).toEqual([
      // u2 sits exactly on ¥10,000 (no rebate), then ¥1 more: 3 % of 100 fen = 3 fen.
      "2026-11-04T03:00:00.000Z u2 rebate_3 rebate 3",
      // u1: ¥5,000 (nothing), then month-to-date ¥11,000: 3 % of ¥6,000.
      "2026-11-05T02:00:00.000Z u1 rebate_3 rebate 18000",
      // u1 passes ¥30,000: 5 % of ¥20,000 is ¥1,000 = the per-grant maximum.
      "2026-11-06T02:00:00.000Z u1 rebate_5 rebate 100000",
      "2026-11-30T14:00:00.000Z u3 rebate_5 rebate 100000",
      // 00:30 on 1 December in Shanghai: a new month, so month-to-date restarts at ¥12,000.
      "2026-11-30T16:30:00.000Z u3 rebate_3 rebate 36000",
    ]);
  });
  it("shows what the split saw", () => {
    const decisions = pick(r, "decide", ["handle", "inputs"]);
    expect(decisions.find((d) => d.userId === "u2")).toMatchObject({
      handle: "else",
      inputs: { "agg_sum(transaction, amount, month)": 1_000_000 },
    });
  });
  it("tells people the rebate in yuan, not fen (| money)", () => {
    const texts = pick(r, "message", ["text"]).map((m) => m.text);
    expect(texts).toContain("本笔交易返利 3%：¥180.00 已到账。3% rebate of ¥180.00 credited.");
    expect(texts.join("\n")).not.toMatch(/分已到账/);
  });
});

describe("daily check-in", () => {
  const r = runSample("daily-checkin");
  it("grants once per local day and refuses the rest by the cap", () => {
    const grants = pick(r, "reward")
      .filter((e) => e.userId === "u1")
      .map((e) => e.at);
    expect(grants).toHaveLength(9);
    expect(new Set(grants.map((g) => String(g).slice(0, 10))).size).toBe(9);
    expect(pick(r, "refuse", ["reason", "detail"]).filter((e) => e.userId === "u1")).toEqual([
      {
        at: "2026-11-01T01:10:00.000Z",
        userId: "u1",
        nodeId: "points",
        reason: "cap",
        detail: "1 of 1 grants used this day",
      },
      {
        at: "2026-11-01T01:20:00.000Z",
        userId: "u1",
        nodeId: "points",
        reason: "cap",
        detail: "1 of 1 grants used this day",
      },
    ]);
  });
  it("resets the cap at midnight in the journey's time zone, not UTC", () => {
    // 23:30 and 00:30 Shanghai are two days; 01:00 is the same day as 00:30.
    expect(
      pick(r, "reward")
        .filter((e) => e.userId === "u2")
        .map((e) => e.at),
    ).toEqual(["2026-11-10T15:30:00.000Z", "2026-11-10T16:30:00.000Z"]);
    expect(
      pick(r, "refuse")
        .filter((e) => e.userId === "u2")
        .map((e) => e.at),
    ).toEqual(["2026-11-10T17:00:00.000Z"]);
  });
});

describe("invite reward with a campaign budget", () => {
  const r = runSample("invite-reward");
  it("spends the budget exactly and refuses the next grant", () => {
    expect(pick(r, "reward")).toHaveLength(10);
    expect(r.summary[0]!.cost).toEqual({ points: { grants: 10, amount: 5000 } });
    expect(pick(r, "refuse", ["reason", "detail"])).toEqual([
      {
        at: "2026-11-06T13:00:00.000Z",
        userId: "u3",
        nodeId: "bonus",
        reason: "budget",
        detail: "budget invite_campaign: 0 points of 5,000 points left, this grant needs 500 points",
      },
    ]);
    expect(
      pick(r, "message")
        .filter((m) => m.userId === "u3")
        .map((m) => m.nodeId),
    ).toEqual(["ended"]);
  });
});

describe("lucky red packet: ¥10 over 5 claims, each ≥ ¥0.50, one per person", () => {
  const r = runSample("red-packet");
  it("pays five claims that add up to exactly ¥10, each drawn from the grant's hash", () => {
    // Fixed by the hash of (journey, version, node, person, entry) and the claim's index: any
    // change here means a replay would pay different amounts than the live run did.
    expect(rewards(r)).toEqual([
      "2026-11-11T02:00:00.000Z u1 packet red_packet 373",
      "2026-11-11T02:00:05.000Z u2 packet red_packet 296",
      "2026-11-11T02:00:09.000Z u3 packet red_packet 80",
      "2026-11-11T02:00:20.000Z u4 packet red_packet 190",
      "2026-11-11T02:01:00.000Z u5 packet red_packet 61",
    ]);
    expect(r.summary[0]!.cost).toEqual({ CNY: { grants: 5, amount: 1000 } });
    expect(pick(r, "message", ["text"])[0]!.text).toContain("¥3.73");
  });
  it("refuses a second claim by the cap and claims after the fifth, saying why", () => {
    expect(pick(r, "refuse", ["reason", "detail"])).toEqual([
      {
        at: "2026-11-11T02:00:12.000Z",
        userId: "u1",
        nodeId: "packet",
        reason: "cap",
        detail: "1 of 1 grants used in all",
      },
      ...["2026-11-11T02:01:30.000Z u6", "2026-11-11T02:02:00.000Z u7"].map((s) => ({
        at: s.split(" ")[0],
        userId: s.split(" ")[1],
        nodeId: "packet",
        reason: "claimed",
        detail: "red packet: all 5 claims taken, ¥10.00 of ¥10.00 paid out",
      })),
    ]);
    expect(
      pick(r, "message")
        .filter((m) => m.nodeId === "gone")
        .map((m) => m.userId),
    ).toEqual(["u1", "u6", "u7"]);
  });
  it("draws the same again on a re-run", () => {
    expect(rewards(runSample("red-packet"))).toEqual(rewards(r));
  });
});

describe("win-back at 15 and 30 days", () => {
  const r = runSample("win-back");
  it("sends the ¥10 coupon after 15 silent days and the ¥30 coupon after 30", () => {
    expect(rewards(r).filter((g) => g.includes(" u1 "))).toEqual([
      "2026-11-16T02:00:01.000Z u1 coupon_15 coupon WINBACK_10",
      "2026-12-01T02:00:01.000Z u1 coupon_30 coupon WINBACK_30",
    ]);
    expect(pick(r, "exit", ["reason"]).filter((e) => e.userId === "u1")).toEqual([
      { at: "2026-12-16T02:00:01.000Z", userId: "u1", nodeId: "lapsed", reason: "lapsed" },
    ]);
  });
  it("takes people out when they come back, and starts them over", () => {
    const u2 = pick(r, "exit", ["reason"]).filter((e) => e.userId === "u2");
    expect(u2[0]).toEqual({ at: "2026-11-11T02:00:00.000Z", userId: "u2", nodeId: "silent_15", reason: "returned" });
    // Returned before 15 days: no coupon from the first entry; the new entry's clock starts at the return.
    expect(rewards(r).filter((g) => g.includes(" u2 "))[0]).toBe(
      "2026-11-26T02:00:00.000Z u2 coupon_15 coupon WINBACK_10",
    );
    expect(
      pick(r, "enter", ["entry"])
        .filter((e) => e.userId === "u2")
        .map((e) => e.entry),
    ).toEqual([1, 2]);
  });
  it("counts the purchase after a return as one conversion", () => {
    expect(pick(r, "convert", ["entry"])).toEqual([
      { at: "2026-11-21T02:00:00.000Z", userId: "u3", nodeId: null, entry: 1 },
    ]);
  });
});

describe("tiers", () => {
  const r = runSample("tiers");
  it("moves people into the tier their behaviour puts them in", () => {
    expect(
      pick(r, "attribute", ["value"])
        .filter((e) => e.nodeId !== "tag_high")
        .map((e) => `${e.userId}=${e.value}`),
    ).toEqual(["u4=churn_risk", "u2=steady", "u1=new_explorer", "u3=high_value"]);
  });
  it("notices churn risk from time passing alone, at local midnight", () => {
    // u4's transactions in the last 30 days fell below half the 30 days before, with no new event.
    expect(pick(r, "segment", ["segment", "change"]).find((e) => e.userId === "u4")).toEqual({
      at: "2026-11-05T16:00:00.000Z",
      userId: "u4",
      nodeId: null,
      segment: "churn_risk",
      change: "enter",
    });
  });
});

describe("A/B onboarding with a holdout", () => {
  it("assigns 10,000 people within 2 points of the arms' weights", () => {
    const events = Array.from({ length: 10_000 }, (_, i) => ({
      id: `e${i}`,
      userId: `user-${i}`,
      type: "registered",
      at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      props: {},
    })).map((e) => EventEnvelope.parse(e));
    const r = simulate({
      journeys: [{ executable: sampleExecutable("ab-onboarding") }],
      events,
      until: "2026-11-02T00:00:00Z",
    });
    const arms: Record<string, number> = {};
    for (const d of pick(r, "decide", ["handle"])) arms[d.handle as string] = (arms[d.handle as string] ?? 0) + 1;
    expect(Object.keys(arms).sort()).toEqual(["bonus", "control", "tour"]);
    expect(Math.abs(arms.tour! / 10_000 - 0.45)).toBeLessThan(0.02);
    expect(Math.abs(arms.bonus! / 10_000 - 0.45)).toBeLessThan(0.02);
    expect(Math.abs(arms.control! / 10_000 - 0.1)).toBeLessThan(0.02);
  });

  it("keeps a person's arm across re-runs and re-entries", () => {
    const a = runSample("ab-onboarding");
    const b = runSample("ab-onboarding");
    expect(pick(a, "decide", ["handle"])).toEqual(pick(b, "decide", ["handle"]));
  });
});

describe("determinism", () => {
  it("gives byte-identical output for the same inputs", () => {
    for (const name of ["win-back", "tiered-rebate", "tiers"]) {
      expect(JSON.stringify(runSample(name))).toBe(JSON.stringify(runSample(name)));
    }
  });
});

describe("newcomer gifts: a group of two journeys, one gift per newcomer", () => {
  const names = ["newcomer-basic-coupon", "newcomer-invited-bundle"];
  const events = sampleEvents("newcomer-gifts");
  const r = simulate({ journeys: names.map((n) => ({ executable: sampleExecutable(n) })), events });
  const entries = (result: ReturnType<typeof simulate>) =>
    result.effects.filter((e) => e.kind === "enter").map((e) => `${e.userId} ${e.journeyId}`);

  it("enters invited newcomers in the bundle (priority 10) and everyone else in the basic coupon", () => {
    expect(entries(r)).toEqual([
      "n1 newcomer-invited-bundle",
      "n2 newcomer-basic-coupon",
      "n3 newcomer-invited-bundle",
      // An empty invitedBy is no invitation: the bundle's filter refuses it, so the basic coupon wins.
      "n4 newcomer-basic-coupon",
    ]);
    expect(rewards(r)).toEqual([
      "2026-11-09T02:00:01.000Z n1 coupon_50 coupon INVITED_NEWCOMER_50",
      "2026-11-09T03:00:01.000Z n2 coupon_20 coupon WELCOME_20",
      "2026-11-09T04:30:00.000Z n3 coupon_50 coupon INVITED_NEWCOMER_50",
      "2026-11-10T06:00:00.000Z n4 coupon_20 coupon WELCOME_20",
    ]);
  });

  it("records not_entered: group for the basic coupon in each invited newcomer's timeline, naming the bundle", () => {
    expect(r.trace).toEqual(
      ["n1", "n3"].map((userId, i) => ({
        at: ["2026-11-09T02:00:01.000Z", "2026-11-09T04:30:00.000Z"][i],
        userId,
        journeyId: "newcomer-basic-coupon",
        nodeId: "registered",
        note: "not_entered",
        reason:
          "group newcomer-gifts: newcomer-invited-bundle (priority 10) won this entry over this journey (priority 1)",
        kind: "trace",
      })),
    );
  });

  it("costs ¥100 in bundles and ¥40 in basic coupons, one gift each; without the group n1 and n3 got two", () => {
    expect(r.summary.map((s) => [s.journeyId, s.entered, s.converted, s.cost])).toEqual([
      ["newcomer-basic-coupon", 2, 1, { CNY: { grants: 2, amount: 4000 } }],
      ["newcomer-invited-bundle", 2, 1, { CNY: { grants: 2, amount: 10000 } }],
    ]);
    const ungrouped = simulate({
      journeys: names.map((n) => {
        const { group: _group, ...executable } = sampleExecutable(n);
        return { executable };
      }),
      events,
    });
    expect(entries(ungrouped).filter((e) => e.endsWith("basic-coupon"))).toEqual([
      "n1 newcomer-basic-coupon",
      "n2 newcomer-basic-coupon",
      "n3 newcomer-basic-coupon",
      "n4 newcomer-basic-coupon",
    ]);
    expect(ungrouped.trace).toEqual([]);
  });

  it("decides the same on the durable runtime over SQLite", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const until = Date.parse(r.stats.until!);
      const live = await replayDurable(store, names.map(sampleExecutable), events, until);
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(r.effects));
    } finally {
      await store.close();
    }
  });
});

describe("newcomer welcome: the first-order discount and the activation gift, one of them per newcomer", () => {
  const { executables, events } = sampleSet("first-order-discount");
  const r = simulate({ journeys: executables.map((executable) => ({ executable })), events });
  const entries = (result: ReturnType<typeof simulate>) =>
    result.effects.filter((e) => e.kind === "enter").map((e) => `${e.userId} ${e.journeyId}`);

  it("is a group of exactly these two samples, replayed with the group's stream", () => {
    expect(executables.map((e) => [e.journeyId, e.group])).toEqual([
      ["activation-newcomer-gift", { id: "newcomer-welcome", priority: 1 }],
      ["first-order-discount", { id: "newcomer-welcome", priority: 10 }],
    ]);
  });

  it("gives every newcomer the ¥50 first-order coupon (priority 10) and records the activation gift refused", () => {
    expect(entries(r)).toEqual(["m1 first-order-discount", "m2 first-order-discount", "m3 first-order-discount"]);
    expect(rewards(r)).toEqual([
      "2026-11-16T02:00:01.000Z m1 coupon coupon FIRST_ORDER_50",
      "2026-11-16T03:30:00.000Z m2 coupon coupon FIRST_ORDER_50",
      "2026-11-16T05:00:00.000Z m3 coupon coupon FIRST_ORDER_50",
    ]);
    expect(r.trace.map((t) => `${t.userId} ${t.journeyId} ${t.reason}`)).toEqual(
      ["m1", "m2", "m3"].map(
        (u) =>
          `${u} activation-newcomer-gift group newcomer-welcome: first-order-discount (priority 10) won this entry ` +
          "over this journey (priority 1)",
      ),
    );
    // m1 ordered within the goal window; nobody got two gifts (the summary lists journeys someone entered).
    expect(r.summary.map((s) => [s.journeyId, s.entered, s.converted, s.cost])).toEqual([
      ["first-order-discount", 3, 1, { CNY: { grants: 3, amount: 15000 } }],
    ]);
  });

  it("without the first-order discount live, the activation gift takes the same people (its fallback)", () => {
    const alone = simulate({ journeys: [{ executable: sampleExecutable("activation-newcomer-gift") }], events });
    expect(entries(alone)).toEqual([
      "m1 activation-newcomer-gift",
      "m2 activation-newcomer-gift",
      "m3 activation-newcomer-gift",
    ]);
    // m2 invested within 24 h: no gift; m1 and m3 did not, so the ¥20 coupon went out a day after sign-up.
    expect(rewards(alone)).toEqual([
      "2026-11-17T02:00:01.000Z m1 gift coupon NEWCOMER_GIFT",
      "2026-11-17T05:00:00.000Z m3 gift coupon NEWCOMER_GIFT",
    ]);
  });

  it("decides the same on the durable runtime over SQLite", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const live = await replayDurable(store, executables, events, Date.parse(r.stats.until!));
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(r.effects));
    } finally {
      await store.close();
    }
  });
});

describe("coupon pool: partner coffee codes from samples/pools/partner-coffee.csv", () => {
  const r = runSample("coupon-pool");

  it("hands the pool's 4 codes to the first 4 newcomers in import order, then tells the rest they are gone", () => {
    // The file lists CAFE-M4XD twice: the import keeps it once, so the pool has 4 codes.
    expect(pick(r, "reward", ["reward"]).map((g) => [g.userId, (g.reward as { code: string }).code, g.at])).toEqual([
      ["u1", "CAFE-7Q2K", "2026-11-20T02:00:00.000Z"],
      ["u2", "CAFE-M4XD", "2026-11-20T03:00:00.000Z"],
      ["u3", "CAFE-9TZR", "2026-11-20T04:00:00.000Z"],
      ["u4", "CAFE-B8WN", "2026-11-20T05:00:00.000Z"],
    ]);
    expect(pick(r, "refuse", ["reason", "detail"])).toEqual([
      {
        at: "2026-11-20T06:00:00.000Z",
        userId: "u5",
        nodeId: "coffee",
        reason: "pool_empty",
        detail: "coupon pool partner-coffee: all 4 codes handed out",
      },
      {
        at: "2026-11-20T07:00:00.000Z",
        userId: "u6",
        nodeId: "coffee",
        reason: "pool_empty",
        detail: "coupon pool partner-coffee: all 4 codes handed out",
      },
    ]);
    // The push names each person's own code; the exhausted branch sends the sold-out note.
    expect(pick(r, "message", ["channel", "text"]).map((m) => [m.userId, m.nodeId, m.text])).toEqual([
      ["u1", "push_code", "你的咖啡券码：CAFE-7Q2K。Your coffee code: CAFE-7Q2K."],
      ["u2", "push_code", "你的咖啡券码：CAFE-M4XD。Your coffee code: CAFE-M4XD."],
      ["u3", "push_code", "你的咖啡券码：CAFE-9TZR。Your coffee code: CAFE-9TZR."],
      ["u4", "push_code", "你的咖啡券码：CAFE-B8WN。Your coffee code: CAFE-B8WN."],
      ["u5", "sold_out", "咖啡券已发完，敬请期待下一期。The coffee codes are all gone; more next time."],
      ["u6", "sold_out", "咖啡券已发完，敬请期待下一期。The coffee codes are all gone; more next time."],
    ]);
  });

  it("draws nothing without the pool's content: every newcomer finds it empty", () => {
    const empty = simulate({
      journeys: [{ executable: sampleExecutable("coupon-pool") }],
      events: sampleEvents("coupon-pool"),
    });
    expect(pick(empty, "reward")).toEqual([]);
    expect(pick(empty, "refuse", ["reason"]).map((x) => x.reason)).toEqual(Array(6).fill("pool_empty"));
  });

  it("commits the same codes on the durable runtime over SQLite, after importing the file", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const { executables, events, pools } = sampleSet("coupon-pool");
      expect(await store.importPoolCodes("partner-coffee", pools["partner-coffee"]!, 0)).toEqual({
        added: 4,
        duplicates: 1,
        codes: 4,
      });
      const live = await replayDurable(store, executables, events, Date.parse(r.stats.until!));
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(r.effects));
      expect(await store.couponPools()).toEqual([{ pool: "partner-coffee", codes: 4, handed: 4 }]);
    } finally {
      await store.close();
    }
  });
});
