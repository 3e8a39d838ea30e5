import { describe, expect, it } from "vitest";
import { bucketOf } from "./hash.ts";

describe("bucketOf", () => {
  it("is stable: the same key and person always land in the same bucket", () => {
    expect(bucketOf("onboarding_2026q4", "u1")).toBe(bucketOf("onboarding_2026q4", "u1"));
    // Pinned: a change here reassigns every person in every running experiment.
    expect([bucketOf("exp", "u1"), bucketOf("exp", "u2"), bucketOf("other", "u1")]).toEqual([8236, 7347, 3223]);
  });

  it("spreads 100,000 people evenly over ten deciles (within 2 %)", () => {
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) deciles[Math.floor(bucketOf("exp", `user-${i}`) / 1000)]! += 1;
    for (const d of deciles) expect(Math.abs(d - 10_000)).toBeLessThan(200);
  });

  it("assigns independently across experiments", () => {
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (bucketOf("a", `u${i}`) < 5000 === bucketOf("b", `u${i}`) < 5000) same++;
    expect(Math.abs(same - 5000)).toBeLessThan(200);
  });
});
