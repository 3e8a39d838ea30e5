/**
 * A visual editor for JSON-logic rules (react-querybuilder): rows of field / operator / value in
 * AND/OR groups, fields offered from the journey's catalog (event and trigger props, profile
 * attributes), aggregates and time as pseudo-fields, segments. A JSON view for experts parses
 * with the shared untrusted-JSON parser (no eval) and applies only valid JSON. A rule the builder
 * cannot show exactly stays in the JSON view with a notice; nothing is dropped or rewritten.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  QueryBuilder,
  update,
  ValueSelector,
  type Field,
  type FieldSelectorProps,
  type Path,
  type RuleGroupType,
  type ValueSelectorProps,
} from "react-querybuilder";
import { InputError, parseUntrustedJson, type Rule } from "@lifeloop/shared";
import { MoneyValueEditor } from "./MoneyValueEditor.tsx";
import {
  aggregateWindow,
  builderFields,
  fieldsInQuery,
  windowLabel,
  WINDOWS,
  OPERATORS_BY_KIND,
  queryToRule,
  ruleToQuery,
  type FieldKind,
  fieldKindOf,
  undeclaredEventOf,
  type RuleContext,
} from "./rules.ts";
import { declareEvent } from "../catalog/declare.ts";
import { useLang } from "../i18n/useLang.ts";

export interface RuleBuilderProps {
  value: Rule | undefined;
  onChange(rule: Rule | undefined): void;
  context: RuleContext;
  /** Optional rules (filters) are removed when emptied; required ones become `true`. */
  optional?: boolean;
  /** Names the controls: `${testId}-json`, `${testId}-mode-json`… */
  testId: string;
}

type Mode = "visual" | "json";

interface State {
  mode: Mode;
  query: RuleGroupType;
  /** Why the rule is only shown as JSON, when it is. */
  raw: string | null;
  text: string;
  error: string | null;
}

const EMPTY: RuleGroupType = { combinator: "and", rules: [] };
const textOf = (rule: Rule | undefined): string => (rule === undefined ? "" : JSON.stringify(rule, null, 2));

function stateOf(value: Rule | undefined, mode?: Mode): State {
  const q = ruleToQuery(value);
  return {
    mode: q.ok ? (mode ?? "visual") : "json",
    query: q.ok ? q.query : EMPTY,
    raw: q.ok ? null : q.reason,
    text: textOf(value),
    error: null,
  };
}

/** Where JSON.parse stopped, as line and column, for a message a person can act on. */
export function describeJsonError(text: string, e: InputError): { message: string; line?: number; column?: number } {
  const m = /position (\d+)/.exec(e.message);
  // "Unexpected end of JSON input": it stopped at the end.
  const pos = m ? Number(m[1]) : /end of JSON input/i.test(e.message) ? text.length : null;
  if (pos === null) return { message: e.message };
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return { message: e.message, line, column };
}

interface BuilderContext {
  setField(path: Path, field: string): void;
  rule: RuleContext;
}

/** The field select, plus a window select when the field is an aggregate (count of login · last 7 days). */
function FieldSelector(props: FieldSelectorProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const agg = aggregateWindow(props.value ?? "");
  // react-querybuilder hands our context to each control untyped.
  const ctx = props.context as BuilderContext | undefined;
  const undeclared = ctx ? undeclaredEventOf(props.value ?? "", ctx.rule) : null;
  return (
    <>
      <Labelled {...props} />
      {agg && (
        <select
          className="rule-window"
          data-testid="agg-window"
          title={t("rule.window")}
          aria-label={t("rule.window")}
          value={agg.window}
          disabled={props.disabled}
          onChange={(e) => ctx?.setField(props.path, agg.withWindow(e.target.value))}
        >
          {[...new Set([...WINDOWS, agg.window])].map((w) => (
            <option key={w} value={w}>
              {windowLabel(w, lang)}
            </option>
          ))}
        </select>
      )}
      {undeclared && ctx && (
        <button
          type="button"
          className="link-button rule-builder__declare"
          data-testid="add-to-catalog"
          title={t("rule.declareHelp", { event: undeclared })}
          disabled={props.disabled}
          onClick={() => declareEvent(undeclared, ctx.rule.catalog!.events[undeclared]!)}
        >
          {t("rule.declare")}
        </button>
      )}
    </>
  );
}

/**
 * react-querybuilder's selects are named by a title only, which is no label (a tooltip is not
 * shown to everyone): each is wrapped in a label with its title as hidden text.
 */
function Labelled(props: ValueSelectorProps) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the label wraps ValueSelector, which renders the select it names
    <label className="rule-builder__control">
      <span className="visually-hidden">{props.title}</span>
      <ValueSelector {...props} />
    </label>
  );
}

// Money fields take yuan and keep fen (MoneyValueEditor); the rest keep the builder's own editors.
const CONTROLS = {
  fieldSelector: FieldSelector,
  valueEditor: MoneyValueEditor,
  combinatorSelector: Labelled,
  operatorSelector: Labelled,
};

export function RuleBuilder({ value, onChange, context, optional, testId }: RuleBuilderProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const [state, setState] = useState<State>(() => stateOf(value));
  // The last rule this builder wrote: anything else arriving in `value` came from outside (undo).
  const emitted = useRef<Rule | undefined>(value);
  useEffect(() => {
    if (value === emitted.current || JSON.stringify(value) === JSON.stringify(emitted.current)) return;
    emitted.current = value;
    setState((s) => stateOf(value, s.mode));
  }, [value]);

  const used = useMemo(() => fieldsInQuery(state.query), [state.query]);
  const groups = useMemo(
    () => builderFields(context, lang, (g) => t(`rule.group.${g}`), used),
    [context, lang, t, used],
  );
  const flat = useMemo(() => groups.flatMap((g) => g.options), [groups]);

  const emit = (rule: Rule | undefined): void => {
    emitted.current = rule;
    onChange(rule);
  };

  const onQuery = (query: RuleGroupType): void => {
    const rule = queryToRule(query, flat as Field[]);
    const next = optional && query.rules.length === 0 ? undefined : rule;
    setState((s) => ({ ...s, query, text: textOf(next), error: null }));
    // Selecting a row's field without changing the rule (or mounting) writes nothing.
    if (JSON.stringify(next) !== JSON.stringify(emitted.current)) emit(next);
  };

  const onText = (text: string): void => {
    if (text.trim() === "" && optional) {
      setState((s) => ({ ...s, text, error: null, query: EMPTY, raw: null }));
      emit(undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = parseUntrustedJson(text, { maxBytes: 256 * 1024 });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const d = describeJsonError(text, e);
      const where = d.line !== undefined ? t("rule.json.at", { line: d.line, column: d.column }) : e.path;
      // Invalid JSON is never applied: the store keeps the last valid rule.
      setState((s) => ({ ...s, text, error: `${t("rule.json.invalid")} (${where}): ${d.message}` }));
      return;
    }
    const q = ruleToQuery(parsed as Rule);
    setState((s) => ({ ...s, text, error: null, query: q.ok ? q.query : s.query, raw: q.ok ? null : q.reason }));
    if (JSON.stringify(parsed) !== JSON.stringify(emitted.current)) emit(parsed as Rule);
  };

  const toVisual = (): void => {
    const q = ruleToQuery(emitted.current);
    setState((s) =>
      q.ok ? { ...s, mode: "visual", query: q.query, raw: null, error: null } : { ...s, raw: q.reason },
    );
  };

  const operators = useMemo(() => {
    const label = (op: string) => t(`rule.op.${op}`);
    // Unary operators have no value editor.
    const arity = (name: string) =>
      name === "truthy" || name === "null" || name === "notNull" ? ({ arity: "unary" } as const) : {};
    return (kind: FieldKind) =>
      OPERATORS_BY_KIND[kind].map((name) => ({ name, value: name, label: label(name), ...arity(name) }));
  }, [t]);

  const translations = useMemo(
    () => ({
      addRule: { label: t("rule.addRule"), title: t("rule.addRule") },
      addGroup: { label: t("rule.addGroup"), title: t("rule.addGroup") },
      removeRule: { label: "✕", title: t("rule.remove") },
      removeGroup: { label: "✕", title: t("rule.remove") },
      notToggle: { label: t("rule.not"), title: t("rule.not") },
      fields: { title: t("rule.field"), placeholderLabel: t("rule.pickField") },
      operators: { title: t("rule.operator"), placeholderLabel: t("rule.pickOperator") },
      value: { title: t("rule.value") },
      combinators: { title: t("rule.combinator") },
    }),
    [t],
  );
  const combinators = useMemo(
    () => [
      { name: "and", value: "and", label: t("rule.and") },
      { name: "or", value: "or", label: t("rule.or") },
    ],
    [t],
  );

  return (
    <div className="rule-builder" data-testid={testId} data-mode={state.mode}>
      <div className="rule-builder__bar">
        <button
          type="button"
          className={state.mode === "visual" ? "active" : ""}
          data-testid={`${testId}-mode-visual`}
          onClick={toVisual}
          aria-pressed={state.mode === "visual"}
        >
          {t("rule.visual")}
        </button>
        <button
          type="button"
          className={state.mode === "json" ? "active" : ""}
          data-testid={`${testId}-mode-json`}
          onClick={() => setState((s) => ({ ...s, mode: "json", text: s.error ? s.text : textOf(emitted.current) }))}
          aria-pressed={state.mode === "json"}
        >
          JSON
        </button>
      </div>
      {state.raw && (
        <p className="rule-builder__notice" data-testid={`${testId}-raw-notice`} role="note">
          {t("rule.rawOnly")}
        </p>
      )}
      {state.mode === "visual" ? (
        <QueryBuilder
          fields={groups}
          query={state.query}
          onQueryChange={onQuery}
          // react-querybuilder hands back the field option we gave it, typed without our own `kind`.
          getOperators={(_field, { fieldData }) => operators(fieldKindOf(fieldData).kind)}
          combinators={combinators}
          translations={translations}
          showNotToggle
          enableMountQueryChange={false}
          controlElements={CONTROLS}
          context={
            {
              setField: (path: Path, field: string) =>
                onQuery(update(state.query, "field", field, path, { resetOnFieldChange: false })),
              rule: context,
            } satisfies BuilderContext
          }
          resetOnOperatorChange={false}
          controlClassnames={{ queryBuilder: "rule-builder__qb" }}
        />
      ) : (
        <div className="rule-builder__json">
          <textarea
            data-testid={`${testId}-json`}
            value={state.text}
            spellCheck={false}
            rows={Math.min(14, Math.max(4, state.text.split("\n").length + 1))}
            onChange={(e) => onText(e.target.value)}
            aria-invalid={state.error !== null}
            placeholder={optional ? t("rule.json.emptyOptional") : "true"}
          />
          {state.error && (
            <p className="field-error" data-testid={`${testId}-json-error`} role="alert">
              {state.error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
