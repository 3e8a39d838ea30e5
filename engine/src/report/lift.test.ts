import { describe, expect, it } from "vitest";
import { incrementalityFigures, newcombe, relativeLift, wilson } from "./lift.ts";

describe("the incrementality intervals", () => {
  it("Wilson's interval matches the published example (Newcombe 1998, 81/263)", () => {
    const w = wilson(81, 263);
    expect(w.low).toBeCloseTo(0.2553, 4);
    expect(w.high).toBeCloseTo(0.3662, 4);
  });

  it("Newcombe's hybrid score interval matches his worked examples (Stat Med 1998, table II)", () => {
    // 56/70 − 48/80: 0.2000, [0.0524, 0.3339]; 9/10 − 3/10: 0.6000, [0.1705, 0.8090].
    const a = newcombe(56, 70, 48, 80)!;
    expect(a.value).toBeCloseTo(0.2, 10);
    expect(a.low).toBeCloseTo(0.0524, 4);
    expect(a.high).toBeCloseTo(0.3339, 4);
    const b = newcombe(9, 10, 3, 10)!;
    expect(b.low).toBeCloseTo(0.1705, 4);
    expect(b.high).toBeCloseTo(0.809, 3);
    expect(newcombe(1, 10, 0, 0)).toBeNull();
  });

  it("the relative lift's interval is the log risk ratio's, computed here by hand", () => {
    const r = relativeLift(30, 100, 15, 100)!;
    const se = Math.sqrt(1 / 30 - 1 / 100 + 1 / 15 - 1 / 100);
    expect(r.value).toBeCloseTo(1, 12);
    expect(r.low).toBeCloseTo(2 * Math.exp(-1.959964 * se) - 1, 5);
    expect(r.high).toBeCloseTo(2 * Math.exp(1.959964 * se) - 1, 5);
    expect(relativeLift(3, 10, 0, 10)).toBeNull();
  });

  it("cost per incremental conversion is whole minor units, and null without a gain", () => {
    const f = incrementalityFigures({ people: 200, converted: 60 }, { people: 100, converted: 20 }, [
      { unit: "points", amount: 999 },
      { unit: "CNY", amount: 100_000 },
    ]);
    // 0.30 − 0.20 = 0.10 of 200 people: 20 incremental conversions.
    expect(f.incrementalConversions).toBeCloseTo(20, 10);
    expect(f.cost).toEqual([
      { unit: "CNY", amount: 100_000, perIncrementalConversion: 5000 },
      { unit: "points", amount: 999, perIncrementalConversion: 50 },
    ]);
    const none = incrementalityFigures({ people: 10, converted: 1 }, { people: 10, converted: 5 }, [
      { unit: "CNY", amount: 10 },
    ]);
    expect(none.cost[0]!.perIncrementalConversion).toBeNull();
    expect(none.exposed.rate).toBe(0.1);
  });
});
