/** A journey with one node of every registered kind, for the inspector's tests. */
import { allKinds, LooseNode } from "@lifeloop/shared";
import { useEditor, type Doc } from "../store/editor.ts";
import { useValidation, validate } from "../store/validation.ts";

export const nodeIdOf = (kind: string): string => kind.replace(/-/g, "_");

export function docWithEveryKind(extra: Partial<Doc> = {}): Doc {
  return {
    schemaVersion: 1,
    id: "inspector_test",
    name: "Inspector test",
    description: "",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    exitCriteria: [],
    settings: {},
    segments: [{ id: "vip", name: "VIP", description: "", condition: { "==": [{ var: "profile.tier" }, "VIP"] } }],
    catalog: {
      events: { app_open: { props: {} }, transaction: { props: { amount: "number", channel: "string" } } },
      attributes: { tier: "string", registeredAt: "timestamp" },
    },
    // Parsed, so each node is a real draft node (its id checked and branded) with its kind's defaults.
    nodes: allKinds().map((k, i) =>
      LooseNode.parse({ id: nodeIdOf(k.kind), kind: k.kind, position: { x: i * 300, y: 0 }, params: k.defaults() }),
    ),
    edges: [],
    ...extra,
  } as Doc;
}

/** Loads the document, selects `ids` and validates it at once (no debounce). */
export function loadAndSelect(doc: Doc, ids: string[]): void {
  useEditor.getState().load(doc, null);
  useEditor.getState().select({ nodes: ids, edges: [] });
  useValidation.setState(validate(doc));
}

export const paramsOf = (id: string): unknown => useEditor.getState().doc!.nodes.find((n) => n.id === id)!.params;
