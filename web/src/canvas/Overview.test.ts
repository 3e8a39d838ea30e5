import { describe, expect, it } from "vitest";
import gift from "../../../samples/journeys/activation-newcomer-gift.json";
import { DraftJourney } from "@lifeloop/shared";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
import { bitmapScale, bounds } from "./Overview.tsx";

describe("far-zoom overview", () => {
  it("covers every node of the journey with a margin", () => {
    const b = bounds(DraftJourney.parse(gift))!;
    const xs = gift.nodes.map((n) => n.position.x);
    const ys = gift.nodes.map((n) => n.position.y);
    expect(b).toEqual({
      x: Math.min(...xs) - 20,
      y: Math.min(...ys) - 20,
      w: Math.max(...xs) + NODE_WIDTH - Math.min(...xs) + 40,
      h: Math.max(...ys) + NODE_HEIGHT - Math.min(...ys) + 40,
    });
    expect(bounds({ nodes: [] })).toBeNull();
  });

  it("draws at the screen's resolution, and lower only where the browser would refuse the bitmap", () => {
    // 12,000 × 3,500 flow units at 7 %: 840 × 245 CSS pixels, twice that on a 2× screen.
    expect(bitmapScale({ w: 12_000, h: 3_500 }, 0.07, 2)).toBeCloseTo(0.14);
    // A 300,000-unit chain at 19 % would be 57,000 pixels wide: capped at 16,384.
    expect(bitmapScale({ w: 300_000, h: 500 }, 0.19, 1) * 300_000).toBeCloseTo(16_384);
    // A huge square: capped by the area (16 M pixels), not only by its sides.
    const s = bitmapScale({ w: 15_000, h: 15_000 }, 1, 1);
    expect(s * 15_000 * s * 15_000).toBeCloseTo(16_000_000, -2);
  });
});
