/**
 * How far "fit to view" may zoom out. A journey of up to 30 nodes is never shown smaller than
 * readable: a node's text (12 px) stays at 11 px or more on screen, and a journey too big for the
 * view at that zoom is centred on it instead of shrunk. Larger journeys are fitted whole (a
 * 1,000-node journey opens all in view, as the canvas benchmark measures).
 */
import type { FitViewOptions } from "@xyflow/react";

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
