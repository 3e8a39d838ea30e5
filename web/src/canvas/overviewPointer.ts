/**
 * What a person does on a box in the overview band, where no node is mounted (Overview.tsx draws
 * them): pressing a box selects it (Ctrl/⌘ adds or removes it), dragging it moves it (with the rest
 * of the selection when it was selected), a click on no box clears the selection, and hovering
 * names it. Found by hit-testing the pointer in flow coordinates (hitTest.ts). A press on empty
 * canvas, the wheel and double-click are left to React Flow: they pan and zoom as in every band.
 */
import { useEffect, type RefObject } from "react";
import { useReactFlow } from "@xyflow/react";
import type { Lang } from "@lifeloop/shared";
import { useEditor, type XY } from "../store/editor.ts";
import { nodeAt } from "./hitTest.ts";
import { boxOf } from "./summary.ts";

/** Screen pixels around a box that still hit it (a box may be only a few pixels tall). */
const SLOP_PX = 3;
/** Screen pixels the pointer moves before a press becomes a drag (React Flow's threshold too). */
const DRAG_PX = 1;

const mod = (e: MouseEvent) => e.ctrlKey || e.metaKey;

export function useOverviewPointer(wrapper: RefObject<HTMLElement | null>, active: boolean, lang: Lang): void {
  const flow = useReactFlow();
  useEffect(() => {
    const root = wrapper.current;
    if (!active || !root) return;
    /** The node under the pointer, when it is over the canvas pane (not a panel or a control). */
    const hit = (e: MouseEvent): { id: string; title: string; pane: HTMLElement } | null => {
      const pane = e.target instanceof Element ? e.target.closest<HTMLElement>(".react-flow__pane") : null;
      const doc = useEditor.getState().doc;
      if (!pane || !doc) return null;
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const node = nodeAt(doc.nodes, at, SLOP_PX / flow.getZoom());
      return node ? { id: node.id, title: boxOf(node, lang).title, pane } : null;
    };

    const onDown = (e: MouseEvent) => {
      // Shift starts React Flow's selection box; other buttons pan as they do everywhere.
      if (e.button !== 0 || e.shiftKey) return;
      const found = hit(e);
      if (!found) return;
      // Ours, not a pan: React Flow's zoom handler, on an element inside, never sees the press.
      e.stopPropagation();
      e.preventDefault();
      const store = useEditor.getState();
      const selected = new Set(store.selection.nodes);
      if (mod(e)) {
        if (selected.has(found.id)) selected.delete(found.id);
        else selected.add(found.id);
        store.select({ nodes: [...selected], edges: [] });
        return;
      }
      if (!selected.has(found.id)) store.select({ nodes: [found.id], edges: [] });
      const moving = selected.has(found.id) ? [...selected] : [found.id];
      const from = new Map<string, XY>();
      for (const n of store.doc?.nodes ?? []) if (moving.includes(n.id)) from.set(n.id, n.position);
      const start = { x: e.clientX, y: e.clientY };
      const zoom = flow.getZoom();
      let dragged = false;
      const to = (ev: MouseEvent): Record<string, XY> => {
        const dx = (ev.clientX - start.x) / zoom;
        const dy = (ev.clientY - start.y) / zoom;
        const out: Record<string, XY> = {};
        for (const [id, p] of from) out[id] = { x: p.x + dx, y: p.y + dy };
        return out;
      };
      const onMove = (ev: MouseEvent) => {
        if (!dragged && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < DRAG_PX) return;
        dragged = true;
        useEditor.getState().moveNodes(to(ev), true);
      };
      const onUp = (ev: MouseEvent) => {
        window.removeEventListener("mousemove", onMove);
        window.removeEventListener("mouseup", onUp);
        // The last position closes the drag's one history step.
        if (dragged) useEditor.getState().moveNodes(to(ev), false);
      };
      window.addEventListener("mousemove", onMove);
      window.addEventListener("mouseup", onUp);
    };

    // A click on the pane that hit no box clears the selection (React Flow's own reset sees no nodes).
    const onClick = (e: MouseEvent) => {
      if (e.button !== 0 || mod(e) || e.shiftKey) return;
      const onPane = e.target instanceof Element && e.target.classList.contains("react-flow__pane");
      if (onPane && !hit(e)) useEditor.getState().select({ nodes: [], edges: [] });
    };

    // The box's name on hover, as a mounted box had in its title; and a pointer that says it is one.
    let hovered: HTMLElement | null = null;
    const clear = () => {
      hovered?.removeAttribute("title");
      hovered?.style.removeProperty("cursor");
      hovered = null;
    };
    const onHover = (e: MouseEvent) => {
      if (e.buttons !== 0) return;
      const found = hit(e);
      if (!found) return clear();
      hovered = found.pane;
      hovered.title = found.title;
      hovered.style.cursor = "pointer";
    };

    root.addEventListener("mousedown", onDown, true);
    root.addEventListener("click", onClick);
    root.addEventListener("mousemove", onHover);
    return () => {
      root.removeEventListener("mousedown", onDown, true);
      root.removeEventListener("click", onClick);
      root.removeEventListener("mousemove", onHover);
      clear();
    };
  }, [active, flow, lang, wrapper]);
}
