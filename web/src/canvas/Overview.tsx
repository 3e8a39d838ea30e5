/**
 * Far out (a whole 1,000-node journey on one screen), the canvas draws the journey as one bitmap
 * instead of painting every node and edge: panning then moves a single image. The React Flow nodes
 * stay mounted (hidden), so zooming back in shows them at once, measured and connectable.
 */
import { useEffect, useRef } from "react";
import { useStore, ViewportPortal, type ReactFlowState } from "@xyflow/react";
import { kindOf } from "@lifeloop/shared";
import { useEditor, type Doc } from "../store/editor.ts";
import { useValidation } from "../store/validation.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";

/** Below this zoom the overview replaces the nodes (node text is under 3 px tall there). */
export const OVERVIEW_ZOOM = 0.2;
export const isOverview = (s: Pick<ReactFlowState, "transform">) => s.transform[2] < OVERVIEW_ZOOM;
/** The zoom rounded, so the bitmap is redrawn when the zoom really changes, not on each wheel tick. */
const zoomStep = (s: ReactFlowState) => Math.round(s.transform[2] * 200) / 200;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function bounds(doc: Pick<Doc, "nodes">): Box | null {
  if (doc.nodes.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of doc.nodes) {
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + NODE_WIDTH);
    y1 = Math.max(y1, n.position.y + NODE_HEIGHT);
  }
  const pad = 20;
  return { x: x0 - pad, y: y0 - pad, w: x1 - x0 + 2 * pad, h: y1 - y0 + 2 * pad };
}

function draw(canvas: HTMLCanvasElement, doc: Doc, box: Box, zoom: number, invalid: ReadonlySet<string>): void {
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const scale = zoom * ratio;
  canvas.width = Math.max(1, Math.ceil(box.w * scale));
  canvas.height = Math.max(1, Math.ceil(box.h * scale));
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(scale, 0, 0, scale, -box.x * scale, -box.y * scale);
  const at = new Map(doc.nodes.map((n) => [n.id, n.position]));
  ctx.strokeStyle = "#9ca3af";
  ctx.lineWidth = 2 / zoom;
  ctx.beginPath();
  for (const e of doc.edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    ctx.moveTo(a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2);
    ctx.lineTo(b.x, b.y + NODE_HEIGHT / 2);
  }
  ctx.stroke();
  for (const n of doc.nodes) {
    ctx.fillStyle = kindOf(n.kind)?.meta.color ?? "#6b7280";
    ctx.fillRect(n.position.x, n.position.y, NODE_WIDTH, NODE_HEIGHT);
    if (invalid.has(n.id)) {
      ctx.strokeStyle = "#dc2626";
      ctx.lineWidth = 6 / zoom;
      ctx.strokeRect(n.position.x, n.position.y, NODE_WIDTH, NODE_HEIGHT);
    }
  }
}

export function Overview() {
  const on = useStore(isOverview);
  const zoom = useStore(zoomStep);
  const doc = useEditor((s) => s.doc);
  const byNode = useValidation((s) => s.byNode);
  const ref = useRef<HTMLCanvasElement>(null);
  const box = on && doc ? bounds(doc) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: box is derived from doc, which is listed
  useEffect(() => {
    if (!on || !doc || !box || !ref.current) return;
    const invalid = new Set(
      [...byNode].filter(([, issues]) => issues.some((i) => i.severity === "error")).map(([id]) => id),
    );
    draw(ref.current, doc, box, Math.max(zoom, 0.005), invalid);
    // box is derived from doc
  }, [on, doc, zoom, byNode]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!box) return null;
  return (
    <ViewportPortal>
      <canvas
        ref={ref}
        className="overview"
        data-testid="canvas-overview"
        style={{ position: "absolute", left: box.x, top: box.y, width: box.w, height: box.h, pointerEvents: "none" }}
      />
    </ViewportPortal>
  );
}
