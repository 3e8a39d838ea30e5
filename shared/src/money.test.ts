import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bpsToPercent, formatAmount, formatBps, majorUnits } from "./format.ts";
import { parsePercent } from "./money-parse.ts";
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

  it("formats amounts for people, the symbol saying whose currency it is", () => {
    expect(formatAmount(250000, "CNY", "en")).toBe("¥2,500.00");
    expect(formatAmount(250000, "CNY", "zh-CN")).toBe("¥2,500.00");
    expect(formatAmount(1000, "HKD", "en")).toBe("HK$10.00");
    expect(formatAmount(1000, "HKD", "zh-CN")).toBe("HK$10.00");
    expect(formatAmount(199, "USD", "en")).toBe("US$1.99");
    expect(formatAmount(5000, "JPY")).toBe("JP¥5,000");
    expect(formatAmount(5, "CNY")).toBe("¥0.05");
    expect(formatAmount(-250, "CNY")).toBe("-¥2.50");
    expect(formatAmount(1234567, "points")).toBe("1,234,567 points");
    expect(formatAmount(10, "points", "zh-CN")).toBe("10 积分");
    expect(formatAmount(3, "coupons", "zh-CN")).toBe("3 张券");
  });

  it("formats exactly, beyond float precision", () => {
    expect(formatAmount(Number.MAX_SAFE_INTEGER, "CNY")).toBe("¥90,071,992,547,409.91");
    expect(majorUnits(Number.MAX_SAFE_INTEGER, "CNY")).toBe("90071992547409.91");
    expect(majorUnits(2050, "CNY")).toBe("20.50");
    expect(majorUnits(5, "CNY")).toBe("0.05");
    expect(majorUnits(500, "JPY")).toBe("500");
  });

  it("formats basis points as percent", () => {
    expect(formatBps(300)).toBe("3%");
    expect(formatBps(325)).toBe("3.25%");
    expect(formatBps(5)).toBe("0.05%");
    expect(formatBps(10_000)).toBe("100%");
    expect(bpsToPercent(320)).toBe("3.2");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bps) => {
        expect(parsePercent(bpsToPercent(bps))).toEqual({ ok: true, value: bps });
      }),
    );
  });
});
