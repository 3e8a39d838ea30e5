import { describe, expect, it } from "vitest";
import { rng } from "../testing/month.ts";
import { chiSquareP, erfc, MSPRT_TAU2, msprt, sampleRatioMismatch, twoProportion, verdict } from "./stats.ts";

describe("statistics", () => {
  it("erfc matches tabulated values", () => {
    // Abramowitz & Stegun, table 7.1.
    expect(erfc(0)).toBe(1);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(2)).toBeCloseTo(0.004677734981047266, 15);
    expect(erfc(4)).toBeCloseTo(1.541725790028002e-8, 20);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 14);
  });

  it("chi-square tail probabilities match the table (and e^(-x/2) for two degrees of freedom)", () => {
    expect(chiSquareP(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareP(10.827566170662733, 1)).toBeCloseTo(0.001, 10);
    expect(chiSquareP(7, 2)).toBeCloseTo(Math.exp(-3.5), 14);
    expect(chiSquareP(16.26623619623813, 3)).toBeCloseTo(0.001, 10);
  });

  it("two-proportion test: a textbook case", () => {
    // 60/100 against 45/100: difference 0.15; pooled p = 0.525, z = 0.15 / sqrt(0.525·0.475·0.02) = 2.1240…
    const lift = twoProportion(60, 100, 45, 100)!;
    expect(lift.absolute).toBeCloseTo(0.15, 14);
    expect(lift.relative).toBeCloseTo(0.15 / 0.45, 14);
    const z = 0.15 / Math.sqrt(0.525 * 0.475 * 0.02);
    expect(z).toBeCloseTo(2.12398, 4);
    expect(lift.pValue).toBeCloseTo(0.03367, 4);
    const se = Math.sqrt((0.6 * 0.4) / 100 + (0.45 * 0.55) / 100);
    expect(lift.ci95[0]).toBeCloseTo(0.15 - 1.959964 * se, 6);
    expect(lift.ci95[1]).toBeCloseTo(0.15 + 1.959964 * se, 6);
    expect(twoProportion(0, 50, 0, 50)!.pValue).toBe(1);
    expect(twoProportion(1, 0, 1, 10)).toBeNull();
  });

  it("sample-ratio mismatch below p = 0.001, and in an arm configured for nobody", () => {
    expect(sampleRatioMismatch([500, 500], [0.5, 0.5])).toEqual({ chiSquare: 0, pValue: 1, mismatch: false });
    // χ² = 10 → p = erfc(√5) ≈ 0.0016: suspicious, but not below 0.001.
    const close = sampleRatioMismatch([550, 450], [0.5, 0.5]);
    expect(close.chiSquare).toBeCloseTo(10, 12);
    expect(close.pValue).toBeCloseTo(erfc(Math.sqrt(5)), 14);
    expect(close.mismatch).toBe(false);
    const skew = sampleRatioMismatch([560, 440], [0.5, 0.5]);
    expect(skew.chiSquare).toBeCloseTo(14.4, 12);
    expect(skew.mismatch).toBe(true);
    expect(sampleRatioMismatch([520, 480], [0.5, 0.5]).mismatch).toBe(false);
    expect(sampleRatioMismatch([10, 1], [1, 0]).mismatch).toBe(true);
  });

  it("verdicts", () => {
    const ok = { chiSquare: 0, pValue: 1, mismatch: false };
    const arms = (pa: number) => [
      {
        arm: "a",
        entered: 200,
        baseline: false,
        lift: { absolute: 0.1, relative: 0.5, ci95: [0.01, 0.2] as [number, number], pValue: pa },
      },
      { arm: "control", entered: 200, baseline: true, lift: null },
    ];
    expect(verdict(arms(0.01), ok, 100)).toEqual({ status: "winner", arm: "a" });
    expect(verdict(arms(0.2), ok, 100)).toEqual({ status: "no_difference", arm: null });
    expect(verdict(arms(0.01), { ...ok, mismatch: true }, 100)).toEqual({ status: "srm", arm: null });
    expect(verdict(arms(0.01), ok, 201)).toEqual({ status: "not_enough_data", arm: null });
    const worse = arms(0.01);
    worse[0]!.lift!.absolute = -0.1;
    expect(verdict(worse, ok, 100)).toEqual({ status: "worse", arm: "a" });
  });

  describe("mSPRT (anytime-valid)", () => {
    /** The normal-mixture likelihood ratio of "the difference is θ", written out from Johari et al. (2017). */
    const lambda = (d: number, v: number, theta: number) =>
      Math.sqrt(v / (v + MSPRT_TAU2)) * Math.exp((MSPRT_TAU2 * (d - theta) ** 2) / (2 * v * (v + MSPRT_TAU2)));

    it("gives 1/Λ(0) as the p-value and the θ where Λ(θ) = 1/0.05 as the ends of the sequence", () => {
      // 60/100 against 45/100: V = 0.6·0.4/100 + 0.45·0.55/100 = 0.004875.
      const a = msprt(60, 100, 45, 100)!;
      expect(a.pValue).toBeCloseTo(1 / lambda(0.15, 0.004875, 0), 12);
      expect(a.pValue).toBeCloseTo(0.5625469509728303, 10);
      expect(lambda(0.15, 0.004875, a.cs95[0])).toBeCloseTo(20, 8);
      expect(lambda(0.15, 0.004875, a.cs95[1])).toBeCloseTo(20, 8);
      // Wider than the fixed-horizon interval, which holds at one planned look only.
      const fixed = twoProportion(60, 100, 45, 100)!;
      expect(a.cs95[0]).toBeLessThan(fixed.ci95[0]);
      expect(a.cs95[1]).toBeGreaterThan(fixed.ci95[1]);
      expect(a.pValue).toBeGreaterThan(fixed.pValue);
    });

    it("grows sure of a real difference with data, and says nothing without a side or any variance", () => {
      const big = msprt(3000, 10_000, 2500, 10_000)!;
      expect(big.pValue).toBeLessThan(1e-10);
      expect(big.cs95[0]).toBeGreaterThan(0.02);
      expect(big.cs95[1]).toBeLessThan(0.08);
      expect(msprt(0, 0, 5, 10)).toBeNull();
      expect(msprt(0, 50, 0, 50)).toBeNull();
      expect(msprt(5, 50, 5, 50)!.pValue).toBe(1);
    });

    it("keeps the chance of ever calling a non-existent difference under 5 % when read every 100 people", () => {
      // 300 A/A experiments (both 20 %), each read 30 times as 100 more people per side arrive.
      const random = rng(17);
      let fixedEver = 0;
      let anytimeEver = 0;
      for (let k = 0; k < 300; k++) {
        let [x, x0, n] = [0, 0, 0];
        let [fixedHit, anytimeHit] = [false, false];
        for (let look = 0; look < 30; look++) {
          for (let i = 0; i < 100; i++) {
            if (random() < 0.2) x++;
            if (random() < 0.2) x0++;
          }
          n += 100;
          if (twoProportion(x, n, x0, n)!.pValue < 0.05) fixedHit = true;
          const a = msprt(x, n, x0, n);
          if (a && a.pValue < 0.05) anytimeHit = true;
        }
        if (fixedHit) fixedEver++;
        if (anytimeHit) anytimeEver++;
      }
      // Peeking breaks the fixed-horizon test (far above its nominal 5 %); the sequential one holds.
      expect(fixedEver / 300).toBeGreaterThan(0.15);
      expect(anytimeEver / 300).toBeLessThanOrEqual(0.05);
    });
  });
});
