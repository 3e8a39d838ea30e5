import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, majorUnits } from "./format.ts";
import { parseAmount, parsePercent } from "./money-parse.ts";

const CURRENCIES = ["CNY", "HKD", "USD", "JPY"] as const;
const minor = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe("parseAmount", () => {
  it("reads major units exactly, without float error", () => {
    expect(parseAmount("20.5", "CNY")).toEqual({ ok: true, value: 2050 });
    expect(parseAmount("20", "CNY")).toEqual({ ok: true, value: 2000 });
    expect(parseAmount("0.29", "CNY")).toEqual({ ok: true, value: 29 }); // 0.29 * 100 is 28.999… in floats
    expect(parseAmount("1.15", "USD")).toEqual({ ok: true, value: 115 }); // 1.15 * 100 is 114.999…
    expect(parseAmount(".5", "CNY")).toEqual({ ok: true, value: 50 });
    expect(parseAmount("10,000.00", "CNY")).toEqual({ ok: true, value: 1_000_000 });
    expect(parseAmount("500", "JPY")).toEqual({ ok: true, value: 500 });
    expect(parseAmount("90071992547409.91", "CNY")).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
  });

  it("takes what the formatter prints and what a Chinese input method types", () => {
    expect(parseAmount("¥2,500.00", "CNY")).toEqual({ ok: true, value: 250000 });
    expect(parseAmount("HK$10.00", "HKD")).toEqual({ ok: true, value: 1000 });
    expect(parseAmount("US$1.99", "USD")).toEqual({ ok: true, value: 199 });
    expect(parseAmount("$1.99", "USD")).toEqual({ ok: true, value: 199 });
    expect(parseAmount("20 元", "CNY")).toEqual({ ok: true, value: 2000 });
    expect(parseAmount("２０．５", "CNY")).toEqual({ ok: true, value: 2050 });
    expect(parseAmount("1,500", "points")).toEqual({ ok: true, value: 1500 });
  });

  it("refuses more decimals than the currency has, and what is not an amount", () => {
    expect(parseAmount("20.555", "CNY")).toMatchObject({ ok: false, problem: "too_many_decimals", digits: 2 });
    expect(parseAmount("5.5", "JPY")).toMatchObject({ ok: false, problem: "too_many_decimals", digits: 0 });
    expect(parseAmount("1.5", "points")).toMatchObject({ ok: false, problem: "too_many_decimals" });
    expect(parseAmount("", "CNY")).toMatchObject({ ok: false, problem: "empty" });
    expect(parseAmount(" ¥ ", "CNY")).toMatchObject({ ok: false, problem: "empty" });
    for (const bad of ["abc", "1,00", "1.2.3", "1e3", "12abc", "0x10", "."]) {
      expect(parseAmount(bad, "CNY"), bad).toMatchObject({ ok: false, problem: "not_a_number" });
    }
    expect(parseAmount("-5", "CNY")).toMatchObject({ ok: false, problem: "negative" });
    expect(parseAmount("-5", "CNY", { allowNegative: true })).toEqual({ ok: true, value: -500 });
    expect(parseAmount("90071992547409.92", "CNY")).toMatchObject({ ok: false, problem: "too_large" });
  });

  it("format then parse is the identity over minor units (CNY, HKD, USD, JPY)", () => {
    fc.assert(
      fc.property(
        minor,
        fc.constantFrom(...CURRENCIES),
        fc.constantFrom("en" as const, "zh-CN" as const),
        (n, c, lang) => {
          expect(parseAmount(majorUnits(n, c), c)).toEqual({ ok: true, value: n });
          expect(parseAmount(formatAmount(n, c, lang), c)).toEqual({ ok: true, value: n });
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("parsePercent", () => {
  it("reads percent as basis points", () => {
    expect(parsePercent("3")).toEqual({ ok: true, value: 300 });
    expect(parsePercent("3.25 %")).toEqual({ ok: true, value: 325 });
    expect(parsePercent("0.01")).toEqual({ ok: true, value: 1 });
    expect(parsePercent("100％")).toEqual({ ok: true, value: 10_000 });
    expect(parsePercent("3.255")).toMatchObject({ ok: false, problem: "too_many_decimals" });
    expect(parsePercent("-1")).toMatchObject({ ok: false, problem: "negative" });
  });
});
