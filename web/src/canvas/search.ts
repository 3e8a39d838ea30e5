/**
 * Finding nodes on the canvas by what a person remembers of them: the name on the node, its id, its
 * kind (the registry's label in either language, or the kind's own name) or words of its note.
 */
import { kindOf } from "@lifeloop/shared";

/** What search reads of a node (the document's node, or anything shaped like it). */
interface Findable {
  id: string;
  kind: string;
  label?: string | undefined;
  note?: string | undefined;
}

/** Ids of the nodes that match every word of `query` (case-insensitive), in document order. */
export function matchNodes(nodes: readonly Findable[], query: string): string[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return nodes
    .filter((n) => {
      const def = kindOf(n.kind);
      const hay = [n.id, n.kind, n.label ?? "", n.note ?? "", def?.meta.label.en ?? "", def?.meta.label["zh-CN"] ?? ""]
        .join("\n")
        .toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .map((n) => n.id);
}
