/** Scalar fields of the generated form by type: money and percent, numbers, text, selects, booleans. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { draftRewardUnit, hintOf, isCurrency } from "@lifeloop/shared";
import { MoneyInput, PercentInput } from "../AmountInput.tsx";
import { getIn, type Shape } from "../schema.ts";
import {
  FieldMessages,
  Row,
  hintFor,
  isObj,
  nameOf,
  useCtx,
  useLabel,
  type Ctx,
  type Path,
  type ViewProps,
} from "./context.tsx";

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
 * The unit of a money field whose currency is the field beside it (a coupon's value): that field's
 * currency, or while it is empty the journey's (the form's default), which typing an amount then
 * writes beside it, so nobody types an ISO code. Null when neither names one.
 */
function besideCurrency(
  key: string,
  parent: unknown,
  path: Path,
  ctx: Ctx,
): { unit: string | null; onChange(n: number | undefined): void } {
  const named = isObj(parent) ? parent[key] : undefined;
  const own = (n: number | undefined): void => ctx.set(path, n);
  if (typeof named === "string" && isCurrency(named)) return { unit: named, onChange: own };
  const fallback = ctx.defaults[key];
  if ((named !== undefined && named !== "") || typeof fallback !== "string" || !isCurrency(fallback))
    return { unit: null, onChange: own };
  const holder = path.slice(0, -1);
  return {
    unit: fallback,
    onChange: (n) => {
      if (n === undefined) return own(n);
      const now = ctx.get(holder);
      ctx.set(holder, { ...(isObj(now) ? now : {}), [key]: fallback, [path[path.length - 1]!]: n });
    },
  };
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

export function ScalarField({
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
        const { unit, onChange } = hints.currency
          ? besideCurrency(hints.currency, parent, path, ctx)
          : { unit: unitOf(ctx.root, path), onChange: onNumber };
        control = (
          <MoneyField
            id={id}
            name={name}
            value={value}
            unit={unit}
            min={shape.min}
            max={shape.max}
            onChange={onChange}
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
