/**
 * Numbers drawn on the canvas over the journey: counts from a simulation run or live stats from
 * the engine. Panels set it; nodes and edges read it. Not part of the document or its history.
 */
import { create } from "zustand";

export interface NodeFigures {
  /** The main figure on the node's badge (people who reached it). */
  count: number;
  /** Optional extra line, e.g. "12 waiting" or "¥240 granted". */
  detail?: string;
}

export interface Overlay {
  source: "simulation" | "live";
  nodes: Record<string, NodeFigures>;
  /** Keyed by edge id. */
  edges: Record<string, number>;
  /** Node ids on the path of the person being inspected, in order. */
  path?: string[];
  /** Edge ids that person took (drawn highlighted). */
  pathEdges?: string[];
}

export const useOverlay = create<{ overlay: Overlay | null; set(o: Overlay | null): void }>((set) => ({
  overlay: null,
  set: (overlay) => set({ overlay }),
}));
