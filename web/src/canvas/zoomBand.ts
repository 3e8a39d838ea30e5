/**
 * How much of a node the canvas draws, by zoom. Read once, by the canvas, with a selector that only
 * changes when the band does (panning and most wheel ticks change nothing). Nodes read it from a
 * context the canvas provides, so no node subscribes to the viewport. (Not a node type per band: a
 * type change makes React Flow re-measure each node in a store update of its own, O(n²) for 1,000.)
 *
 * - normal: everything (title, summary, rules, branches, problems, figures);
 * - far (below 35 %): a light node, the kind's icon and the node's name in large type, bare handles;
 * - overview (below 20 %): plain boxes in the kind's colour; edges are drawn on one bitmap
 *   (Overview.tsx) instead of being mounted.
 */
import { createContext } from "react";
import type { ReactFlowState } from "@xyflow/react";

export type ZoomBand = "normal" | "far" | "overview";

export const FAR_ZOOM = 0.35;
export const OVERVIEW_ZOOM = 0.2;

export function bandOf(zoom: number): ZoomBand {
  if (zoom < OVERVIEW_ZOOM) return "overview";
  if (zoom < FAR_ZOOM) return "far";
  return "normal";
}

/** The React Flow store selector: a string, so an unchanged band re-renders nothing. */
export const selectBand = (s: Pick<ReactFlowState, "transform">): ZoomBand => bandOf(s.transform[2]);

export const ZoomBandContext = createContext<ZoomBand>("normal");
