/**
 * The side panel that edits what is selected: one node (its kind's params as a form generated from
 * the registry's schema), several nodes (delete them), or nothing (the journey's own settings).
 */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { kindOf, type Issue, type Lang } from "@lifeloop/shared";
import { useEditor, type DocNode } from "../store/editor.ts";
import { useValidation } from "../store/validation.ts";
import { ruleContextFor, scopeOfKind, suggestionsFor } from "./context.ts";
import { JourneySettings } from "./JourneySettings.tsx";
import { IssueList, issuesByField } from "./Issues.tsx";
import { SchemaForm } from "./SchemaForm.tsx";

const NO_ISSUES: Issue[] = [];

export function Inspector() {
  const { t } = useTranslation();
  const selected = useEditor((s) => s.selection.nodes);
  const node = useEditor((s) => (s.selection.nodes.length === 1 ? s.doc?.nodes.find((n) => n.id === s.selection.nodes[0]) : undefined));
  if (selected.length > 1) {
    return (
      <div className="inspector" data-testid="inspector">
        <p className="inspector__multi" data-testid="inspector-multi">
          {t("inspector.selected", { count: selected.length })}
        </p>
        <button type="button" className="danger" data-testid="inspector-delete" onClick={() => useEditor.getState().deleteSelection()}>
          {t("inspector.deleteSelected")}
        </button>
      </div>
    );
  }
  return (
    <div className="inspector" data-testid="inspector">
      {node ? <NodeInspector key={`${node.id}:${node.kind}`} node={node} /> : <JourneySettings />}
    </div>
  );
}

function NodeInspector({ node }: { node: DocNode }) {
  const { t, i18n } = useTranslation();
  const lang: Lang = i18n.language === "zh-CN" ? "zh-CN" : "en";
  const def = kindOf(node.kind);
  const issues = useValidation((s) => s.byNode.get(node.id) ?? NO_ISSUES);
  const doc = useEditor((s) => s.doc);
  const byField = useMemo(() => issuesByField(issues, (i) => i.field), [issues]);
  const scope = scopeOfKind(node.kind);
  const ruleContext = useMemo(() => (parent: unknown) => ruleContextFor(doc!, scope, parent), [doc, scope]);
  const suggestions = useMemo(() => (doc ? suggestionsFor(doc) : undefined), [doc]);
  const update = useEditor.getState().updateNode;
  return (
    <>
      <header className="inspector__head" style={def ? { borderColor: def.meta.color } : undefined}>
        <span className="inspector__icon" aria-hidden>
          {def?.meta.icon ?? "?"}
        </span>
        <span className="inspector__kind" data-testid="inspector-kind">
          {def?.meta.label[lang] ?? node.kind}
        </span>
        <code className="inspector__id" data-testid="inspector-node-id" title={t("inspector.nodeId")}>
          {node.id}
        </code>
      </header>
      {def && <p className="inspector__desc">{def.meta.description[lang]}</p>}
      <div className="field">
        <label className="field__label" htmlFor="inspector-label">
          {t("inspector.label")}
        </label>
        <input
          id="inspector-label"
          data-testid="field-label"
          value={node.label ?? ""}
          maxLength={120}
          placeholder={t("inspector.labelPlaceholder")}
          onChange={(e) => update(node.id, { label: e.target.value })}
        />
      </div>
      <IssueList issues={issues} testId="inspector-issues" title={t("inspector.issues")} />
      {def ? (
        <SchemaForm
          schema={def.params}
          base="params"
          value={node.params}
          issues={byField}
          ruleContext={ruleContext}
          suggestions={suggestions}
          onChange={(params) => update(node.id, { params })}
        />
      ) : (
        <p className="inspector__unknown" role="note">
          {t("inspector.unknownKind", { kind: node.kind })}
        </p>
      )}
      <button type="button" className="danger inspector__delete" data-testid="inspector-delete" onClick={() => useEditor.getState().remove({ nodes: [node.id], edges: [] })}>
        {t("inspector.delete")}
      </button>
    </>
  );
}
