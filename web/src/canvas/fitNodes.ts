/**
 * "Show these nodes": the view that fits them, computed from the document's positions (and the sizes
 * React Flow measured, where it has them) rather than by React Flow's fitView. In the overview band
 * no node is mounted, so React Flow knows none of them: its fitView would wait for them to be
 * measured and fire, unasked, the next time they are — zooming back out as someone zooms in.
 */
import { useCallback } from "react";
import { getViewportForBounds, useReactFlow, useStoreApi, type FitViewOptions, type Viewport } from "@xyflow/react";
import { useEditor } from "../store/editor.ts";
import { MAX_ZOOM, MIN_ZOOM } from "./fit.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** React Flow's default margin around what is fitted, as a share of the view. */
const PADDING = 0.1;

/** The viewport that shows every rect in a view of `width` × `height`, or null when there is none. */
export function viewportFor(
  rects: readonly Rect[],
  width: number,
  height: number,
  options: Pick<FitViewOptions, "minZoom" | "maxZoom">,
): Viewport | null {
  if (rects.length === 0 || width === 0 || height === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  return getViewportForBounds(box, width, height, options.minZoom ?? MIN_ZOOM, options.maxZoom ?? MAX_ZOOM, PADDING);
}

/** Fits the view to the nodes `ids` (every node of the journey when null), animated over `duration` ms. */
export function useFitNodes(): (ids: readonly string[] | null, options: FitViewOptions) => void {
  const flow = useReactFlow();
  const rf = useStoreApi();
  return useCallback(
    (ids, options) => {
      const doc = useEditor.getState().doc;
      if (!doc) return;
      const { nodeLookup, width, height } = rf.getState();
      const wanted = ids ? new Set(ids) : null;
      const rects = doc.nodes
        .filter((n) => !wanted || wanted.has(n.id))
        .map((n) => {
          const measured = nodeLookup.get(n.id)?.measured;
          return {
            ...n.position,
            width: measured?.width ?? NODE_WIDTH,
            height: measured?.height ?? NODE_HEIGHT,
          };
        });
      const view = viewportFor(rects, width, height, options);
      if (view) void flow.setViewport(view, options.duration ? { duration: options.duration } : undefined);
    },
    [flow, rf],
  );
}
