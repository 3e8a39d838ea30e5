/**
 * A form generated from a zod schema: the registry's params of a node kind, or a part of the
 * journey (entry, goal, exit criteria, settings, segments, catalog). Discriminated unions are a
 * select that swaps the sub-form, objects are fieldsets, optional objects can be added and
 * removed, arrays of objects can be added to, removed from and reordered, JSON-logic rules get
 * the rule builder. No per-kind code: a new kind's params render as they are declared.
 *
 * The value lives in the editor store: every change, valid or not, is written back through
 * `onChange` (drafts may hold invalid params; the compiler reports them). react-hook-form with the
 * schema's zodResolver mirrors it and says what is wrong beside each field; `issues` adds what
 * the compiler says about a field.
 *
 * This module is the form and its dispatcher (FieldView); the fields by type live in form/
 * (structure, collections, rule, scalar; context.tsx for what they share). Nested fields are
 * rendered through the context's `Field`, so those modules never import this one back.
 */
import { useEffect, useMemo, useRef } from "react";
import { useForm, type FieldErrors } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { RuleContext } from "./rules.ts";
import { getIn, setIn, shapeOf, unwrap } from "./schema.ts";
import { useLang } from "../i18n/useLang.ts";
import { FieldMessages, FormCtx, plain, wrapSchema, type Ctx, type ViewProps } from "./form/context.tsx";
import { ArrayField, RecordField } from "./form/collections.tsx";
import { JsonField, RuleField } from "./form/rule.tsx";
import { ScalarField } from "./form/scalar.tsx";
import { Intersection, ObjectFields, OptionalObject, Variants } from "./form/structure.tsx";

export interface SchemaFormProps {
  schema: z.ZodType;
  value: unknown;
  onChange(value: unknown): void;
  /** Prefix of field names in test ids and issues: "params" gives `field-params.timeout`. */
  base: string;
  /** What the compiler says, by field ("params.timeout", "params.branches.1.rule"). */
  issues?: ReadonlyMap<string, string[]> | undefined;
  /** Fields offered to rule builders inside this form; `parent` is the object holding the rule. */
  ruleContext(parent: unknown): RuleContext;
  /** Suggestions for string fields by key (events, segments, time zones). */
  suggestions?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Starting values of new fields by key: `{ currency: "CNY" }` gives a new rebate the journey's currency. */
  defaults?: Readonly<Record<string, unknown>> | undefined;
  testId?: string;
  /** Names an optional root (the goal) on its add / remove controls. */
  rootLabel?: string | undefined;
}

const NO_DEFAULTS: Readonly<Record<string, unknown>> = {};

/** "params.branches.1.rule" from a compiler field ("params.branches[1].rule"). */
export const normalizeField = (f: string): string => f.replace(/\[(\d+)\]/g, ".$1").replace(/\["([^"]+)"\]/g, ".$1");

export function SchemaForm({
  schema,
  value,
  onChange,
  base,
  issues,
  ruleContext,
  suggestions,
  defaults,
  testId,
  rootLabel,
}: SchemaFormProps) {
  const lang = useLang();
  const wrapped = useMemo(() => wrapSchema(schema), [schema]);
  const form = useForm<{ v: unknown }>({
    resolver: zodResolver(wrapped),
    defaultValues: { v: plain(value) },
    mode: "onChange",
  });
  const errors = form.formState.errors;
  // Mirror the store's value into the form and validate it, whoever changed it (typing or undo).
  const seen = useRef<string | null>(null);
  useEffect(() => {
    const json = JSON.stringify(value ?? null);
    if (seen.current === json) return;
    seen.current = json;
    form.reset({ v: plain(value) }, { keepErrors: true });
    void form.trigger();
  }, [value, form]);

  // Two changes in one event (before the store re-renders this form) build on each other.
  const latest = useRef(value);
  latest.current = value;
  const ctx: Ctx = {
    base,
    root: value,
    errors: ((errors as Record<string, unknown>).v ?? {}) as FieldErrors,
    issues,
    set: (path, next) => {
      const v = plain(setIn(latest.current, path, next));
      latest.current = v;
      onChange(v);
    },
    get: (path) => getIn(latest.current, path),
    ruleContext,
    suggestions: suggestions ?? {},
    defaults: defaults ?? NO_DEFAULTS,
    Field: FieldView,
    lang,
  };
  const rootError = (errors as Record<string, { message?: string } | undefined>).v?.message;
  return (
    <FormCtx.Provider value={ctx}>
      <form
        className="schema-form"
        data-testid={testId ?? `form-${base}`}
        onSubmit={(e) => e.preventDefault()}
        noValidate
      >
        {rootError && <FieldMessages path={[]} own={rootError} />}
        <FieldView
          schema={schema}
          path={[]}
          value={value}
          label={unwrap(schema).optional ? (rootLabel ?? null) : null}
        />
      </form>
    </FormCtx.Provider>
  );
}

function FieldView(props: ViewProps) {
  const { schema } = props;
  const u = unwrap(schema);
  const shape = shapeOf(schema);
  switch (shape.type) {
    case "literal":
      return null;
    case "object":
      return u.optional ? (
        <OptionalObject {...props} shape={shape} inner={u.schema} />
      ) : (
        <ObjectFields {...props} shape={shape} />
      );
    case "intersection":
      return <Intersection {...props} parts={shape.parts} />;
    case "variants":
      return <Variants {...props} shape={shape} />;
    case "array":
      return <ArrayField {...props} shape={shape} optional={u.optional} />;
    case "record":
      return <RecordField {...props} shape={shape} />;
    case "rule":
      return <RuleField {...props} optional={u.optional} />;
    case "unknown":
      return <JsonField {...props} />;
    default:
      return <ScalarField {...props} shape={shape} optional={u.optional || u.hasDefault} />;
  }
}
