/**
 * What the canvas says about a node, from the registry alone: title, one-line summary and the
 * branches it can take. A half-configured draft node still gets a title and its default branches.
 */
import {
  hasInput,
  kindOf,
  RAW_NAMES,
  type HandleSpec,
  type Issue,
  type Lang,
  type SummaryNames,
} from "@lifeloop/shared";
import type { DocNode } from "../store/editor.ts";

export interface NodeView {
  title: string;
  summary: string;
  icon: string;
  color: string;
  handles: HandleSpec[];
  /** Rules said in words under the summary, each with the branch it leads to (the kind's rulesShown). */
  rules: Array<{ handle: string | null; rule: unknown }>;
  /** False when the params do not fit the kind's schema yet. */
  configured: boolean;
  hasTarget: boolean;
}

/** What the view depends on: not the position, so moving a node redraws nothing inside it. */
export type NodeLook = Pick<DocNode, "kind" | "params" | "label">;

// Parsing params with zod is the costly part of drawing a node; a node's params object only
// changes when it is edited, so each is parsed once per language.
const views = new WeakMap<object, Map<string, NodeView>>();
// Names change with the journey's catalog (rarely): each set of names gets a number in the memo key.
const namesIds = new WeakMap<SummaryNames, number>();
let lastNamesId = 0;
const namesId = (names: SummaryNames): number => {
  const known = namesIds.get(names);
  if (known !== undefined) return known;
  namesIds.set(names, ++lastNamesId);
  return lastNamesId;
};

/** The node as the canvas draws it; `names` says the journey's data (only summaries read them, not handles). */
export function viewOf(node: NodeLook, lang: Lang, names: SummaryNames = RAW_NAMES): NodeView {
  const key = node.params !== null && typeof node.params === "object" ? (node.params as object) : null;
  const memoKey = `${lang}\u0000${node.kind}\u0000${node.label ?? ""}\u0000${namesId(names)}`;
  const hit = key ? views.get(key)?.get(memoKey) : undefined;
  if (hit) return hit;
  const view = computeView(node, lang, names);
  if (key) {
    const perParams = views.get(key) ?? new Map<string, NodeView>();
    perParams.set(memoKey, view);
    views.set(key, perParams);
  }
  return view;
}

/** ok, warning or invalid: the node's border, from its issues and whether its params parse. */
export function stateOf(view: Pick<NodeView, "configured">, issues: Issue[] | undefined): NodeState {
  const errors = issues?.filter((i) => i.severity === "error").length ?? 0;
  if (errors > 0 || !view.configured) return "invalid";
  return (issues?.length ?? 0) > errors ? "warning" : "ok";
}

export type NodeState = "ok" | "warning" | "invalid";

/**
 * What a box at overview zoom shows (name and colour), from the registry without parsing the params:
 * a 1,000-node journey opened all in view parses none of them until someone zooms in.
 */
export function boxOf(node: NodeLook, lang: Lang): Pick<NodeView, "title" | "color"> {
  const def = kindOf(node.kind);
  return { title: node.label || (def ? def.meta.label[lang] : node.kind), color: def?.meta.color ?? "#6b7280" };
}

function computeView(node: NodeLook, lang: Lang, names: SummaryNames): NodeView {
  const def = kindOf(node.kind);
  if (!def) {
    return {
      title: node.kind,
      summary: lang === "zh-CN" ? "未知节点类型" : "Unknown node kind",
      icon: "❓",
      color: "#6b7280",
      handles: [],
      rules: [],
      configured: false,
      hasTarget: true,
    };
  }
  const parsed = def.params.safeParse(node.params);
  const base = {
    title: node.label || def.meta.label[lang],
    icon: def.meta.icon,
    color: def.meta.color,
    hasTarget: hasInput(def.kind),
  };
  if (parsed.success)
    return {
      ...base,
      summary: def.summary(parsed.data, lang, names),
      handles: def.handles(parsed.data),
      rules: def.rulesShown?.(parsed.data) ?? [],
      configured: true,
    };
  const fallback = def.params.safeParse(def.defaults());
  return {
    ...base,
    summary: lang === "zh-CN" ? "尚未配置完成" : "Not configured yet",
    handles: fallback.success ? def.handles(fallback.data) : [],
    rules: [],
    configured: false,
  };
}
