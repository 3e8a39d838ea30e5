import { describe, expect, it } from "vitest";
import { KINDS } from "@lifeloop/shared";
import { AA, blend, contrast, darkenFor, luminance, textOn } from "./contrast.ts";

describe("contrast (WCAG 2)", () => {
  it("measures as the standard does: black on white is 21:1, a colour on itself 1:1", () => {
    expect(luminance("#ffffff")).toBeCloseTo(1, 6);
    expect(luminance("#000")).toBe(0);
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 6);
    expect(contrast("#4f46e5", "#4f46e5")).toBe(1);
    // Published figures: #767676 on white is the lightest grey that passes AA (4.54:1).
    expect(contrast("#767676", "#fff")).toBeCloseTo(4.54, 2);
  });

  it("darkens a colour only as far as white text needs, keeping colours that already pass", () => {
    expect(contrast(darkenFor("#d97706"), "#fff")).toBeGreaterThanOrEqual(AA);
    expect(luminance(darkenFor("#d97706"))).toBeGreaterThan(luminance(darkenFor("#d97706", "#fff", 7)));
    expect(darkenFor("#3730a3")).toBe("#3730a3");
    // Every node kind's head reads white on it.
    for (const k of KINDS) expect(contrast(darkenFor(k.meta.color), "#fff"), k.kind).toBeGreaterThanOrEqual(AA);
  });

  it("picks white or dark text, whichever reads better, on a blended heat-map cell", () => {
    expect(blend("#4f46e5", "#ffffff", 0)).toBe("#ffffff");
    expect(blend("#4f46e5", "#ffffff", 1)).toBe("#4f46e5");
    expect(textOn(blend("#4f46e5", "#ffffff", 0.2))).toBe("#1f2430");
    expect(textOn("#4f46e5")).toBe("#ffffff");
    // Mid-way no text colour but black reaches 4.5:1 on a blend (white and #1f2430 both fall short).
    for (let a = 0; a <= 1; a += 0.01) {
      const bg = blend("#4f46e5", "#ffffff", a);
      expect(contrast(bg, textOn(bg, "#000000")), `alpha ${a}`).toBeGreaterThanOrEqual(AA);
    }
  });

  it("refuses what is not a hex colour", () => {
    expect(() => luminance("red")).toThrow(/not a #rgb/);
  });
});
