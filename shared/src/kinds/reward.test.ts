import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { around } from "../testing/builders.ts";
import { reward, RewardParams } from "./reward.ts";

const compileReward = (params: unknown) => compileJourney(around({ id: "r", kind: "reward", params }, ["next"]));

describe("reward", () => {
  it("compiles points with a cap", () => {
    const params = { reward: { type: "points", amount: 10 }, cap: { count: 1, period: "day" } };
    const r = compileReward(params);
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.executable!.nodes.r!.params).toEqual({ ...params, unit: "points", budget: null });
    expect(r.executable!.nodes.r!.next).toEqual({ next: "end_next", exhausted: null });
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
    expect(reward.summary(p, "en")).toBe("+10 points, cap 30×/day, budget b");
    expect(reward.summary(p, "zh-CN")).toBe("+10 积分, 上限 每天 30×, 预算 b");
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
});
