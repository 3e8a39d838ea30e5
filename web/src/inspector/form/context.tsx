/** What the generated form's field modules share: the form context, names, labels, hints, messages, the row. */
import { createContext, useContext, type ReactNode } from "react";
import type { FieldErrors } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { Lang } from "@lifeloop/shared";
import { formErrorText } from "../../i18n/issues.ts";
import type { RuleContext } from "../rules.ts";
import { getIn } from "../schema.ts";

export type Path = ReadonlyArray<string | number>;

export interface Ctx {
  /** Renders a nested field (SchemaForm's dispatcher, handed down so the field modules import no circle). */
  Field(props: ViewProps): ReactNode;
  base: string;
  root: unknown;
  errors: FieldErrors;
  issues: ReadonlyMap<string, string[]> | undefined;
  set(path: Path, value: unknown): void;
  /** The value at a path as the last `set` left it (two changes in one event build on each other). */
  get(path: Path): unknown;
  ruleContext(parent: unknown): RuleContext;
  suggestions: Readonly<Record<string, readonly string[]>>;
  /** Starting values of fields by key (the journey's currency), for new values and empty money fields. */
  defaults: Readonly<Record<string, unknown>>;
  lang: Lang;
}

export const FormCtx = createContext<Ctx | null>(null);
export const useCtx = (): Ctx => {
  const c = useContext(FormCtx);
  if (!c) throw new Error("SchemaForm fields render inside a SchemaForm");
  return c;
};

export const nameOf = (base: string, path: Path): string => [base, ...path].filter((p) => p !== "").join(".");
export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** Values written to the store are plain JSON: no undefined keys, no shared references with the form. */
export const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** The schema the form validates: the value under "v", so arrays and unions work as roots too. */
export const wrapSchema = (s: z.ZodType) => z.object({ v: s });

function errorAt(errors: FieldErrors, path: Path, root: unknown, required: string): string | undefined {
  const e = getIn(errors, path) as { message?: unknown; type?: unknown } | undefined;
  if (!e || typeof e.message !== "string") return undefined;
  // zod's "expected number, received undefined" is, to a person, a field left empty.
  if (e.type === "invalid_type" && getIn(root, path) === undefined) return required;
  return e.message;
}

/** The form's error for a field and the compiler's issues about it, beside the field. */
export function FieldMessages({ path, own, deep }: { path: Path; own?: string | undefined; deep?: boolean }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const raw = own ?? errorAt(ctx.errors, path, ctx.root, t("inspector.required"));
  // zod's words, said as the compiler's same problem is said (shared's plain messages).
  const error = raw === undefined ? undefined : formErrorText(raw, ctx.lang);
  // A rule's issues point inside it ("goal.condition.==.0.var"): they belong to the rule field.
  const all =
    deep && ctx.issues
      ? [...ctx.issues].filter(([k]) => k === name || k.startsWith(`${name}.`)).flatMap(([, m]) => m)
      : (ctx.issues?.get(name) ?? []);
  // The compiler often says what the schema already said beside the field: say it once.
  const compiler = all.filter((m) => m !== error);
  if (!error && compiler.length === 0) return null;
  return (
    <>
      {error && (
        <p className="field-error" data-testid={`error-${name}`} role="alert">
          {error}
        </p>
      )}
      {compiler.map((m, i) => (
        <p key={i} className="field-issue" data-testid={`issue-${name}`}>
          ⚠ {m}
        </p>
      ))}
    </>
  );
}

/**
 * A field's label: `field.<parent>.<key>` when the same name means something else there (a quiet
 * hours' start is not a schedule's), else `field.<key>`, else the name itself, spaced.
 */
export function useLabel(key: string | number | null, parent?: string | number): string {
  const { t, i18n } = useTranslation();
  if (key === null) return "";
  if (typeof key === "number") return t("inspector.item", { n: key + 1 });
  if (typeof parent === "string" && i18n.exists(`field.${parent}.${key}`)) return t(`field.${parent}.${key}`);
  return t(`field.${key}`, {
    defaultValue: key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()),
  });
}

/** A hint under a field, looked up like its label; none when neither key has one. */
export function hintFor(
  t: (k: string) => string,
  exists: (k: string) => boolean,
  key: unknown,
  parent: unknown,
): string | null {
  if (typeof key !== "string") return null;
  if (typeof parent === "string" && exists(`hint.${parent}.${key}`)) return t(`hint.${parent}.${key}`) || null;
  return exists(`hint.${key}`) ? t(`hint.${key}`) || null : null;
}

export function Row({
  label,
  name,
  children,
  hint,
}: {
  label: string;
  name: string;
  children: ReactNode;
  hint?: ReactNode;
}) {
  return (
    <div className="field" data-field={name}>
      <label className="field__label" htmlFor={`f-${name}`}>
        {label}
      </label>
      <div className="field__control">
        {children}
        {hint && <span className="field__hint">{hint}</span>}
      </div>
    </div>
  );
}

export interface ViewProps {
  schema: z.ZodType;
  path: Path;
  value: unknown;
  /** The property name (or array index) this value sits at; null for the form's root. */
  label: string | number | null;
  /** The object holding this value (rule builders read its `event`). */
  parent?: unknown;
  /** Just the control, no label row (a record's value beside its key). */
  bare?: boolean;
}
