import { describe, expect, it } from "vitest";
import gift from "../../../samples/journeys/activation-newcomer-gift.json";
import { DraftJourney } from "@lifeloop/shared";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
import { bounds } from "./Overview.tsx";

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
});
