import { describe, expect, it } from "vitest";
import { decideWinner } from "./winner.ts";

const arm = (handle: string, weight: number, entered: number, converted: number) => ({
  handle,
  weight,
  entered,
  converted,
});

describe("the automatic winner's decision", () => {
  it("picks the best arm the mSPRT separates from the control at 0.05 / arms compared", () => {
    const d = decideWinner([arm("a", 45, 450, 45), arm("b", 45, 450, 135), arm("control", 10, 100, 10)], "a");
    expect(d).toMatchObject({ route: "b", winner: "b", reason: "winner", baseline: "control", alpha: 0.025 });
    expect(d.arms.map((a) => a.arm)).toEqual(["a", "b", "control"]);
    expect(d.arms[2]!.pValue).toBeNull();
    expect(d.arms[1]!.pValue).toBeLessThan(0.025);
    expect(d.arms[0]!.pValue).toBe(1);
  });

  it("applies the fallback when nothing wins: an arm, the control, or keeping the split (null)", () => {
    const even = [arm("a", 45, 450, 45), arm("b", 45, 450, 47), arm("control", 10, 100, 10)];
    expect(decideWinner(even, "a")).toMatchObject({ route: "a", winner: null, reason: "no_winner" });
    expect(decideWinner(even, "control").route).toBe("control");
    expect(decideWinner(even, null).route).toBeNull();
    // Nobody yet: no test can say anything.
    expect(decideWinner([arm("a", 50, 0, 0), arm("b", 50, 0, 0)], null)).toMatchObject({
      route: null,
      reason: "no_winner",
      baseline: "a",
    });
  });

  it("does not pick a winner from a broken split (sample-ratio mismatch)", () => {
    const d = decideWinner([arm("a", 45, 900, 90), arm("b", 45, 300, 90), arm("control", 10, 100, 10)], "a");
    expect(d).toMatchObject({ route: "a", winner: null, reason: "srm" });
  });

  it("compares against the first arm when there is no control, and never picks a worse arm", () => {
    const d = decideWinner([arm("a", 50, 500, 150), arm("b", 50, 500, 50)], null);
    expect(d).toMatchObject({ baseline: "a", winner: null, route: null, reason: "no_winner" });
  });
});
