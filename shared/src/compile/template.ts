import type { AggregateSpec } from "../aggregate.ts";
import { pathCurrency } from "../catalog.ts";
import { formatAmount, isCurrency } from "../format.ts";
import { aggregateCall, callSpec, checkCall } from "./template-aggregate.ts";
import { checkVariable, type VariableContext } from "./variables.ts";

/**
 * `{{ path }}`, `{{ path | fallback }}`, `{{ path | money }}`, `{{ path | money | fallback }}`.
 * After the path come filters (a known name, optionally with an argument: `money:CNY`), then
 * at most one fallback: literal text for a missing value.
 */
const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;
const FILTER = /^(money)(?::([A-Za-z]{3}))?\s*(?:\|\s*([\s\S]*))?$/;

interface Placeholder {
  path: string;
  /** `money` with the currency it was given (`money:CNY`), or null to take the value's own unit. */
  money: { currency: string | null } | null;
  fallback: string | undefined;
}

function parsePlaceholder(path: string, rest: string | undefined): Placeholder {
  const out: Placeholder = { path, money: null, fallback: rest };
  const m = rest === undefined ? null : FILTER.exec(rest);
  if (m) {
    out.money = { currency: m[2] ? m[2].toUpperCase() : null };
    out.fallback = m[3] === undefined ? undefined : m[3].trim();
  }
  return out;
}

export interface TemplateProblem {
  code: "template_syntax" | "unknown_variable" | "template_money_currency" | "bad_aggregate";
  message: string;
}

export function templateVariables(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A reward's amount is in the reward's own unit, which the run knows when the message renders. */
const carriesUnit = (path: string): boolean => path === "reward.amount";

/**
 * The template's problems, and the text the engine renders: each `| money` on a catalog money
 * field is given that field's currency (`| money:CNY`), since the run's data does not say it.
 */
export function checkTemplate(text: string, vars: VariableContext): TemplateProblem[] {
  return resolveTemplate(text, vars).problems;
}

export function resolveTemplate(
  text: string,
  vars: VariableContext,
): { text: string; problems: TemplateProblem[]; aggregates: AggregateSpec[] } {
  const problems: TemplateProblem[] = [];
  const aggregates: AggregateSpec[] = [];
  const stripped = text.replace(PLACEHOLDER, "");
  if (stripped.includes("{{") || stripped.includes("}}")) {
    problems.push({ code: "template_syntax", message: 'a "{{" or "}}" is not closed, or a placeholder is empty' });
  }
  const resolved = text.replace(PLACEHOLDER, (whole, path: string, rest: string | undefined) => {
    if (path === "") {
      problems.push({ code: "template_syntax", message: "an empty {{ }} placeholder" });
      return whole;
    }
    const call = aggregateCall(path);
    if (call) {
      const checked = checkCall(call, vars.catalog);
      if (!checked.ok) {
        problems.push({ code: checked.code, message: checked.message });
        return whole;
      }
      if (!aggregates.some((a) => a.key === checked.spec.key)) aggregates.push(checked.spec);
      const p = parsePlaceholder(path, rest);
      const currency = p.money ? (p.money.currency ?? checked.currency) : null;
      if (p.money && currency === null) {
        problems.push({
          code: "template_money_currency",
          message:
            `{{${path} | money}}: the catalog does not mark "${checked.spec.prop ?? checked.spec.event}" ` +
            "as money in a currency; declare it, or write | money:CNY",
        });
        return whole;
      }
      if (currency !== null && !isCurrency(currency)) {
        problems.push({ code: "template_money_currency", message: `"${currency}" is not a currency code` });
        return whole;
      }
      const money = currency === null ? "" : ` | money:${currency}`;
      const filters = `${money}${p.fallback === undefined ? "" : ` | ${p.fallback}`}`;
      return `{{${checked.text}${filters}}}`;
    }
    const why = checkVariable(path, { ...vars, template: true });
    if (why) {
      problems.push({ code: "unknown_variable", message: why });
      return whole;
    }
    const p = parsePlaceholder(path, rest);
    if (!p.money || p.money.currency !== null || carriesUnit(path)) {
      if (p.money?.currency && !isCurrency(p.money.currency)) {
        problems.push({ code: "template_money_currency", message: `"${p.money.currency}" is not a currency code` });
      }
      return whole;
    }
    const currency = pathCurrency(vars.catalog, path, { event: vars.eventType, trigger: vars.triggerType });
    if (!currency) {
      problems.push({
        code: "template_money_currency",
        message:
          `{{${path} | money}}: the catalog does not mark "${path}" as money in a currency; declare it, or ` +
          `write {{${path} | money:CNY}}`,
      });
      return whole;
    }
    return `{{${path} | money:${currency}${p.fallback === undefined ? "" : ` | ${p.fallback}`}}}`;
  });
  return { text: resolved, problems, aggregates };
}

function read(data: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = data;
  for (const part of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** An amount in minor units for people: ¥180.00 in a currency, 1,800 for points (the words around say what). */
function money(v: unknown, unit: unknown): string | null {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) return null;
  if (typeof unit === "string" && isCurrency(unit)) return formatAmount(v, unit, "zh-CN");
  return new Intl.NumberFormat("en-US").format(v);
}

/** What an aggregate placeholder reads: the person's windowed series, as rules read them. */
export type AggregateReader = (spec: AggregateSpec) => number | null;

/**
 * Fills a template from run data, in one pass over the template: missing values use the fallback
 * or become empty; values are inserted as text, never interpreted, so a value that itself holds
 * `{{…}}` stays literal and a template cannot reach anything but plain data. `| money` formats
 * minor units in the currency it names, else in the unit beside the value (a reward's `unit`).
 * An aggregate (`{{agg_sum(event, prop, month)}}`) is read through `aggregate`; without one it
 * counts as missing.
 */
export function renderTemplate(text: string, data: Record<string, unknown>, aggregate?: AggregateReader): string {
  return text.replace(PLACEHOLDER, (_m, path: string, rest: string | undefined) => {
    const p = parsePlaceholder(path, rest);
    const call = aggregateCall(path);
    if (call) {
      const spec = callSpec(call);
      const v = spec && aggregate ? aggregate(spec) : null;
      if (v === null) return p.fallback ?? "";
      return (p.money && money(v, p.money.currency)) ?? String(v);
    }
    const parts = path.split(".");
    const v = read(data, parts);
    if (v === undefined || v === null || v === "") return p.fallback ?? "";
    if (p.money) {
      const unit = p.money.currency ?? read(data, [...parts.slice(0, -1), "unit"]);
      const shown = money(v, unit);
      if (shown !== null) return shown;
    }
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}
