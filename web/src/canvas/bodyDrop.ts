/**
 * A connection released on a node's body, not on its small target handle, still connects: React
 * Flow only connects near a handle, so a drag a person aimed at the node's middle used to be lost.
 * Pure DOM lookups, so the canvas stays a view and this is testable without React Flow.
 */

/** Where a mouse or touch gesture ended, in client pixels. */
export function endPoint(event: MouseEvent | TouchEvent): { x: number; y: number } | null {
  if ("changedTouches" in event) {
    const t = event.changedTouches[0];
    return t ? { x: t.clientX, y: t.clientY } : null;
  }
  return { x: event.clientX, y: event.clientY };
}

/** The id of the canvas node whose body is under the point (React Flow marks node wrappers with data-id). */
export function nodeUnder(doc: Document, point: { x: number; y: number }): string | null {
  for (const el of doc.elementsFromPoint(point.x, point.y)) {
    const node = el.closest<HTMLElement>(".react-flow__node");
    if (node?.dataset.id) return node.dataset.id;
  }
  return null;
}
