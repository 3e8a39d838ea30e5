import { describe, expect, it } from "vitest";
import { formatAmount, formatBps } from "./format.ts";
import { rebateAmount } from "./money.ts";

describe("money", () => {
  it("computes rebates in whole minor units, rounding down", () => {
    expect(rebateAmount(600000, 300)).toBe(18000);
    expect(rebateAmount(100, 300)).toBe(3);
    expect(rebateAmount(33, 300)).toBe(0);
    expect(rebateAmount(3500000, 500, 100000)).toBe(100000);
  });

  it("stays exact beyond float precision", () => {
    const big = 9_007_199_254_740_991; // MAX_SAFE_INTEGER
    expect(rebateAmount(big, 10_000)).toBe(big);
    expect(rebateAmount(big, 1)).toBe(900_719_925_474);
  });

  it("pays nothing on bad amounts", () => {
    expect(rebateAmount(-5, 300)).toBe(0);
    expect(rebateAmount(10.5, 300)).toBe(0);
    expect(rebateAmount(Number.NaN, 300)).toBe(0);
  });

  it("formats amounts for people", () => {
    expect(formatAmount(250000, "CNY", "en")).toBe("CN¥2,500.00");
    expect(formatAmount(250000, "CNY", "zh-CN")).toBe("¥2,500.00");
    expect(formatAmount(1234567, "points")).toBe("1,234,567 points");
    expect(formatAmount(10, "points", "zh-CN")).toBe("10 积分");
    expect(formatAmount(5000, "JPY")).toBe("¥5,000");
    expect(formatBps(300)).toBe("3%");
  });
});
