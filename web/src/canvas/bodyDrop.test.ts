import { describe, expect, it } from "vitest";
import { endPoint, nodeUnder } from "./bodyDrop.ts";

describe("a connection released on a node's body", () => {
  it("ends where the mouse or the last touch was let go", () => {
    expect(endPoint(new MouseEvent("mouseup", { clientX: 12, clientY: 34 }))).toEqual({ x: 12, y: 34 });
    // happy-dom has no Touch constructor: the one field the code reads, cast
    const touch = { changedTouches: [{ clientX: 5, clientY: 6 }] } as unknown as TouchEvent;
    expect(endPoint(touch)).toEqual({ x: 5, y: 6 });
  });

  it("finds the node whose body is under the point, through its inner elements", () => {
    document.body.innerHTML =
      '<div class="react-flow__node" data-id="reward"><div class="kind-node"><span id="inner">¥20.00</span>' +
      '</div></div><div id="pane"></div>';
    const inner = document.getElementById("inner")!;
    const pane = document.getElementById("pane")!;
    // happy-dom lays nothing out, so the hit test is given: what lies under the point, topmost first.
    const at = (stack: Element[]) => ({ elementsFromPoint: () => stack }) as unknown as Document;
    expect(nodeUnder(at([inner, pane]), { x: 1, y: 1 })).toBe("reward");
    expect(nodeUnder(at([pane]), { x: 1, y: 1 })).toBeNull();
  });
});
