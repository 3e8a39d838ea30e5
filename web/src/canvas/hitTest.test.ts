import { describe, expect, it } from "vitest";
import { nodeAt } from "./hitTest.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";

const nodes = [
  { id: "a", position: { x: 0, y: 0 } },
  { id: "b", position: { x: 300, y: 0 } },
  // Overlaps b's lower right corner, and comes later: drawn over it.
  { id: "c", position: { x: 400, y: 50 } },
];

describe("the node under a point of the flow", () => {
  it("finds the box that contains the point, edges included", () => {
    expect(nodeAt(nodes, { x: 10, y: 10 })?.id).toBe("a");
    expect(nodeAt(nodes, { x: NODE_WIDTH, y: NODE_HEIGHT })?.id).toBe("a");
    expect(nodeAt(nodes, { x: 310, y: 10 })?.id).toBe("b");
  });

  it("misses between boxes and outside them", () => {
    expect(nodeAt(nodes, { x: NODE_WIDTH + 1, y: 10 })).toBeNull();
    expect(nodeAt(nodes, { x: 10, y: NODE_HEIGHT + 1 })).toBeNull();
    expect(nodeAt(nodes, { x: -1, y: 0 })).toBeNull();
    expect(nodeAt([], { x: 0, y: 0 })).toBeNull();
  });

  it("picks the box drawn on top where two overlap", () => {
    expect(nodeAt(nodes, { x: 450, y: 60 })?.id).toBe("c");
    expect(nodeAt(nodes, { x: 450, y: 40 })?.id).toBe("b");
  });

  it("widens every box by the slop given", () => {
    expect(nodeAt(nodes, { x: -5, y: -5 })).toBeNull();
    expect(nodeAt(nodes, { x: -5, y: -5 }, 6)?.id).toBe("a");
  });
});
