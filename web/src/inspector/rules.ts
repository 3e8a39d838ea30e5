/**
 * JSON-logic rules ⇄ react-querybuilder queries, with Lifeloop's operators as pseudo-fields.
 *
 * The visual builder only knows "field operator value" rows where the field is a `var`. Lifeloop
 * rules also compare aggregates (`{"agg_sum": ["transaction", "amount", "month"]}`), days since a
 * timestamp and local clock readings, so before parsing, each such expression becomes a `var`
 * whose name encodes it (`@` + its JSON), and after formatting it becomes the expression again.
 *
 * A rule is shown visually only when formatting what was parsed gives the same rule back (up to
 * JSON-logic equivalences such as `{"and": [x]}` = `x`); anything else stays in the raw JSON view,
 * untouched, so the builder never drops or rewrites what it does not understand.
 */
import {
  formatQuery,
  type Field,
  type FullOption,
  type OptionGroup,
  type RuleGroupType,
  type RuleType,
} from "react-querybuilder";
import { defaultRuleProcessorJsonLogic } from "react-querybuilder";
import { parseJsonLogic } from "react-querybuilder/parseJsonLogic";
import {
  aggregateSpecFromArgs,
  AGGREGATE_OPERATORS,
  attributeCurrency,
  pathCurrency,
  propCurrency,
  LEVEL_FIELDS,
  WALLET_FIELDS,
  type Catalog,
  type Lang,
  type Rule,
} from "@lifeloop/shared";
import { pathLabel, windowLabel } from "../i18n/fields.ts";
import { eventName, propName, words } from "../i18n/catalogNames.ts";

export { windowLabel };

const PSEUDO = "@";
export const SEGMENT_FIELD = "@in_segment";

type Json = Rule;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const single = (v: unknown): [string, unknown] | null => {
  if (!isObj(v)) return null;
  const keys = Object.keys(v);
  return keys.length === 1 ? [keys[0]!, v[keys[0]!]] : null;
};
const isVarOf = (v: unknown): v is { var: string } =>
  isObj(v) && Object.keys(v).length === 1 && typeof v.var === "string";

/** Expressions the builder offers as a field: aggregates, days/hours since, the local clock. */
function isPseudoExpression(v: unknown): boolean {
  const op = single(v);
  if (!op) return false;
  const [name, args] = op;
  if (name in AGGREGATE_OPERATORS) return Array.isArray(args) && !("error" in aggregateSpecFromArgs(name, args));
  if (name === "days_since" || name === "hours_since") {
    if (!Array.isArray(args) || args.length !== 1) return false;
    const a = args[0];
    return (isVarOf(a) && !a.var.startsWith(PSEUDO)) || (single(a)?.[0] === "last_seen" && isPseudoExpression(a));
  }
  if (name === "local_hour" || name === "local_weekday") return Array.isArray(args) && args.length === 0;
  return false;
}

class Unsupported extends Error {}

/** Replaces pseudo-field expressions with encoded vars; refuses vars that already look encoded. */
function encode(v: Json): Json {
  if (Array.isArray(v)) return v.map(encode);
  if (!isObj(v)) return v;
  if (isPseudoExpression(v)) return { var: PSEUDO + JSON.stringify(v) };
  if (typeof v.var === "string" && v.var.startsWith(PSEUDO)) throw new Unsupported(`a variable named "${v.var}"`);
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) out[k] = encode(x as Json);
  return out;
}

function decode(v: unknown): Json {
  if (Array.isArray(v)) return v.map(decode);
  if (!isObj(v)) return v as Json;
  if (isVarOf(v) && v.var.startsWith(PSEUDO) && v.var !== SEGMENT_FIELD)
    return JSON.parse(v.var.slice(PSEUDO.length)) as Json;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decode(x);
  return out;
}

const LOGIC_KEYS = new Set(["and", "or"]);

/** JSON-logic equivalences the builder's output may differ by: `{"and": [x]}` is x, `{"!!": x}` is `{"!!": [x]}`. */
export function normalizeRule(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalizeRule);
  if (!isObj(v)) return v;
  const op = single(v);
  if (op) {
    const [name, args] = op;
    if (name === "var") return Array.isArray(args) && args.length === 1 ? { var: args[0] } : { var: args };
    if (LOGIC_KEYS.has(name) && Array.isArray(args) && args.length === 1) return normalizeRule(args[0]);
    return { [name]: Array.isArray(args) ? args.map(normalizeRule) : [normalizeRule(args)] };
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeRule(x)]));
}

export function sameRule(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalizeRule(a)) === JSON.stringify(normalizeRule(b));
}

const CUSTOM_OPS = {
  "!!": (v: unknown): RuleType | false => {
    const a = Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
    return isVarOf(a) ? { field: a.var, operator: "truthy", value: "" } : false;
  },
  in_segment: (v: unknown): RuleType | false => {
    const a = Array.isArray(v) ? v : [v];
    return a.length === 1 && typeof a[0] === "string"
      ? { field: SEGMENT_FIELD, operator: "inSegment", value: a[0] }
      : false;
  },
};

function hasFieldValues(q: RuleGroupType): boolean {
  return q.rules.some((r) => ("rules" in r ? hasFieldValues(r) : r.valueSource === "field" || r.match !== undefined));
}

export type ToQuery = { ok: true; query: RuleGroupType } | { ok: false; reason: string };

/** A query for the visual builder, or why this rule stays in the raw view. */
export function ruleToQuery(rule: Rule | undefined, fields?: Field[]): ToQuery {
  if (rule === undefined || rule === true) return { ok: true, query: { combinator: "and", rules: [] } };
  if (!isObj(rule)) return { ok: false, reason: "not_object" };
  let encoded: Json;
  try {
    encoded = encode(rule);
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: "pseudo_var" };
    throw e;
  }
  // Any JSON-logic parses (unknown operators through CUSTOM_OPS), but its object type names only the
  // operators it knows: handed as text (which it JSON.parses), the rule needs no cast.
  const query = parseJsonLogic(JSON.stringify(encoded), {
    jsonLogicOperations: CUSTOM_OPS,
    listsAsArrays: true,
    generateIDs: true,
  });
  if (hasFieldValues(query)) return { ok: false, reason: "field_values" };
  const back = queryToRule(query, fields);
  if (!sameRule(back, rule)) return { ok: false, reason: "not_representable" };
  return { ok: true, query };
}

const ruleProcessor = (r: RuleType, opts?: Parameters<typeof defaultRuleProcessorJsonLogic>[1]): unknown => {
  if (r.operator === "truthy") return { "!!": [{ var: r.field }] };
  if (r.operator === "inSegment") return { in_segment: [r.value] };
  return defaultRuleProcessorJsonLogic(r, opts);
};

/** The rule a query stands for; an empty query is `true` (everyone). */
export function queryToRule(query: RuleGroupType, fields?: Field[]): Rule {
  const out = formatQuery(query, {
    format: "jsonlogic",
    parseNumbers: "strict-limited",
    fields: fields ?? [],
    ruleProcessor,
  }) as unknown;
  if (out === false || out === undefined || out === null) return true;
  const top = single(out);
  const unwrapped =
    top && !query.not && LOGIC_KEYS.has(top[0]) && Array.isArray(top[1]) && top[1].length === 1 ? top[1][0] : out;
  return decode(unwrapped);
}

// ---------------------------------------------------------------------------------------------
// Fields the builder offers

/** `money`: a number in minor units of a currency the catalog names, typed and shown in yuan. */
export type FieldKind = "number" | "money" | "string" | "boolean" | "timestamp" | "array" | "segment";

export interface RuleContext {
  catalog: Catalog | undefined;
  /** Events the journey's own catalog declares; given, a field over another known event offers to add it. */
  declared?: readonly string[] | undefined;
  /** The event `event` stands for in this rule (a trigger's or a wait's event), when known. */
  eventType?: string | undefined;
  /** Events that start runs: `trigger.props.*` is offered from these. */
  triggerEvents: string[];
  segments: Array<{ id: string; name: string }>;
  /** Segment conditions are about a person: no event, no trigger. */
  scope: "profile" | "entry" | "run";
}

const COMMON_ATTRIBUTES: Record<string, FieldKind> = { tier: "string", registeredAt: "timestamp", nickname: "string" };

/** A person-readable name for a field of the builder, pseudo-fields included. */
/** The expression a pseudo-field's name encodes; undefined for a name that is not one (typed by hand in JSON). */
function decodeName(name: string): unknown {
  try {
    return JSON.parse(name.slice(PSEUDO.length));
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

export function fieldLabel(name: string, lang: Lang, catalog?: Catalog): string {
  const zh = lang === "zh-CN";
  if (name === SEGMENT_FIELD) return zh ? "属于分群" : "In segment";
  if (!name.startsWith(PSEUDO)) return pathLabel(name, lang, catalog);
  const op = single(decodeName(name));
  if (!op || !Array.isArray(op[1])) return name;
  const [fn, args] = op as [string, unknown[]];
  const s = args as string[];
  const ev = (i: number): string => eventName(catalog, String(s[i]), lang);
  // "交易金额" with the catalog's labels, "transaction amount" without.
  const of = (): string => words([ev(0), propName(catalog, String(s[0]), String(s[1]), lang)], lang);
  const win = (i: number): string => windowLabel(String(s[i]), lang);
  switch (fn) {
    case "agg_count":
      return zh ? `${words([ev(0), "次数"], lang)} · ${win(1)}` : `Count of ${ev(0)} · ${win(1)}`;
    case "agg_sum":
      return zh ? `${words([of(), "合计"], lang)} · ${win(2)}` : `Sum of ${of()} · ${win(2)}`;
    case "agg_min":
      return zh ? `${words([of(), "最小值"], lang)} · ${win(2)}` : `Min of ${of()} · ${win(2)}`;
    case "agg_max":
      return zh ? `${words([of(), "最大值"], lang)} · ${win(2)}` : `Max of ${of()} · ${win(2)}`;
    case "last_seen":
      return zh ? `${words(["最近一次", ev(0)], lang)}的时间` : `Last ${ev(0)} (time)`;
    case "days_since":
    case "hours_since": {
      const unit = fn === "days_since" ? (zh ? "天数" : "Days") : zh ? "小时数" : "Hours";
      const inner = args[0];
      const last = single(inner);
      if (last?.[0] === "last_seen" && Array.isArray(last[1])) {
        const e = eventName(catalog, String(last[1][0]), lang);
        return zh ? `${words(["距上次", e], lang)}的${unit}` : `${unit} since last ${e}`;
      }
      if (isVarOf(inner)) {
        const v = pathLabel(inner.var, lang, catalog);
        return zh ? `距 ${v} 的${unit}` : `${unit} since ${v}`;
      }
      return name;
    }
    case "local_hour":
      return zh ? "当地时间（小时）" : "Local hour now";
    case "local_weekday":
      return zh ? "当地星期（1=周一）" : "Local weekday now (1 = Mon)";
    default:
      return name;
  }
}

const pseudo = (expr: Json): string => PSEUDO + JSON.stringify(expr);

/** Windows the row's window selector offers for an aggregate (any other in a rule is kept and shown too). */
export const WINDOWS = [
  "24h",
  "7d",
  "14d",
  "30d",
  "90d",
  "day",
  "week",
  "month",
  "prev_7d",
  "prev_30d",
  "prev_week",
  "prev_month",
  "lifetime",
];

/** The window of an aggregate pseudo-field, and the same aggregate over another window. */
export function aggregateWindow(name: string): { window: string; withWindow(w: string): string } | null {
  if (!name.startsWith(PSEUDO) || name === SEGMENT_FIELD) return null;
  const op = single(decodeName(name));
  if (!op || !Array.isArray(op[1]) || !(op[0] in AGGREGATE_OPERATORS) || op[0] === "last_seen") return null;
  const [fn, args] = op as [string, Json[]];
  const window = args[args.length - 1];
  if (typeof window !== "string") return null;
  return { window, withWindow: (w) => pseudo({ [fn]: [...args.slice(0, -1), w] }) };
}

interface OfferedField {
  name: string;
  kind: FieldKind;
  /** For money: the currency the catalog says it is in. */
  currency?: string;
}

/** A money field (in `currency`) or, when the catalog names no currency, a plain number. */
const moneyOr = (name: string, kind: string, currency: string | null): OfferedField =>
  kind === "money"
    ? currency
      ? { name, kind: "money", currency }
      : { name, kind: "number" }
    : { name, kind: kind as FieldKind };

/** Every field offered, grouped: event props, trigger props, profile, aggregates, time, segments. */
function offeredFields(ctx: RuleContext): Array<{ group: string; fields: OfferedField[] }> {
  const events = ctx.catalog?.events ?? {};
  const groups: Array<{ group: string; fields: OfferedField[] }> = [];
  if (ctx.scope !== "profile") {
    const eventTypes = ctx.eventType ? [ctx.eventType] : Object.keys(events);
    const seen = new Set<string>();
    const props: OfferedField[] = [{ name: "event.type", kind: "string" }];
    for (const type of eventTypes) {
      for (const [p, kind] of Object.entries(events[type]?.props ?? {})) {
        const name = `event.props.${p}`;
        if (!seen.has(name)) props.push(moneyOr(name, kind, propCurrency(ctx.catalog, type, p)));
        seen.add(name);
      }
    }
    groups.push({ group: "event", fields: props });
  }
  if (ctx.scope === "run" && ctx.triggerEvents.length > 0) {
    const seen = new Set<string>();
    const props: OfferedField[] = [];
    for (const type of ctx.triggerEvents) {
      for (const [p, kind] of Object.entries(events[type]?.props ?? {})) {
        const name = `trigger.props.${p}`;
        if (!seen.has(name)) props.push(moneyOr(name, kind, propCurrency(ctx.catalog, type, p)));
        seen.add(name);
      }
    }
    if (props.length > 0) groups.push({ group: "trigger", fields: props });
  }
  const attrs = { ...COMMON_ATTRIBUTES, ...(ctx.catalog?.attributes ?? {}) };
  groups.push({
    group: "profile",
    fields: [
      ...Object.entries(attrs).map(([a, kind]) => moneyOr(`profile.${a}`, kind, attributeCurrency(ctx.catalog, a))),
      { name: "user.id", kind: "string" as FieldKind },
    ],
  });
  // The points wallet: balance and what expires soon (shared's WALLET_FIELDS; not in segments).
  if (ctx.scope !== "profile")
    groups.push({
      group: "wallet",
      fields: WALLET_FIELDS.filter((f) => f !== "expiring_at").map((f) => ({ name: `wallet.${f}`, kind: "number" })),
    });
  // Growth levels (shared's LEVEL_FIELDS): rules and segments compare the level's id, rank and xp.
  groups.push({
    group: "level",
    fields: LEVEL_FIELDS.map((f) => ({ name: `level.${f}`, kind: f === "id" ? "string" : "number" })),
  });
  // One entry per aggregate, in a usual window; the row's window selector picks any other.
  const aggs: OfferedField[] = [];
  for (const [type, def] of Object.entries(events)) {
    aggs.push({ name: pseudo({ agg_count: [type, "30d"] }), kind: "number" });
    for (const [p, kind] of Object.entries(def.props ?? {})) {
      if (kind !== "number" && kind !== "money") continue;
      // Sums, maxima and minima of money are money in the same currency.
      const currency = propCurrency(ctx.catalog, type, p);
      aggs.push(
        moneyOr(pseudo({ agg_sum: [type, p, "month"] }), kind, currency),
        moneyOr(pseudo({ agg_max: [type, p, "30d"] }), kind, currency),
        moneyOr(pseudo({ agg_min: [type, p, "30d"] }), kind, currency),
      );
    }
  }
  if (aggs.length > 0) groups.push({ group: "aggregates", fields: aggs });
  const time: OfferedField[] = [];
  for (const [a, kind] of Object.entries(attrs))
    if (kind === "timestamp") time.push({ name: pseudo({ days_since: [{ var: `profile.${a}` }] }), kind: "number" });
  for (const type of Object.keys(events))
    time.push({ name: pseudo({ days_since: [{ last_seen: [type] }] }), kind: "number" });
  time.push(
    { name: pseudo({ local_hour: [] }), kind: "number" },
    { name: pseudo({ local_weekday: [] }), kind: "number" },
  );
  groups.push({ group: "time", fields: time });
  if (ctx.segments.length > 0) groups.push({ group: "segments", fields: [{ name: SEGMENT_FIELD, kind: "segment" }] });
  return groups;
}

/** Fields a query uses, so a rule over something not in the catalog still shows its own fields. */
export function fieldsInQuery(q: RuleGroupType, out: string[] = []): string[] {
  for (const r of q.rules) {
    if ("rules" in r) fieldsInQuery(r, out);
    else if (typeof r.field === "string" && r.field) out.push(r.field);
  }
  return out;
}

/** The kind of an encoded field, when it is not among the offered ones: pseudo-fields are numbers. */
/**
 * The currency of a builder field when it is money: a sum, maximum or minimum of a money property
 * (in any window), or a money property or attribute read directly.
 */
function currencyOfName(name: string, ctx: RuleContext): string | null {
  if (!name.startsWith(PSEUDO)) {
    return pathCurrency(ctx.catalog, name, {
      event: ctx.eventType,
      trigger: ctx.triggerEvents.length === 1 ? ctx.triggerEvents[0] : undefined,
    });
  }
  const op = single(decodeName(name));
  if (!op || !Array.isArray(op[1]) || !["agg_sum", "agg_min", "agg_max"].includes(op[0])) return null;
  const [event, prop] = op[1] as unknown[];
  return typeof event === "string" && typeof prop === "string" ? propCurrency(ctx.catalog, event, prop) : null;
}

/**
 * The event a builder field is about: an aggregate's or a last-seen's event, the rule's own event
 * for `event.props.*`, the one trigger for `trigger.props.*`; null for a person's field or time.
 */
function fieldEvent(name: string, ctx: RuleContext): string | null {
  if (name.startsWith("event.props.")) return ctx.eventType ?? null;
  if (name.startsWith("trigger.props.")) return ctx.triggerEvents.length === 1 ? ctx.triggerEvents[0]! : null;
  if (!name.startsWith(PSEUDO) || name === SEGMENT_FIELD) return null;
  let op = single(decodeName(name));
  // days_since(last_seen(x)): the event inside.
  if (op && (op[0] === "days_since" || op[0] === "hours_since") && Array.isArray(op[1])) op = single(op[1][0]);
  if (!op || !Array.isArray(op[1]) || !(op[0] in AGGREGATE_OPERATORS)) return null;
  const event = op[1][0];
  return typeof event === "string" ? event : null;
}

/** The known event a field is about when the journey's catalog does not declare it yet (offered to add). */
export function undeclaredEventOf(name: string, ctx: RuleContext): string | null {
  if (!ctx.declared) return null;
  const event = fieldEvent(name, ctx);
  if (event === null || ctx.declared.includes(event)) return null;
  return ctx.catalog && Object.hasOwn(ctx.catalog.events, event) ? event : null;
}

const kindOfName = (name: string): FieldKind =>
  name === SEGMENT_FIELD ? "segment" : name.startsWith(PSEUDO) ? "number" : "string";

const NUMBER_OPERATORS = ["=", "!=", ">", ">=", "<", "<=", "between", "notBetween", "null", "notNull"];
export const OPERATORS_BY_KIND: Record<FieldKind, string[]> = {
  number: NUMBER_OPERATORS,
  money: NUMBER_OPERATORS,
  string: ["=", "!=", "in", "notIn", "contains", "doesNotContain", "truthy", "null", "notNull"],
  boolean: ["=", "!=", "truthy", "null", "notNull"],
  timestamp: ["truthy", "null", "notNull", ">", "<"],
  array: ["contains", "doesNotContain", "truthy", "null", "notNull"],
  segment: ["inSegment"],
};

export type FieldOption = Field & { kind: FieldKind; currency?: string | undefined };

const isFieldKind = (v: unknown): v is FieldKind => typeof v === "string" && Object.hasOwn(OPERATORS_BY_KIND, v);

/**
 * Our `kind` and `currency` read back from a field option react-querybuilder hands us: builderFields
 * put them there, and its type keeps them only as unknown extra keys, so they are checked, not cast.
 */
export function fieldKindOf(field: { [key: string]: unknown }): { kind: FieldKind; currency: string | undefined } {
  return {
    kind: isFieldKind(field.kind) ? field.kind : "string",
    currency: typeof field.currency === "string" ? field.currency : undefined,
  };
}

export function builderFields(
  ctx: RuleContext,
  lang: Lang,
  groupLabel: (g: string) => string,
  used: string[] = [],
): Array<OptionGroup<FieldOption & FullOption<string>>> {
  const groups = offeredFields(ctx);
  const known = new Set(groups.flatMap((g) => g.fields.map((f) => f.name)));
  const extra = [...new Set(used)]
    .filter((n) => !known.has(n))
    .map((name): OfferedField => {
      const currency = currencyOfName(name, ctx);
      return currency ? { name, kind: "money", currency } : { name, kind: kindOfName(name) };
    });
  if (extra.length > 0) groups.unshift({ group: "used", fields: extra });
  return groups.map((g) => ({
    label: groupLabel(g.group),
    options: g.fields.map((f) => ({
      name: f.name,
      value: f.name,
      label: fieldLabel(f.name, lang, ctx.catalog),
      kind: f.kind,
      currency: f.currency,
      inputType: f.kind === "number" ? "number" : undefined,
      valueEditorType: f.kind === "boolean" ? "checkbox" : f.kind === "segment" ? "select" : undefined,
      values:
        f.kind === "segment"
          ? ctx.segments.map((s) => ({ name: s.id, value: s.id, label: s.name ? `${s.name} (${s.id})` : s.id }))
          : undefined,
    })) as Array<FieldOption & FullOption<string>>,
  }));
}
