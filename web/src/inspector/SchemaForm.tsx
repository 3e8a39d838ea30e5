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
 */
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from "react";
import { useForm, type FieldErrors } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import {
  draftRewardUnit,
  hintOf,
  InputError,
  isCurrency,
  parseUntrustedJson,
  type Lang,
  type Rule,
} from "@lifeloop/shared";
import { formErrorText } from "../i18n/issues.ts";
import { Deferred, lazyNamed } from "../lazy.tsx";
import { MoneyInput, PercentInput } from "./AmountInput.tsx";
import type { RuleContext } from "./rules.ts";
import { freshValue, getIn, setIn, shapeOf, unwrap, variantOf, type Shape } from "./schema.ts";
import { useLang } from "../i18n/useLang.ts";

// The visual rule builder (react-querybuilder) is fetched the first time a rule field is shown.
const RuleBuilder = lazyNamed(() => import("./RuleBuilder.tsx"), "RuleBuilder");

type Path = ReadonlyArray<string | number>;

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
  testId?: string;
  /** Names an optional root (the goal) on its add / remove controls. */
  rootLabel?: string | undefined;
}

interface Ctx {
  base: string;
  root: unknown;
  errors: FieldErrors;
  issues: ReadonlyMap<string, string[]> | undefined;
  set(path: Path, value: unknown): void;
  ruleContext(parent: unknown): RuleContext;
  suggestions: Readonly<Record<string, readonly string[]>>;
  lang: Lang;
}

const FormCtx = createContext<Ctx | null>(null);
const useCtx = (): Ctx => {
  const c = useContext(FormCtx);
  if (!c) throw new Error("SchemaForm fields render inside a SchemaForm");
  return c;
};

/** "params.branches.1.rule" from a compiler field ("params.branches[1].rule"). */
export const normalizeField = (f: string): string => f.replace(/\[(\d+)\]/g, ".$1").replace(/\["([^"]+)"\]/g, ".$1");

const nameOf = (base: string, path: Path): string => [base, ...path].filter((p) => p !== "").join(".");
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** Values written to the store are plain JSON: no undefined keys, no shared references with the form. */
const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** The schema the form validates: the value under "v", so arrays and unions work as roots too. */
const wrapSchema = (s: z.ZodType) => z.object({ v: s });

export function SchemaForm({
  schema,
  value,
  onChange,
  base,
  issues,
  ruleContext,
  suggestions,
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
    ruleContext,
    suggestions: suggestions ?? {},
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

function errorAt(errors: FieldErrors, path: Path, root: unknown, required: string): string | undefined {
  const e = getIn(errors, path) as { message?: unknown; type?: unknown } | undefined;
  if (!e || typeof e.message !== "string") return undefined;
  // zod's "expected number, received undefined" is, to a person, a field left empty.
  if (e.type === "invalid_type" && getIn(root, path) === undefined) return required;
  return e.message;
}

/** The form's error for a field and the compiler's issues about it, beside the field. */
function FieldMessages({ path, own, deep }: { path: Path; own?: string | undefined; deep?: boolean }) {
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
function useLabel(key: string | number | null, parent?: string | number): string {
  const { t, i18n } = useTranslation();
  if (key === null) return "";
  if (typeof key === "number") return t("inspector.item", { n: key + 1 });
  if (typeof parent === "string" && i18n.exists(`field.${parent}.${key}`)) return t(`field.${parent}.${key}`);
  return t(`field.${key}`, {
    defaultValue: key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()),
  });
}

/** A hint under a field, looked up like its label; none when neither key has one. */
function hintFor(
  t: (k: string) => string,
  exists: (k: string) => boolean,
  key: unknown,
  parent: unknown,
): string | null {
  if (typeof key !== "string") return null;
  if (typeof parent === "string" && exists(`hint.${parent}.${key}`)) return t(`hint.${parent}.${key}`) || null;
  return exists(`hint.${key}`) ? t(`hint.${key}`) || null : null;
}

function Row({ label, name, children, hint }: { label: string; name: string; children: ReactNode; hint?: ReactNode }) {
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

interface ViewProps {
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

/** Both sides of an intersection (a union and an object, like the entry policy) in one fieldset. */
function Intersection({ path, value, label, parts, parent }: ViewProps & { parts: z.ZodType[] }) {
  const ctx = useCtx();
  const title = useLabel(label, path[path.length - 2]);
  const inner = parts.map((p, i) => (
    <FieldView key={i} schema={p} path={path} value={value} label={null} parent={parent} />
  ));
  if (label === null) return <>{inner}</>;
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${nameOf(ctx.base, path)}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {inner}
    </fieldset>
  );
}

function ObjectFields({
  path,
  value,
  label,
  shape,
  legendless,
}: ViewProps & { shape: Extract<Shape, { type: "object" }>; legendless?: boolean }) {
  const ctx = useCtx();
  const title = useLabel(label, path[path.length - 2]);
  const obj = isObj(value) ? value : {};
  const fields = shape.fields.map(([key, s]) => (
    <FieldView key={key} schema={s} path={[...path, key]} value={obj[key]} label={key} parent={obj} />
  ));
  if (label === null || legendless) return <>{fields}</>;
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${nameOf(ctx.base, path)}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {fields}
    </fieldset>
  );
}

function OptionalObject(props: ViewProps & { shape: Extract<Shape, { type: "object" }>; inner: z.ZodType }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const { path, value, label, inner } = props;
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  if (value === undefined) {
    return (
      <div className="field field--optional">
        <button
          type="button"
          className="link-button"
          data-testid={`add-${name}`}
          onClick={() => ctx.set(path, freshValue(inner))}
        >
          + {t("inspector.addItem", { what: ctx.lang === "en" ? title.toLowerCase() : title })}
        </button>
        <FieldMessages path={path} />
      </div>
    );
  }
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${name}`}>
      <legend>
        {title}
        <button
          type="button"
          className="link-button fieldset__remove"
          data-testid={`remove-${name}`}
          onClick={() => ctx.set(path, undefined)}
        >
          {t("inspector.remove")}
        </button>
      </legend>
      <FieldMessages path={path} />
      <ObjectFields {...props} legendless />
    </fieldset>
  );
}

function Variants({ path, value, label, shape }: ViewProps & { shape: Extract<Shape, { type: "variants" }> }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const title = useLabel(label, path[path.length - 2]);
  const discTitle = useLabel(shape.discriminator);
  const current = variantOf(shape, value);
  const discPath = [...path, shape.discriminator];
  const name = nameOf(ctx.base, discPath);
  const body = (
    <>
      <Row label={discTitle} name={name}>
        <select
          id={`f-${name}`}
          data-testid={`field-${name}`}
          value={current.value}
          onChange={(e) => {
            const next = shape.options.find((o) => o.value === e.target.value)!;
            // Swap the sub-form: the new variant's defaults, keeping fields that still fit.
            ctx.set(path, freshValue(next.schema, value));
          }}
        >
          {shape.options.map((o) => (
            <option key={o.value} value={o.value}>
              {t(`option.${o.value}`, { defaultValue: o.value })}
            </option>
          ))}
        </select>
        <FieldMessages path={discPath} />
      </Row>
      <ObjectBody schema={current.schema} path={path} value={value} />
    </>
  );
  if (label === null) return body;
  return (
    <fieldset className="fieldset" data-testid={`fieldset-${nameOf(ctx.base, path)}`}>
      <legend>{title}</legend>
      {body}
    </fieldset>
  );
}

/** A variant's fields without its own fieldset (the union's fieldset holds them). */
function ObjectBody({ schema, path, value }: { schema: z.ZodType; path: Path; value: unknown }) {
  const shape = shapeOf(schema);
  if (shape.type !== "object") return <FieldView schema={schema} path={path} value={value} label={null} />;
  return <ObjectFields schema={schema} path={path} value={value} label={null} shape={shape} />;
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

function ArrayField({
  path,
  value,
  label,
  shape,
  optional,
}: ViewProps & { shape: Extract<Shape, { type: "array" }>; optional: boolean }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const list = Array.isArray(value) ? value : [];
  const el = shapeOf(shape.element);
  // Small integer ranges (weekdays 1-7) read best as checkboxes.
  if (el.type === "number" && el.int && el.min !== undefined && el.max !== undefined && el.max - el.min <= 31) {
    const nums = list.filter((x): x is number => typeof x === "number");
    return (
      <Row label={title} name={name}>
        <div className="checks" data-testid={`field-${name}`}>
          {Array.from({ length: el.max - el.min + 1 }, (_, i) => el.min! + i).map((n) => (
            <label key={n} className="check">
              <input
                type="checkbox"
                data-testid={`field-${name}-${n}`}
                checked={nums.includes(n)}
                onChange={(e) => {
                  const next = e.target.checked ? [...nums, n].sort((a, b) => a - b) : nums.filter((x) => x !== n);
                  ctx.set(path, next.length === 0 && optional ? undefined : next);
                }}
              />
              {String(label) === "weekdays" ? t(`weekday.${n}`) : n}
            </label>
          ))}
        </div>
        <FieldMessages path={path} />
      </Row>
    );
  }
  const canAdd = shape.max === undefined || list.length < shape.max;
  const canRemove = shape.min === undefined || list.length > shape.min;
  return (
    <fieldset className="fieldset fieldset--list" data-testid={`fieldset-${name}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {list.map((item, i) => (
        <div key={i} className="list-item" data-testid={`item-${name}.${i}`}>
          <div className="list-item__tools">
            <span className="list-item__n">{i + 1}</span>
            <button
              type="button"
              title={t("inspector.moveUp")}
              aria-label={t("inspector.moveUp")}
              data-testid={`up-${name}.${i}`}
              disabled={i === 0}
              onClick={() => ctx.set(path, move(list, i, i - 1))}
            >
              ↑
            </button>
            <button
              type="button"
              title={t("inspector.moveDown")}
              aria-label={t("inspector.moveDown")}
              data-testid={`down-${name}.${i}`}
              disabled={i === list.length - 1}
              onClick={() => ctx.set(path, move(list, i, i + 1))}
            >
              ↓
            </button>
            <button
              type="button"
              title={t("inspector.remove")}
              aria-label={t("inspector.remove")}
              data-testid={`remove-${name}.${i}`}
              disabled={!canRemove}
              onClick={() =>
                ctx.set(
                  path,
                  list.filter((_, j) => j !== i),
                )
              }
            >
              ✕
            </button>
          </div>
          {el.type === "object" || el.type === "variants" ? (
            <ObjectBody schema={shape.element} path={[...path, i]} value={item} />
          ) : (
            <FieldView schema={shape.element} path={[...path, i]} value={item} label={i} parent={list} />
          )}
        </div>
      ))}
      {canAdd && (
        <button
          type="button"
          className="link-button"
          data-testid={`add-${name}`}
          onClick={() => ctx.set(path, [...list, freshItem(shape.element, list, String(label ?? "item"))])}
        >
          + {t("inspector.add")}
        </button>
      )}
    </fieldset>
  );
}

/** A new list item; an `id` field gets one not used yet in the list (branches, arms). */
function freshItem(element: z.ZodType, list: readonly unknown[], listName: string): unknown {
  const item = freshValue(element);
  if (isObj(item) && "id" in item) {
    // branches → b1, b2…; arms → a1…; segments → s1…
    const stem = /^[A-Za-z]/.test(listName) ? listName[0]!.toLowerCase() : "x";
    const ids = new Set(list.map((x) => (isObj(x) ? x.id : undefined)));
    let n = list.length + 1;
    while (ids.has(`${stem}${n}`)) n++;
    item.id = `${stem}${n}`;
  }
  return item;
}

function RecordField({ path, value, label, shape }: ViewProps & { shape: Extract<Shape, { type: "record" }> }) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const obj = isObj(value) ? value : {};
  const entries = Object.entries(obj);
  const rename = (from: string, to: string): void => {
    if (to === from || to in obj) return;
    ctx.set(path, Object.fromEntries(entries.map(([k, v]) => [k === from ? to : k, v])));
  };
  const valueIsScalar = !["object", "variants", "array", "record"].includes(shapeOf(shape.value).type);
  return (
    <fieldset className="fieldset fieldset--record" data-testid={`fieldset-${name}`}>
      <legend>{title}</legend>
      <FieldMessages path={path} />
      {entries.map(([k, v], i) => (
        <div key={k} className={`record-item${valueIsScalar ? " record-item--inline" : ""}`}>
          <input
            className="record-item__key"
            aria-label={t("inspector.key")}
            data-testid={`key-${name}.${i}`}
            defaultValue={k}
            onBlur={(e) => rename(k, e.target.value.trim())}
          />
          {valueIsScalar && (
            <FieldView schema={shape.value} path={[...path, k]} value={v} label={k} parent={obj} bare />
          )}
          <button
            type="button"
            aria-label={t("inspector.remove")}
            data-testid={`remove-${name}.${k}`}
            onClick={() => ctx.set(path, Object.fromEntries(entries.filter(([x]) => x !== k)))}
          >
            ✕
          </button>
          {!valueIsScalar && <FieldView schema={shape.value} path={[...path, k]} value={v} label={null} parent={obj} />}
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        data-testid={`add-${name}`}
        onClick={() => {
          let n = entries.length + 1;
          while (`new_${n}` in obj) n++;
          ctx.set(path, { ...obj, [`new_${n}`]: freshValue(shape.value) });
        }}
      >
        + {t("inspector.add")}
      </button>
    </fieldset>
  );
}

function RuleField({ path, value, label, parent, optional }: ViewProps & { optional: boolean }) {
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const context = useMemo(() => ctx.ruleContext(parent), [ctx, parent]);
  return (
    <div className="field field--rule" data-field={name}>
      <span className="field__label">{title}</span>
      <Deferred inline>
        <RuleBuilder
          value={value as Rule | undefined}
          optional={optional}
          context={context}
          testId={`field-${name}`}
          onChange={(rule) => ctx.set(path, rule)}
        />
      </Deferred>
      <FieldMessages path={path} deep />
    </div>
  );
}

/** Anything the walker has no control for: edited as JSON, applied only when it parses. */
function JsonField({ path, value, label }: ViewProps) {
  const { t } = useTranslation();
  const ctx = useCtx();
  const name = nameOf(ctx.base, path);
  const title = useLabel(label, path[path.length - 2]);
  const error = useRef<HTMLParagraphElement>(null);
  return (
    <Row label={title} name={name}>
      <textarea
        id={`f-${name}`}
        data-testid={`field-${name}`}
        defaultValue={value === undefined ? "" : JSON.stringify(value, null, 2)}
        onChange={(e) => {
          try {
            ctx.set(path, e.target.value.trim() === "" ? undefined : parseUntrustedJson(e.target.value));
            if (error.current) error.current.textContent = "";
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            if (error.current) error.current.textContent = t("inspector.jsonInvalid", { message: err.message });
          }
        }}
      />
      <p className="field-error" ref={error} role="alert" />
      <FieldMessages path={path} />
    </Row>
  );
}

/** The unit of a money or points field: the currency beside it, else the reward of the params. */
function unitOf(root: unknown, path: Path): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const holder = getIn(root, path.slice(0, i));
    if (isObj(holder) && typeof holder.currency === "string" && isCurrency(holder.currency)) return holder.currency;
  }
  const reward = isObj(root) ? root.reward : undefined;
  // A half-typed reward (a rebate without its currency yet) has no unit: no hint then.
  return isObj(reward) ? draftRewardUnit(reward) : null;
}

/**
 * A field the schema marks as money (`ui.unit: "money"`): typed in yuan when its unit is a
 * currency, as whole points or coupons otherwise; without a unit yet, it waits for the currency.
 */
function MoneyField({
  id,
  name,
  value,
  unit,
  min,
  max,
  onChange,
}: {
  id: string;
  name: string;
  value: unknown;
  unit: string | null;
  min?: number | undefined;
  max?: number | undefined;
  onChange(n: number | undefined): void;
}) {
  const { t } = useTranslation();
  if (unit && isCurrency(unit))
    return (
      <MoneyInput
        key={unit}
        id={id}
        testId={`field-${name}`}
        value={value}
        currency={unit}
        min={min}
        max={max}
        onChange={onChange}
      />
    );
  if (unit)
    return <NumberInput id={id} testId={`field-${name}`} value={value} int min={min} max={max} onChange={onChange} />;
  return (
    <input
      id={id}
      data-testid={`field-${name}`}
      type="text"
      disabled
      value={typeof value === "number" ? String(value) : ""}
      placeholder={t("inspector.unit.pickCurrency")}
    />
  );
}

function ScalarField({
  schema,
  path,
  value,
  label,
  parent,
  shape,
  optional,
  bare,
}: ViewProps & { shape: Shape; optional: boolean }) {
  const { t, i18n } = useTranslation();
  const ctx = useCtx();
  // How the field reads to a person, declared beside it in the schema (shared/src/schema/hints.ts).
  const hints = hintOf(schema);
  const name = nameOf(ctx.base, path);
  const key = path[path.length - 1];
  const title = useLabel(label, path[path.length - 2]);
  const id = `f-${name}`;
  let control: ReactNode;
  let hint: ReactNode = null;
  switch (shape.type) {
    case "boolean":
      control = (
        <input
          id={id}
          type="checkbox"
          data-testid={`field-${name}`}
          checked={value === true}
          onChange={(e) => ctx.set(path, e.target.checked)}
        />
      );
      break;
    case "enum":
      control = (
        <select
          id={id}
          data-testid={`field-${name}`}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => ctx.set(path, e.target.value === "" ? undefined : e.target.value)}
        >
          {(optional || typeof value !== "string") && <option value="">{t("inspector.none")}</option>}
          {shape.options.map((o) => (
            <option key={o} value={o}>
              {t(`option.${o}`, { defaultValue: o })}
            </option>
          ))}
        </select>
      );
      break;
    case "number": {
      const onNumber = (n: number | undefined): void => ctx.set(path, n);
      if (hints.unit === "money") {
        const named = hints.currency && isObj(parent) ? parent[hints.currency] : undefined;
        const unit = hints.currency
          ? typeof named === "string" && isCurrency(named)
            ? named
            : null
          : unitOf(ctx.root, path);
        control = (
          <MoneyField
            id={id}
            name={name}
            value={value}
            unit={unit}
            min={shape.min}
            max={shape.max}
            onChange={onNumber}
          />
        );
        if (unit === "points" || unit === "coupons") hint = t(`inspector.unit.${unit}`);
      } else if (hints.unit === "bps") {
        control = (
          <PercentInput
            id={id}
            testId={`field-${name}`}
            value={value}
            min={shape.min}
            max={shape.max}
            onChange={onNumber}
          />
        );
      } else {
        control = (
          <NumberInput
            id={id}
            testId={`field-${name}`}
            value={value}
            int={shape.int}
            min={shape.min}
            max={shape.max}
            onChange={onNumber}
          />
        );
      }
      break;
    }
    case "primitives":
      control = (
        <PrimitiveInput
          id={id}
          testId={`field-${name}`}
          value={value}
          options={shape.options}
          onChange={(v) => ctx.set(path, v)}
        />
      );
      break;
    case "null":
      return null;
    default: {
      const isTime = hints.widget === "time";
      const isDateTime = hints.widget === "datetime";
      const suggestions = typeof key === "string" ? ctx.suggestions[key] : undefined;
      const listId = suggestions ? `list-${name}` : undefined;
      const text = typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
      const onText = (v: string): void => ctx.set(path, v === "" && optional ? undefined : v);
      if (hints.widget === "multiline") {
        control = (
          <textarea
            id={id}
            data-testid={`field-${name}`}
            value={text}
            rows={3}
            onChange={(e) => onText(e.target.value)}
          />
        );
      } else {
        control = (
          <>
            <input
              id={id}
              data-testid={`field-${name}`}
              type={isTime ? "time" : isDateTime ? "datetime-local" : "text"}
              value={text}
              list={listId}
              placeholder={
                hints.unit === "duration"
                  ? t("inspector.durationHint")
                  : hints.unit === "window"
                    ? t("inspector.windowHint")
                    : undefined
              }
              onChange={(e) => onText(e.target.value)}
            />
            {suggestions && (
              <datalist id={listId}>
                {suggestions.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            )}
          </>
        );
      }
    }
  }
  if (bare) {
    return (
      <div className="field__control">
        {control}
        <FieldMessages path={path} />
      </div>
    );
  }
  return (
    <Row label={title} name={name} hint={hint ?? hintFor(t, (k) => i18n.exists(k), key, path[path.length - 2])}>
      {control}
      <FieldMessages path={path} />
    </Row>
  );
}

/**
 * A number input that writes numbers (never strings): an integer field stays an integer unless
 * the person types a fraction, which is kept as typed so the schema can say it is not whole.
 * While the text is not a number yet ("", "-"), nothing is written except "" → removed.
 */
function NumberInput({
  id,
  testId,
  value,
  int,
  min,
  max,
  onChange,
}: {
  id: string;
  testId: string;
  value: unknown;
  int: boolean;
  min?: number | undefined;
  max?: number | undefined;
  onChange(n: number | undefined): void;
}) {
  const shown = typeof value === "number" && Number.isFinite(value) ? String(value) : "";
  return (
    <input
      id={id}
      data-testid={testId}
      type="number"
      inputMode={int ? "numeric" : "decimal"}
      step={int ? 1 : "any"}
      min={min}
      max={max}
      value={shown}
      onChange={(e) => {
        const raw = e.target.value.trim();
        if (raw === "") return onChange(undefined);
        const n = Number(raw);
        if (Number.isFinite(n)) onChange(n);
      }}
    />
  );
}

function PrimitiveInput({
  id,
  testId,
  value,
  options,
  onChange,
}: {
  id: string;
  testId: string;
  value: unknown;
  options: Array<"string" | "number" | "boolean" | "null">;
  onChange(v: unknown): void;
}) {
  const { t } = useTranslation();
  const type =
    value === null ? "null" : typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string";
  return (
    <span className="primitive">
      <select
        aria-label={t("inspector.type")}
        data-testid={`${testId}-type`}
        value={type}
        onChange={(e) => {
          const next = e.target.value;
          onChange(
            next === "null"
              ? null
              : next === "number"
                ? Number(value) || 0
                : next === "boolean"
                  ? value === true || value === "true"
                  : value === null || value === undefined
                    ? ""
                    : String(value),
          );
        }}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {t(`inspector.primitive.${o}`)}
          </option>
        ))}
      </select>
      {type === "string" && (
        <input
          id={id}
          data-testid={testId}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {type === "number" && (
        <NumberInput id={id} testId={testId} value={value} int={false} onChange={(n) => onChange(n ?? 0)} />
      )}
      {type === "boolean" && (
        <input
          id={id}
          data-testid={testId}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
      )}
    </span>
  );
}
