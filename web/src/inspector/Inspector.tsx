/**
 * The side panel that edits what is selected: one node (its kind's params as a form generated from
 * the registry's schema), several nodes (delete them), or nothing (the journey's own settings).
 */
import { useCallback, useMemo } from "react";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { kindOf, type Issue } from "@lifeloop/shared";
import { fieldEditHandlers } from "../store/fieldEdit.ts";
import { useEditor, type DocNode, type EditorState } from "../store/editor.ts";
import { useValidation } from "../store/validation.ts";
import { defaultsFor, ruleContextFor, scopeOfKind, suggestionsFor, useJourneyFacts } from "./context.ts";
import { hasField, issueText } from "../i18n/issues.ts";
import { JourneySettings } from "./JourneySettings.tsx";
import { fieldPath, IssueList, issuesByField } from "./Issues.tsx";
import { MessagePreview } from "./MessagePreview.tsx";
import { SchemaForm } from "./SchemaForm.tsx";
import { useLang } from "../i18n/useLang.ts";

/**
 * A node whose params hold a message template (what a message-like kind declares in its schema):
 * read from the params' shape, not the kind's name, so any kind that sends text gets the preview.
 */
const sendsText = (params: unknown): boolean => {
  const template = (params as { template?: { body?: unknown } } | null)?.template;
  return typeof template?.body === "string";
};

const NO_ISSUES: Issue[] = [];
/** A node of a kind the registry does not know: its params edited as JSON, kept as they are. */
const ANY_JSON = z.json();

export function Inspector() {
  const { t } = useTranslation();
  const selected = useEditor((s) => s.selection.nodes);
  // The id and kind only: the node's own fields are read below, so moving it re-renders nothing here.
  const one = useEditor((s) => {
    if (s.selection.nodes.length !== 1) return null;
    const n = s.doc?.nodes.find((x) => x.id === s.selection.nodes[0]);
    return n ? `${n.id}\u0000${n.kind}` : null;
  });
  if (selected.length > 1) {
    return (
      <div className="inspector" data-testid="inspector">
        <p className="inspector__multi" data-testid="inspector-multi">
          {t("inspector.selected", { count: selected.length })}
        </p>
        <button
          type="button"
          className="danger"
          data-testid="inspector-delete"
          onClick={() => useEditor.getState().deleteSelection()}
        >
          {t("inspector.deleteSelected")}
        </button>
      </div>
    );
  }
  const [id, kind] = one ? one.split("\u0000") : [];
  return (
    // Focus bubbles here from every field: one undo step per field edit.
    <div className="inspector" data-testid="inspector" {...fieldEditHandlers}>
      {id && kind !== undefined ? <NodeInspector key={one!} id={id} kind={kind} /> : <JourneySettings />}
    </div>
  );
}

const nodeOf = (s: EditorState, id: string): DocNode | undefined => s.doc?.nodes.find((n) => n.id === id);

function NodeInspector({ id, kind }: { id: string; kind: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const def = kindOf(kind);
  const params = useEditor((s) => nodeOf(s, id)?.params);
  const label = useEditor((s) => nodeOf(s, id)?.label);
  const note = useEditor((s) => nodeOf(s, id)?.note);
  const issues = useValidation((s) => s.byNode.get(id) ?? NO_ISSUES);
  const facts = useJourneyFacts();
  const self = useMemo(() => ({ kind, params }), [kind, params]);
  const byField = useMemo(
    () =>
      issuesByField(
        issues,
        (i) => i.field,
        (i) => issueText(i, lang, self).text,
      ),
    [issues, lang, self],
  );
  // What the form shows beside a field is not listed again above it.
  const unplaced = useMemo(() => {
    const schema = def?.params;
    const path = (i: Issue) => (i.field ? fieldPath(i.field, "params") : null);
    const placed = (i: Issue) => {
      const p = path(i);
      return !!schema && p !== null && p.length > 0 && hasField(schema, params, p);
    };
    const rest = issues.filter((i) => !placed(i));
    return rest.length === issues.length ? issues : rest;
  }, [issues, def, params]);
  const scope = scopeOfKind(kind);
  const ruleContext = useMemo(() => (parent: unknown) => ruleContextFor(facts, scope, parent), [facts, scope]);
  const suggestions = useMemo(() => suggestionsFor(facts), [facts]);
  const defaults = useMemo(() => defaultsFor(facts), [facts]);
  const update = useEditor.getState().updateNode;
  const onChange = useCallback(
    (next: unknown) => useEditor.getState().updateNode(id, { params: next as DocNode["params"] }),
    [id],
  );
  return (
    <>
      <header className="inspector__head" style={def ? { borderColor: def.meta.color } : undefined}>
        <span className="inspector__icon" aria-hidden>
          {def?.meta.icon ?? "?"}
        </span>
        <span className="inspector__kind" data-testid="inspector-kind">
          {def?.meta.label[lang] ?? kind}
        </span>
        <code className="inspector__id" data-testid="inspector-node-id" title={t("inspector.nodeId")}>
          {id}
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
          value={label ?? ""}
          maxLength={120}
          placeholder={t("inspector.labelPlaceholder")}
          onChange={(e) => update(id, { label: e.target.value })}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="inspector-note">
          {t("inspector.note")}
        </label>
        <textarea
          id="inspector-note"
          data-testid="field-note"
          value={note ?? ""}
          maxLength={1000}
          rows={2}
          placeholder={t("inspector.notePlaceholder")}
          onChange={(e) => update(id, { note: e.target.value })}
        />
      </div>
      <IssueList issues={unplaced} testId="inspector-issues" title={t("inspector.issues")} lang={lang} node={self} />
      {!def && (
        <p className="inspector__unknown" role="note">
          {t("inspector.unknownKind", { kind })}
        </p>
      )}
      <SchemaForm
        schema={def?.params ?? ANY_JSON}
        base="params"
        value={params}
        issues={byField}
        ruleContext={ruleContext}
        suggestions={suggestions}
        defaults={defaults}
        onChange={onChange}
      />
      {sendsText(params) && <MessagePreview nodeId={id} />}
      <button
        type="button"
        className="danger inspector__delete"
        data-testid="inspector-delete"
        onClick={() => useEditor.getState().remove({ nodes: [id], edges: [] })}
      >
        {t("inspector.delete")}
      </button>
    </>
  );
}
