/**
 * Money and rates as people type them: a coupon of ¥20.00 is typed "20" and kept as 2000 fen, a
 * 3 % rebate is typed "3" and kept as 300 basis points. Text is parsed exactly (shared's
 * parseAmount / parsePercent, no floats); what cannot be an amount ("20.555" yuan) is said beside
 * the field and never written, so the document only ever holds whole minor units.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  bpsToPercent,
  currencySymbol,
  majorUnits,
  parseAmount,
  parsePercent,
  type ParseProblem,
  type Parsed,
} from "@lifeloop/shared";

interface Bounds {
  /** The field's name for assistive technology, where no <label> names it (a rule's value). */
  label?: string | undefined;
  /** Least and most the schema allows, in the stored unit (fen, basis points). */
  min?: number | undefined;
  max?: number | undefined;
}

interface ScaledProps extends Bounds {
  id: string;
  testId: string;
  value: unknown;
  format(n: number): string;
  parse(text: string): Parsed;
  problem(p: ParseProblem | "below_min" | "above_max", digits: number, bound?: string): string;
  onChange(n: number | undefined): void;
  prefix?: string | undefined;
  suffix?: string | undefined;
}

/**
 * A text field over an integer: shows `format(value)`, writes `parse(text)` when it is a number
 * (or nothing when emptied). A value arriving from elsewhere (undo, an import) replaces the text.
 */
function ScaledInput(props: ScaledProps) {
  const { id, testId, value, format, parse, problem, onChange, prefix, suffix, min, max, label } = props;
  const show = (v: unknown): string => (typeof v !== "number" ? "" : Number.isSafeInteger(v) ? format(v) : String(v));
  const showRef = useRef(show);
  showRef.current = show;
  const [text, setText] = useState(() => show(value));
  const [error, setError] = useState<string | null>(null);
  // What this field last wrote: any other value came from outside.
  const written = useRef<unknown>(value);
  useEffect(() => {
    if (value === written.current) return;
    written.current = value;
    setText(showRef.current(value));
    setError(null);
  }, [value]);
  const write = (n: number | undefined): void => {
    written.current = n;
    onChange(n);
  };
  return (
    <span className="amount">
      {prefix && (
        <span className="amount__affix" data-testid={`${testId}-unit`}>
          {prefix}
        </span>
      )}
      <input
        id={id}
        data-testid={testId}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={text}
        aria-invalid={error !== null}
        aria-label={label}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const r = parse(next);
          // Out of the schema's range: said in the person's unit (¥0.01, 100 %), not in fen or bps.
          if (r.ok && min !== undefined && r.value < min)
            setError(problem("below_min", 0, `${prefix ?? ""}${format(min)}${suffix ?? ""}`));
          else if (r.ok && max !== undefined && r.value > max)
            setError(problem("above_max", 0, `${prefix ?? ""}${format(max)}${suffix ?? ""}`));
          else if (r.ok) {
            setError(null);
            write(r.value);
          } else if (r.problem === "empty") {
            setError(null);
            write(undefined);
          } else setError(problem(r.problem, r.digits));
        }}
        onBlur={() => {
          const r = parse(text);
          if (r.ok) setText(format(r.value));
        }}
      />
      {suffix && (
        <span className="amount__affix" data-testid={`${testId}-unit`}>
          {suffix}
        </span>
      )}
      {error && (
        <span className="field-error" role="alert" data-testid={`typed-error-${testId.replace(/^field-/, "")}`}>
          {error}
        </span>
      )}
    </span>
  );
}

/** An amount in a currency, typed in major units: "20.50" → 2050 for CNY, "500" → 500 for JPY. */
export function MoneyInput(
  props: Bounds & {
    id: string;
    testId: string;
    value: unknown;
    currency: string;
    onChange(n: number | undefined): void;
  },
) {
  const { t } = useTranslation();
  const { currency } = props;
  return (
    <ScaledInput
      {...props}
      prefix={currencySymbol(currency)}
      format={(n) => majorUnits(n, currency)}
      parse={(text) => parseAmount(text, currency)}
      problem={(p, digits, bound) =>
        p === "too_many_decimals" && digits === 0
          ? t("inspector.amount.whole", { currency })
          : t(`inspector.amount.${p}`, { currency, digits, bound })
      }
    />
  );
}

/** A rate typed in percent, kept in basis points: "3" → 300, "3.25" → 325. */
export function PercentInput(
  props: Bounds & { id: string; testId: string; value: unknown; onChange(n: number | undefined): void },
) {
  const { t } = useTranslation();
  return (
    <ScaledInput
      {...props}
      suffix="%"
      format={bpsToPercent}
      parse={parsePercent}
      problem={(p, _digits, bound) => t(`inspector.percent.${p}`, { bound })}
    />
  );
}
