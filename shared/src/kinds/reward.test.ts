import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { around } from "../testing/builders.ts";
import { reward, RewardParams } from "./reward.ts";
import { RAW_NAMES } from "./types.ts";

const compileReward = (params: unknown) => compileJourney(around({ id: "r", kind: "reward", params }, ["next"]));

describe("reward", () => {
  it("compiles points with a cap", () => {
    const params = { reward: { type: "points", amount: 10 }, cap: { count: 1, period: "day" } };
    const r = compileReward(params);
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.executable!.nodes.r!.params).toEqual({
      ...params,
      unit: "points",
      identifierCap: null,
      budget: null,
      expires: null,
    });
    expect(r.executable!.nodes.r!.next).toEqual({ next: "end_next", exhausted: null });
  });

  it("compiles points that expire, and refuses an expiry on anything but points", () => {
    const params = { reward: { type: "points", amount: 300 }, cap: { count: 1, period: "lifetime" } };
    const expiring = compileReward({ ...params, expires: { after: 12, unit: "month" } });
    expect(expiring.executable!.nodes.r!.params).toMatchObject({ expires: { after: 12, unit: "month" } });
    expect(
      reward.summary(RewardParams.parse({ ...params, expires: { after: 3, unit: "day" } }), "zh-CN", RAW_NAMES),
    ).toBe("+300 积分, 上限 终身 1×, 3天后过期");
    // A random amount without a currency is points too.
    const random = { reward: { type: "random", min: 1, max: 9 }, expires: { after: 30, unit: "day" } };
    expect(RewardParams.safeParse(random).success).toBe(true);
    const coupon = { reward: { type: "coupon", code: "C1" }, expires: { after: 30, unit: "day" } };
    expect(RewardParams.safeParse(coupon).error?.issues).toEqual([
      expect.objectContaining({ path: ["expires"], message: "only points go into the wallet and can expire" }),
    ]);
    expect(RewardParams.safeParse({ ...params, expires: { after: 0, unit: "day" } }).success).toBe(false);
  });

  it("compiles a coupon with value against a budget, and declares the budget", () => {
    const params = {
      reward: { type: "coupon", code: "WELCOME", value: 2000, currency: "CNY" },
      budget: { id: "welcome", amount: 100000 },
    };
    const r = compileReward(params);
    expect(r.executable!.nodes.r!.params).toMatchObject({
      unit: "CNY",
      cap: null,
      budget: { id: "welcome", amount: 100000 },
    });
    expect(r.executable!.budgets).toEqual({ welcome: { amount: 100000, unit: "CNY" } });
  });

  it("compiles a rebate in basis points with the amount property defaulted", () => {
    const r = compileReward({
      reward: { type: "rebate", bps: 300, currency: "CNY", max: 100000 },
      cap: { amount: 300000, period: "month" },
    });
    expect(r.executable!.nodes.r!.params).toMatchObject({
      reward: { type: "rebate", bps: 300, of: "amount", currency: "CNY", max: 100000 },
    });
  });

  it("warns when nothing bounds the reward", () => {
    const r = compileReward({ reward: { type: "points", amount: 10 } });
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "reward_unbounded",
        path: "$.nodes[1].params.cap",
        nodeId: "r",
      }),
    ]);
  });

  it("refuses fractional amounts and half-specified coupons", () => {
    expect(RewardParams.safeParse({ reward: { type: "points", amount: 10.5 } }).error?.issues[0]?.path).toEqual([
      "reward",
      "amount",
    ]);
    expect(
      RewardParams.safeParse({ reward: { type: "coupon", code: "X", value: 100 } }).error?.issues[0]?.path,
    ).toEqual(["reward", "currency"]);
    expect(
      RewardParams.safeParse({ reward: { type: "points", amount: 1 }, cap: { period: "day" } }).error?.issues[0]?.path,
    ).toEqual(["cap", "count"]);
    expect(RewardParams.safeParse({ reward: { type: "rebate", bps: 20000, currency: "CNY" } }).success).toBe(false);
  });

  it("summarises amount, cap and budget", () => {
    const p = RewardParams.parse({
      reward: { type: "points", amount: 10 },
      cap: { count: 30, period: "day" },
      budget: { id: "b", amount: 1 },
    });
    expect(reward.summary(p, "en", RAW_NAMES)).toBe("+10 points, cap 30×/day, budget b");
    expect(reward.summary(p, "zh-CN", RAW_NAMES)).toBe("+10 积分, 上限 每天 30×, 预算 b");
  });

  it("provides {{reward.*}} to templates after it, and opens a win-back window for coupons only", () => {
    const loose = kindOf("reward")!; // as the engine and reports hold it: params from an executable
    expect(reward.provides).toEqual({ root: "reward", fields: ["type", "amount", "code", "unit"] });
    const coupon = compileReward({ reward: { type: "coupon", code: "BACK" }, cap: { count: 1, period: "lifetime" } })
      .executable!.nodes.r!.params;
    const points = compileReward({ reward: { type: "points", amount: 5 }, cap: { count: 1, period: "day" } })
      .executable!.nodes.r!.params;
    expect([coupon, points].map((p) => loose.report!.opensWinBack!(p))).toEqual([true, false]);
  });

  it("compiles a random amount and a red packet in points or a currency, bounded by themselves", () => {
    const random = compileReward({
      reward: { type: "random", min: 100, max: 888, currency: "CNY" },
      cap: { count: 3, period: "lifetime" },
    });
    expect(random.issues).toEqual([]);
    expect(random.executable!.nodes.r!.params).toMatchObject({ unit: "CNY" });
    // The range's worst case: its maximum per grant (people enter once here).
    expect(random.cost).toEqual({ CNY: { perEntry: 888, perUser: 888 } });

    // A red packet needs no cap or budget to be bounded: its total is all it pays. The most one
    // claim can be is the total less the others' minimums; a person re-entering could claim them all.
    const packet = compileReward({ reward: { type: "red_packet", total: 10_000, count: 5, min: 100 } });
    expect(packet.issues).toEqual([]);
    expect(packet.executable!.nodes.r!.params).toMatchObject({ unit: "points", cap: null, budget: null });
    expect(packet.cost).toEqual({ points: { perEntry: 9600, perUser: 9600 } });
  });

  it("bounds re-entering people: a range by max × the lifetime count cap, a red packet by its total", () => {
    const reentering = (params: unknown) =>
      compileJourney({ ...around({ id: "r", kind: "reward", params }, ["next"]), entry: { reentry: "always" } });
    const random = reentering({
      reward: { type: "random", min: 100, max: 888 },
      cap: { count: 3, period: "lifetime" },
    });
    expect(random.issues).toEqual([]);
    expect(random.cost).toEqual({ points: { perEntry: 888, perUser: 2664 } });
    const packet = reentering({ reward: { type: "red_packet", total: 10_000, count: 5, min: 100 } });
    expect(packet.issues).toEqual([]);
    expect(packet.cost).toEqual({ points: { perEntry: 9600, perUser: 10_000 } });
  });

  it("refuses a range upside down and a red packet too small for its claims' minimums", () => {
    const range = RewardParams.safeParse({ reward: { type: "random", min: 500, max: 100 } });
    expect(range.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["reward", "max"], "the most a draw gives is below its least"],
    ]);
    const packet = RewardParams.safeParse({
      reward: { type: "red_packet", currency: "CNY", total: 999, count: 10, min: 100 },
    });
    expect(packet.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["reward", "total"], "10 claims of at least ¥1.00 need a total of at least ¥10.00"],
    ]);
    expect(RewardParams.safeParse({ reward: { type: "red_packet", total: 100, count: 0, min: 1 } }).success).toBe(
      false,
    );
    expect(RewardParams.safeParse({ reward: { type: "random", min: 0, max: 10 } }).success).toBe(false);
  });

  it("summarises a random amount and a red packet in both languages", () => {
    const random = RewardParams.parse({ reward: { type: "random", currency: "CNY", min: 100, max: 888 } });
    expect(reward.summary(random, "en", RAW_NAMES)).toBe("Random ¥1.00 – ¥8.88");
    expect(reward.summary(random, "zh-CN", RAW_NAMES)).toBe("随机 ¥1.00 – ¥8.88");
    const packet = RewardParams.parse({
      reward: { type: "red_packet", total: 1000, count: 10, min: 10 },
      cap: { count: 1, period: "lifetime" },
    });
    expect(reward.summary(packet, "en", RAW_NAMES)).toBe(
      "Red packet 1,000 points split over 10 claims, each ≥ 10 points, cap 1×/lifetime",
    );
    expect(reward.summary(packet, "zh-CN", RAW_NAMES)).toBe(
      "拼手气红包 1,000 积分 分 10 份，每份 ≥ 10 积分, 上限 终身 1×",
    );
  });

  it("warns of a random amount with nothing bounding it, not of a red packet", () => {
    expect(compileReward({ reward: { type: "random", min: 1, max: 2 } }).issues.map((i) => i.code)).toEqual([
      "reward_unbounded",
    ]);
  });
});
