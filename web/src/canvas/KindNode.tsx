import { memo, useEffect, useRef } from "react";
import {
  Handle,
  Position,
  useUpdateNodeInternals,
  type NodeProps,
  type Node,
  type ReactFlowState,
} from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { Issue, Lang } from "@lifeloop/shared";
import { ruleWords } from "../i18n/fields.ts";
import { issueText } from "../i18n/issues.ts";
import type { NodeFigures } from "../store/overlay.ts";
import { darkenFor } from "../ui/contrast.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
import { useKnownCatalog, useSummaryNames } from "./names.ts";
import { viewOf, type NodeLook, type NodeView } from "./summary.ts";

interface KindNodeData extends Record<string, unknown> {
  id: string;
  look: NodeLook;
  /** The marketer's note on the node, drawn under its summary. */
  note: string | undefined;
  lang: Lang;
  issues: Issue[] | undefined;
  figures: NodeFigures | undefined;
  onPath: boolean;
}

export type KindFlowNode = Node<KindNodeData, "kind">;

/**
 * Zoomed far out, text is unreadable and painting it is what makes a 1,000-node journey stutter:
 * nodes keep their size and handles (so edges stay put) but paint as plain coloured boxes. The
 * canvas sets one class for all of them (a selector per node would run on every pan frame).
 */
const FAR_ZOOM = 0.35;
export const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

/** One component for every kind: icon, title, summary and one handle per branch, all from the registry. */
function KindNodeView({ id: flowId, data, selected }: NodeProps<KindFlowNode>) {
  const { id, look, note, lang, issues, figures, onPath } = data;
  const { t } = useTranslation();
  const view = viewOf(look, lang, useSummaryNames(lang));
  useHandlesRemeasured(flowId, view.handles.map((h) => h.id).join("\n"));
  const errors = issues?.filter((i) => i.severity === "error") ?? [];
  const warnings = (issues?.length ?? 0) - errors.length;
  const state = errors.length > 0 || !view.configured ? "invalid" : warnings > 0 ? "warning" : "ok";
  return (
    <div
      className={
        `kind-node kind-node--${state}` +
        `${selected ? " kind-node--selected" : ""}` +
        `${onPath ? " kind-node--path" : ""}`
      }
      data-testid={`node-${id}`}
      data-kind={look.kind}
      data-state={state}
      style={{
        width: NODE_WIDTH,
        minHeight: NODE_HEIGHT,
        borderColor: state === "ok" ? view.color : undefined,
        ["--kind-color" as string]: view.color,
      }}
      title={issues?.map((i) => issueText(i, lang, look).text).join("\n")}
    >
      {view.hasTarget && <Handle type="target" position={Position.Left} id="in" className="kind-node__in" />}
      <div className="kind-node__head" style={{ background: darkenFor(view.color) }}>
        <span className="kind-node__icon" aria-hidden>
          {view.icon}
        </span>
        <span className="kind-node__title">{view.title}</span>
        <span className="kind-node__id">{id}</span>
      </div>
      <div className="kind-node__summary">{view.summary}</div>
      {view.rules.length > 0 && <RuleLines id={id} rules={view.rules} handles={view.handles} lang={lang} />}
      {note && (
        <div className="kind-node__note" data-testid={`note-${id}`} title={note}>
          <span aria-hidden>📝 </span>
          {note}
        </div>
      )}
      {/* How many, not what: the words are said once beside the field and once in the problems list. */}
      {errors.length > 0 && <div className="kind-node__problem">⚠ {t("node.problems", { count: errors.length })}</div>}
      {figures && (
        <div className="kind-node__figures" data-testid={`figures-${id}`}>
          <strong>{figures.count.toLocaleString(lang)}</strong>
          {figures.detail && <span> · {figures.detail}</span>}
        </div>
      )}
      <div className="kind-node__handles">
        {view.handles.map((h) => (
          <div key={h.id} className="kind-node__branch" data-testid={`branch-${id}-${h.id}`}>
            <span className={`kind-node__branch-label${h.required ? "" : " kind-node__branch-label--optional"}`}>
              {h.label[lang]}
            </span>
            <Handle type="source" position={Position.Right} id={h.id} className="kind-node__out" />
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * A condition's or a split's rules in words ("over_10k: 本月 transaction amount 合计 ≥ ¥10,000.00"),
 * money in the currency the journey's (or the workspace's) catalog names.
 */
function RuleLines({
  id,
  rules,
  handles,
  lang,
}: {
  id: string;
  rules: NodeView["rules"];
  handles: NodeView["handles"];
  lang: Lang;
}) {
  // The samples' catalog is what names and formats rule words (what was only observed has no labels
  // or money), so the canvas does not re-render when the observed events arrive.
  const catalog = useKnownCatalog();
  return (
    <ul className="kind-node__rules" data-testid={`rules-${id}`}>
      {rules.map((r, i) => {
        const branch = r.handle === null ? null : handles.find((h) => h.id === r.handle);
        const words = ruleWords(r.rule, { catalog, lang });
        return (
          <li key={i} data-testid={`rule-words-${id}-${r.handle ?? "self"}`}>
            {branch ? `${branch.label[lang]}: ${words}` : words}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * React Flow finds a dragged handle by the id it measured; a branch renamed in place (same size,
 * so no resize to notice) would refuse every drag from it. Re-measured when the ids change, not on
 * mount (a 1,000-node journey measures once).
 */
function useHandlesRemeasured(nodeId: string, ids: string): void {
  const update = useUpdateNodeInternals();
  const seen = useRef(ids);
  useEffect(() => {
    if (seen.current === ids) return;
    seen.current = ids;
    update(nodeId);
  }, [ids, nodeId, update]);
}

// Only what is drawn counts: a node is not redrawn when it moves or React Flow measures it.
const KindNode = memo(KindNodeView, (a, b) => a.data === b.data && a.selected === b.selected);
export const nodeTypes = { kind: KindNode };
