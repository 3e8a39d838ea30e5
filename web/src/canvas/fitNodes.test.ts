import { describe, expect, it } from "vitest";
import { viewportFor } from "./fitNodes.ts";

describe("the view that shows some nodes", () => {
  it("centres one node at the largest zoom allowed", () => {
    const v = viewportFor([{ x: 100, y: 50, width: 200, height: 100 }], 1000, 800, { maxZoom: 1 })!;
    expect(v.zoom).toBe(1);
    // The node's centre (200, 100) lands on the view's centre (500, 400).
    expect(200 * v.zoom + v.x).toBeCloseTo(500);
    expect(100 * v.zoom + v.y).toBeCloseTo(400);
  });

  it("zooms out to take in every rect, with a margin, but not below the minimum", () => {
    const rects = [
      { x: 0, y: 0, width: 100, height: 100 },
      { x: 3900, y: 1900, width: 100, height: 100 },
    ];
    const v = viewportFor(rects, 1000, 800, { minZoom: 0.05, maxZoom: 1 })!;
    // 4,000 wide into 1,000 with a 10 % margin: under 0.25, over 0.2.
    expect(v.zoom).toBeLessThan(0.25);
    expect(v.zoom).toBeGreaterThan(0.2);
    expect(2000 * v.zoom + v.x).toBeCloseTo(500);
    expect(viewportFor(rects, 1000, 800, { minZoom: 0.5, maxZoom: 1 })!.zoom).toBe(0.5);
  });

  it("has nothing to show without rects or a view", () => {
    expect(viewportFor([], 1000, 800, {})).toBeNull();
    expect(viewportFor([{ x: 0, y: 0, width: 1, height: 1 }], 0, 0, {})).toBeNull();
  });
});
