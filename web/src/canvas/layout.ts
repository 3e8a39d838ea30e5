/**
 * Auto-layout with dagre: left to right, branches fanned out vertically. Node sizes are the
 * canvas's fixed node box, so the layout needs no DOM measurement and runs in tests. dagre is
 * fetched the first time a journey is laid out, not with the editor.
 */
import type { DraftJourney } from "@lifeloop/shared";

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 84;

export async function layoutNodes(
  doc: Pick<DraftJourney, "nodes" | "edges">,
): Promise<Map<string, { x: number; y: number }>> {
  const { default: dagre } = await import("@dagrejs/dagre");
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of doc.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of doc.nodes) {
    const p = g.node(n.id);
    // dagre gives centres; React Flow positions are top-left corners.
    if (p) out.set(n.id, { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) });
  }
  return out;
}
