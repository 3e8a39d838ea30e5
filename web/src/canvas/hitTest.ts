/**
 * Which node is under a point of the flow (flow coordinates, not screen pixels). In the overview band
 * the nodes are not mounted (Overview.tsx draws them on a bitmap), so a click or a press on a box is
 * found here rather than by the DOM. Every node is the canvas's fixed box there (layout.ts).
 */
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";

interface Placed {
  id: string;
  position: { x: number; y: number };
}

/**
 * The node whose box contains `point`, or null. Where boxes overlap the one drawn last
 * (later in the document) is on top, as on the canvas, so it wins. `slop` widens every box by that
 * much on each side: a box a few screen pixels tall is hard to hit exactly.
 */
export function nodeAt<T extends Placed>(nodes: readonly T[], point: { x: number; y: number }, slop = 0): T | null {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    const { x, y } = n.position;
    if (
      point.x >= x - slop &&
      point.x <= x + NODE_WIDTH + slop &&
      point.y >= y - slop &&
      point.y <= y + NODE_HEIGHT + slop
    )
      return n;
  }
  return null;
}
