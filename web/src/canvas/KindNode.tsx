import { memo, useContext, useEffect, useRef } from "react";
import { Handle, Position, useUpdateNodeInternals, type NodeProps, type Node } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import type { Issue, Lang } from "@lifeloop/shared";
import { ruleWords } from "../i18n/fields.ts";
import { issueText } from "../i18n/issues.ts";
import type { NodeFigures } from "../store/overlay.ts";
import { darkenFor } from "../ui/contrast.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
import { useKnownCatalog, useSummaryNames } from "./names.ts";
import { stateOf, viewOf, type NodeLook, type NodeView } from "./summary.ts";
import { ZoomBandContext } from "./zoomBand.ts";

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

/** One component for every kind: icon, title, summary and one handle per branch, all from the registry. */
function KindNodeView({ id: flowId, data, selected }: NodeProps<KindFlowNode>) {
  const { id, look, note, lang, issues, figures, onPath } = data;
  const { t } = useTranslation();
  const view = viewOf(look, lang, useSummaryNames(lang));
  useHandlesRemeasured(flowId, view.handles.map((h) => h.id).join("\n"));
  const errors = issues?.filter((i) => i.severity === "error") ?? [];
  const state = stateOf(view, issues);
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

/**
 * Far out (zoomBand.ts): the kind's icon and the node's name in large type, and bare handles so
 * edges still meet the node; no summary, rules, branch labels, problem line or figures.
 */
function FarNodeView({ data, selected }: NodeProps<KindFlowNode>) {
  const { id, look, lang, issues, onPath } = data;
  const view = viewOf(look, lang);
  const state = stateOf(view, issues);
  const n = view.handles.length;
  return (
    <div
      className={
        `kind-node--far kind-node--${state}` +
        `${selected ? " kind-node--selected" : ""}${onPath ? " kind-node--path" : ""}`
      }
      data-testid={`node-${id}`}
      data-kind={look.kind}
      data-state={state}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT, background: darkenFor(view.color) }}
    >
      {view.hasTarget && <Handle type="target" position={Position.Left} id="in" className="kind-node__in" />}
      <span className="kind-node__far-name" title={view.title}>
        <span aria-hidden>{view.icon}</span> {view.title}
      </span>
      {view.handles.map((h, i) => (
        <Handle
          key={h.id}
          type="source"
          position={Position.Right}
          id={h.id}
          className="kind-node__out"
          style={{ top: `${((i + 1) * 100) / (n + 1)}%` }}
        />
      ))}
    </div>
  );
}

/**
 * The drawing for the canvas's zoom band (zoomBand.ts): the full node or a light one. In the overview
 * band no node is mounted: Overview.tsx draws them all on one bitmap.
 */
function KindNodeBanded(props: NodeProps<KindFlowNode>) {
  const band = useContext(ZoomBandContext);
  if (band !== "normal") return <FarNodeView {...props} />;
  return <KindNodeView {...props} />;
}

// Only what is drawn counts: a node is not redrawn when it moves or React Flow measures it (the
// band, a context, redraws every node once when it changes).
const KindNode = memo(KindNodeBanded, (a, b) => a.data === b.data && a.selected === b.selected);
export const nodeTypes = { kind: KindNode };
