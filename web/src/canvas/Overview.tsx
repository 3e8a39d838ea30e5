/**
 * The whole journey in view (the overview band, zoomBand.ts): nodes are plain boxes and the edges,
 * instead of one mounted svg each, are lines on one bitmap under them, redrawn when the journey or
 * the zoom changes and moved as one image while panning. Mounted by the canvas in that band only.
 */
import { useEffect, useState } from "react";
import { useStore, ViewportPortal, type ReactFlowState } from "@xyflow/react";
import { useEditor, type Doc } from "../store/editor.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
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

function draw(canvas: HTMLCanvasElement, doc: Doc, box: Box, zoom: number): void {
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
}

export function Overview() {
  const zoom = useStore(zoomStep);
  const doc = useEditor((s) => s.doc);
  // A state, not a ref: the portal mounts the canvas only once React Flow's viewport is in the DOM,
  // which may be a render after this one, and the bitmap is drawn then.
  const [el, setEl] = useState<HTMLCanvasElement | null>(null);
  const box = doc ? bounds(doc) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: box is derived from doc, which is listed
  useEffect(() => {
    if (!doc || !box || !el) return;
    draw(el, doc, box, Math.max(zoom, 0.005));
    // How many edges the bitmap shows (the canvas benchmark waits for them).
    el.dataset.edges = String(doc.edges.length);
  }, [doc, zoom, el]);
  if (!box) return null;
  return (
    <ViewportPortal>
      <canvas
        ref={setEl}
        className="overview"
        data-testid="canvas-overview"
        style={{ position: "absolute", left: box.x, top: box.y, width: box.w, height: box.h, pointerEvents: "none" }}
      />
    </ViewportPortal>
  );
}
