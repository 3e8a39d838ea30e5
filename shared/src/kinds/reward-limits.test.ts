import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { around } from "../testing/builders.ts";
import { reward, RewardParams } from "./reward.ts";
import { dailyAllowance, daysThrough } from "./reward-limits.ts";
import { RAW_NAMES } from "./types.ts";

const points = { type: "points", amount: 10 } as const;

describe("budget pacing", () => {
  it("counts the days left through the last one, across months and a leap day", () => {
    expect(daysThrough("2026-03-01", "2026-03-31")).toBe(31);
    expect(daysThrough("2026-03-31", "2026-03-31")).toBe(1);
    expect(daysThrough("2026-04-01", "2026-03-31")).toBe(0);
    expect(daysThrough("2028-02-28", "2028-03-01")).toBe(3);
  });

  it("allows what is left over the days left, rounded down, and a fixed cap at most what is left", () => {
    const even = { mode: "even", until: "2026-03-10" } as const;
    // 10,000 over 10 days; then 9,000 (1,000 spent) over 9.
    expect(dailyAllowance(even, 10_000, 0, "2026-03-01")).toBe(1_000);
    expect(dailyAllowance(even, 10_000, 1_000, "2026-03-02")).toBe(1_000);
    // A slow first day leaves more for the rest: 9,700 over 9 days is 1,077 (rounded down).
    expect(dailyAllowance(even, 10_000, 300, "2026-03-02")).toBe(1_077);
    // After the last day the remainder is the allowance; a spent budget allows nothing.
    expect(dailyAllowance(even, 10_000, 9_990, "2026-03-12")).toBe(10);
    expect(dailyAllowance(even, 10_000, 10_000, "2026-03-05")).toBe(0);
    const daily = { mode: "daily", amount: 500 } as const;
    expect(dailyAllowance(daily, 10_000, 0, "2026-03-01")).toBe(500);
    expect(dailyAllowance(daily, 10_000, 9_800, "2026-03-01")).toBe(200);
  });

  it("is declared on the budget, summarised in both languages, and one budget has one pace", () => {
    const even = {
      reward: points,
      budget: { id: "spring", amount: 100_000, pace: { mode: "even", until: "2026-03-31" } },
    };
    expect(RewardParams.safeParse(even).success).toBe(true);
    expect(RewardParams.safeParse({ ...even, budget: { ...even.budget, pace: { mode: "even" } } }).success).toBe(false);
    expect(
      RewardParams.safeParse({ ...even, budget: { ...even.budget, pace: { mode: "even", until: "2026-3-31" } } })
        .success,
    ).toBe(false);
    expect(reward.summary(RewardParams.parse(even), "en", RAW_NAMES)).toBe(
      "+10 points, budget spring, spent evenly through 2026-03-31",
    );
    const cny = {
      reward: { type: "coupon", code: "C5", currency: "CNY", value: 500 },
      budget: { id: "b", amount: 100_000, pace: { mode: "daily", amount: 20_000 } },
    };
    expect(reward.summary(RewardParams.parse(cny), "zh-CN", RAW_NAMES)).toBe(
      "优惠券 C5 ¥5.00, 预算 b，每天至多 ¥200.00",
    );

    const doc = around({ id: "a", kind: "reward", params: even }, ["next"]);
    const second = { ...even, budget: { id: "spring", amount: 100_000 } };
    doc.nodes.push({ id: "b", kind: "reward", position: { x: 0, y: 0 }, params: second });
    const r = compileJourney(doc);
    expect(r.issues.filter((i) => i.code === "budget_conflict").map((i) => i.path)).toEqual([
      "$.nodes[3].params.budget",
    ]);
    const same = around({ id: "a", kind: "reward", params: even }, ["next"]);
    expect(compileJourney(same).executable?.budgets).toEqual({
      spring: { amount: 100_000, unit: "points", pace: { mode: "even", until: "2026-03-31" } },
    });
  });
});

describe("cap per identifier", () => {
  it("names an event property and a count or an amount, summarised in both languages", () => {
    const params = { reward: points, identifierCap: { key: "device_id", count: 1, period: "day" } };
    expect(RewardParams.safeParse(params).success).toBe(true);
    expect(RewardParams.safeParse({ ...params, identifierCap: { key: "device_id", period: "day" } }).success).toBe(
      false,
    );
    expect(RewardParams.safeParse({ ...params, identifierCap: { key: "a b", count: 1, period: "day" } }).success).toBe(
      false,
    );
    expect(reward.summary(RewardParams.parse(params), "en", RAW_NAMES)).toBe("+10 points, cap 1×/day per device_id");
    expect(reward.summary(RewardParams.parse(params), "zh-CN", RAW_NAMES)).toBe(
      "+10 积分, 每个 device_id 上限 每天 1×",
    );
    const r = compileJourney(around({ id: "r", kind: "reward", params }, ["next"]));
    expect(r.executable!.nodes.r!.params).toMatchObject({ identifierCap: params.identifierCap });
  });
});
