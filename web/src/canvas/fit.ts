/**
 * How far "fit to view" may zoom out. A journey of up to 30 nodes is never shown smaller than
 * readable: a node's text (12 px) stays at 11 px or more on screen, and a journey too big for the
 * view at that zoom is centred on it instead of shrunk. Larger journeys are fitted whole (a
 * 1,000-node journey opens all in view, as the canvas benchmark measures).
 */
import type { FitViewOptions } from "@xyflow/react";
import { type RefObject, useCallback, useEffect, useRef } from "react";

/** The canvas's zoom range. */
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2;
/** A node's text size in CSS pixels at zoom 1 (styles.css, .kind-node). */
const NODE_TEXT_PX = 12;
export const READABLE_TEXT_PX = 11;
const READABLE_ZOOM = READABLE_TEXT_PX / NODE_TEXT_PX;
/** Up to this many nodes, fitting stops at the readable zoom. */
const READABLE_UP_TO = 30;

export function fitOptions(nodeCount: number, duration?: number): FitViewOptions {
  return {
    maxZoom: 1,
    minZoom: nodeCount <= READABLE_UP_TO ? READABLE_ZOOM : MIN_ZOOM,
    ...(duration ? { duration } : {}),
  };
}

/**
 * The open's fit, again each time the canvas's box changes size, until the person moves the view
 * themselves. On open the side panel (the inspector, its chunk arriving, a node selected) can take
 * its width after React Flow fitted the journey to the wider box, which cut the trigger off at the
 * edge. Returns React Flow's onMoveStart: a move with an input event is the person's, and ends it.
 */
export function useFitUntilMoved(
  box: RefObject<HTMLElement | null>,
  enabled: boolean,
  fit: () => void,
): (event: MouseEvent | TouchEvent | null) => void {
  const moved = useRef(!enabled);
  useEffect(() => {
    const el = box.current;
    if (!enabled || !el) return;
    let size = `${el.clientWidth}x${el.clientHeight}`;
    const observer = new ResizeObserver(() => {
      if (moved.current) return observer.disconnect();
      const now = `${el.clientWidth}x${el.clientHeight}`;
      if (now === size || el.clientWidth === 0 || el.clientHeight === 0) return;
      size = now;
      fit();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [box, enabled, fit]);
  return useCallback((event) => {
    if (event) moved.current = true;
  }, []);
}
