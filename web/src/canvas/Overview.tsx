/**
 * The whole journey in view (the overview band, zoomBand.ts): no node or edge is mounted. Boxes in
 * the kind's colour, their outlines (problems, the inspected person's path, the selection) and the
 * edges are drawn on one bitmap, redrawn when the journey, the selection, the problems or the zoom
 * change and moved as one image while panning — 1,000 mounted boxes cost a layout of each on every
 * pan frame. What a person does on a box there is handled by overviewPointer.ts.
 */
import { useEffect, useState } from "react";
import { useStore, ViewportPortal, type ReactFlowState } from "@xyflow/react";
import type { Issue } from "@lifeloop/shared";
import { useEditor, type Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { useValidation } from "../store/validation.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
import { boxOf, stateOf } from "./summary.ts";

/** The zoom rounded, so the bitmap is redrawn when the zoom really changes, not on each wheel tick. */
const zoomStep = (s: ReactFlowState) => Math.round(s.transform[2] * 200) / 200;

/** Browsers refuse canvases past about 32k pixels a side or 16M pixels in all; stay well inside. */
const MAX_SIDE = 16_384;
const MAX_AREA = 16_000_000;

/** Outline colours, as styles.css draws mounted nodes (--error, --warning, --accent, the path's). */
const OUTLINE = { invalid: "#dc2626", warning: "#b45309", path: "#fde68a", selected: "#4f46e5" };

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

/** What the bitmap shows besides the document. */
interface Marks {
  selected: ReadonlySet<string>;
  byNode: ReadonlyMap<string, Issue[]>;
  path: ReadonlySet<string>;
}

/** Bitmap pixels per flow unit: the screen's, unless that would make a canvas the browser refuses. */
export function bitmapScale(box: Pick<Box, "w" | "h">, zoom: number, pixelRatio: number): number {
  return Math.min(zoom * pixelRatio, MAX_SIDE / box.w, MAX_SIDE / box.h, Math.sqrt(MAX_AREA / (box.w * box.h)));
}

function draw(canvas: HTMLCanvasElement, doc: Doc, box: Box, zoom: number, marks: Marks): void {
  const scale = bitmapScale(box, zoom, Math.min(window.devicePixelRatio || 1, 2));
  canvas.width = Math.max(1, Math.ceil(box.w * scale));
  canvas.height = Math.max(1, Math.ceil(box.h * scale));
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(scale, 0, 0, scale, -box.x * scale, -box.y * scale);
  // Line widths in screen pixels, whatever the zoom.
  const px = 1 / zoom;
  const at = new Map(doc.nodes.map((n) => [n.id, n.position]));
  ctx.strokeStyle = "#9ca3af";
  ctx.lineWidth = 2 * px;
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
    ctx.fillStyle = boxOf(n, "en").color;
    ctx.fillRect(n.position.x, n.position.y, NODE_WIDTH, NODE_HEIGHT);
  }
  // Outlines over every box, so a neighbour's fill never hides one; the selection last, on top.
  const outline = (x: number, y: number, color: string, width: number) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.strokeRect(x - width / 2, y - width / 2, NODE_WIDTH + width, NODE_HEIGHT + width);
  };
  for (const n of doc.nodes) {
    const state = stateOf({ configured: true }, marks.byNode.get(n.id));
    if (state !== "ok") outline(n.position.x, n.position.y, OUTLINE[state], 2 * px);
    if (marks.path.has(n.id)) outline(n.position.x, n.position.y, OUTLINE.path, 3 * px);
  }
  for (const n of doc.nodes)
    if (marks.selected.has(n.id)) outline(n.position.x, n.position.y, OUTLINE.selected, 3 * px);
}

export function Overview() {
  const zoom = useStore(zoomStep);
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection.nodes);
  const byNode = useValidation((s) => s.byNode);
  const path = useOverlay((s) => s.overlay?.path);
  // A state, not a ref: the portal mounts the canvas only once React Flow's viewport is in the DOM,
  // which may be a render after this one, and the bitmap is drawn then.
  const [el, setEl] = useState<HTMLCanvasElement | null>(null);
  const box = doc ? bounds(doc) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: box is derived from doc, which is listed
  useEffect(() => {
    if (!doc || !box || !el) return;
    const marks = { selected: new Set(selection), byNode, path: new Set(path ?? []) };
    draw(el, doc, box, Math.max(zoom, 0.005), marks);
    // What the bitmap shows (the canvas benchmark and the browser tests wait for and read these).
    el.dataset.nodes = String(doc.nodes.length);
    el.dataset.edges = String(doc.edges.length);
    el.dataset.selected = selection.join(" ");
  }, [doc, zoom, el, selection, byNode, path]);
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
