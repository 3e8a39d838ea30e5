import { describe, expect, it } from "vitest";
import { formatAmount, formatDate } from "./format.ts";

describe("formatAmount", () => {
  it("shows fen as yuan with two decimals", () => {
    expect(formatAmount("CNY", 1234, "en")).toBe("¥12.34");
    expect(formatAmount("CNY", 1234, "zh-CN")).toBe("¥12.34");
    expect(formatAmount("CNY", 250000, "en")).toBe("¥2,500.00");
    expect(formatAmount("CNY", 5, "en")).toBe("¥0.05");
  });

  it("uses each currency's own minor unit", () => {
    expect(formatAmount("USD", 199, "en")).toBe("$1.99");
    expect(formatAmount("JPY", 500, "en")).toBe("¥500");
  });

  it("shows points and coupons as whole numbers", () => {
    expect(formatAmount("points", 1500, "en")).toBe("1,500 points");
    expect(formatAmount("points", 1500, "zh-CN")).toBe("1,500 积分");
    expect(formatAmount("coupons", 3, "en")).toBe("3 coupons");
    expect(formatAmount("coupons", 3, "zh-CN")).toBe("3 张券");
  });
});

describe("formatDate", () => {
  it("shows an instant in the journey's time zone", () => {
    expect(formatDate("2026-03-01T01:00:00Z", "Asia/Shanghai", "en")).toBe("2026-03-01 09:00");
    expect(formatDate("2026-03-01T01:00:00Z", "Asia/Shanghai", "zh-CN")).toBe("2026/03/01 09:00");
    // Late on the 28th in UTC is already the 1st in Shanghai, still the 28th in New York.
    expect(formatDate("2026-02-28T20:30:00Z", "Asia/Shanghai", "en")).toBe("2026-03-01 04:30");
    expect(formatDate("2026-02-28T20:30:00Z", "America/New_York", "en")).toBe("2026-02-28 15:30");
  });

  it("keeps midnight as 00, can show seconds, and leaves what is not a date alone", () => {
    expect(formatDate("2026-03-01T16:00:05Z", "Asia/Shanghai", "en", { seconds: true })).toBe("2026-03-02 00:00:05");
    expect(formatDate("not a date", "UTC", "en")).toBe("not a date");
  });
});
