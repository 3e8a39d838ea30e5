/** Small pieces the panels share: a node's and a branch's name, a node's name, a list of issues by node. */
import { useTranslation } from "react-i18next";
import { kindOf, type Lang } from "@lifeloop/shared";
import type { ErrorIssue } from "../api/client.ts";
import { viewOf, type NodeLook } from "../canvas/summary.ts";
import { useEditor, type DocNode } from "../store/editor.ts";

/** "🎁 Reward · rebate_3" — the kind's own label from the registry, then the node's label or id. */
export function nodeName(node: Pick<DocNode, "id" | "kind" | "label"> | undefined, id: string, lang: Lang): string {
  if (!node) return id;
  const def = kindOf(node.kind);
  const kind = def ? `${def.meta.icon} ${def.meta.label[lang]}` : node.kind;
  return `${kind} · ${node.label ?? node.id}`;
}

/** A branch as the canvas names it ("下一步", "超时"), from the node's kind; the id when the node or branch is unknown. */
export function branchName(node: NodeLook | undefined, handle: string, lang: Lang): string {
  if (!node) return handle;
  return viewOf(node, lang).handles.find((h) => h.id === handle)?.label[lang] ?? handle;
}

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Selects a node on the canvas (the canvas brings the selection into view). */
export const selectNode = (nodeId: string): void => useEditor.getState().select({ nodes: [nodeId], edges: [] });

/**
 * Issues grouped by node (journey-level ones first). With `onPick`, each node is a link that selects
 * it; without, the list is only read.
 */
export function IssuesByNode({
  issues,
  onPick,
  testId,
  general,
}: {
  issues: readonly ErrorIssue[];
  onPick?: ((nodeId: string) => void) | undefined;
  testId: string;
  /** Heading for issues about no node in particular (default: "Journey"). */
  general?: string;
}) {
  const { t } = useTranslation();
  const groups = new Map<string, ErrorIssue[]>();
  for (const i of issues) {
    const key = i.nodeId ?? "";
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const order = [...groups.keys()].sort((a, b) => (a === "" ? -1 : b === "" ? 1 : 0));
  return (
    <div className="issues" data-testid={testId}>
      {order.map((nodeId) => (
        <section key={nodeId || "$"} className="issues__group">
          <h4>
            {nodeId === "" ? (
              (general ?? t("panels.journeyLevel"))
            ) : onPick ? (
              <button
                type="button"
                className="link"
                data-testid={`issue-node-${nodeId}`}
                onClick={() => onPick(nodeId)}
              >
                {t("panels.node")} {nodeId}
              </button>
            ) : (
              <span data-testid={`issue-node-${nodeId}`}>
                {t("panels.node")} {nodeId}
              </span>
            )}
          </h4>
          <ul>
            {groups.get(nodeId)!.map((i, n) => (
              <li
                key={`${i.path}-${n}`}
                className={`issue issue--${i.severity ?? "error"}`}
                data-testid="issue"
                data-node={i.nodeId ?? ""}
                data-path={i.path}
              >
                <code className="issue__path">{i.path}</code>
                {i.field && <code className="issue__field">{i.field}</code>}
                <span className="issue__message">{i.message}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
