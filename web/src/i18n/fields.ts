/**
 * What a rule reads, in words: a variable ("Event · amount"), a window ("this month"), and a
 * value a decision read, as the "why" of a step shows it — "This month's sum of transaction
 * amount = ¥11,000.00" rather than `agg_sum(transaction, amount, month) = 1100000`. Amounts are
 * money when the journey's catalog says so, formatted by shared's one formatter.
 */
import { formatAmount, pathCurrency, propCurrency, type Catalog, type Lang } from "@lifeloop/shared";

const WINDOW_LABEL: Record<string, [string, string]> = {
  day: ["today", "今天"],
  week: ["this week", "本周"],
  month: ["this month", "本月"],
  prev_day: ["yesterday", "昨天"],
  prev_week: ["last week", "上周"],
  prev_month: ["last month", "上月"],
  lifetime: ["all time", "全部时间"],
};
const UNIT: Record<"m" | "h" | "d" | "w", [string, string]> = {
  m: ["minutes", "分钟"],
  h: ["hours", "小时"],
  d: ["days", "天"],
  w: ["weeks", "周"],
};

/** "month" → "this month" / "本月"; "30d" → "last 30 days" / "近30天"; "prev_7d" → "the 7 days before". */
export function windowLabel(w: string, lang: Lang): string {
  const known = WINDOW_LABEL[w];
  if (known) return lang === "zh-CN" ? known[1] : known[0];
  const m = /^(prev_)?(\d+)([mhdw])$/.exec(w);
  if (!m) return w;
  const unit = UNIT[m[3] as "m" | "h" | "d" | "w"];
  if (lang === "zh-CN") return m[1] ? `前一个${m[2]}${unit[1]}` : `近${m[2]}${unit[1]}`;
  return m[1] ? `the ${m[2]} ${unit[0]} before` : `last ${m[2]} ${unit[0]}`;
}

/** "event.props.amount" → "Event · amount"; "profile.tier" → "Profile · tier" (用户 · tier). */
export function pathLabel(path: string, lang: Lang): string {
  const m = /^(event\.props|trigger\.props|profile)\.(.+)$/.exec(path);
  if (!m) return path;
  const where = {
    "event.props": ["Event", "事件"],
    "trigger.props": ["Trigger event", "触发事件"],
    profile: ["Profile", "用户"],
  }[m[1] as "profile"];
  return `${lang === "zh-CN" ? where[1] : where[0]} · ${m[2]}`;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** "this month" → "This month's"; "last 30 days" → "Last 30 days'". */
const possessive = (w: string): string => capital(w.endsWith("s") ? `${w}'` : `${w}'s`);

/** The currency of `prop` on any event the catalog marks it money on, when they agree on one. */
function anyPropCurrency(catalog: Catalog | undefined, prop: string): string | null {
  const found = new Set(
    Object.keys(catalog?.events ?? {})
      .map((e) => propCurrency(catalog, e, prop))
      .filter((c): c is string => c !== null),
  );
  return found.size === 1 ? [...found][0]! : null;
}

export interface ReadingContext {
  catalog: Catalog | undefined;
  lang: Lang;
  /** Times for people, in the journey's zone (a `last_seen`). */
  time?(iso: string): string;
}

const AGGREGATE_READ = /^(agg_count|agg_sum|agg_min|agg_max|last_seen)\((.*)\)$/;

/** What a decision read, as a person says it: the thing read, then its value (money as money). */
export function readingText(label: string, value: unknown, ctx: ReadingContext): string {
  const { lang } = ctx;
  const zh = lang === "zh-CN";
  const agg = AGGREGATE_READ.exec(label);
  let name: string;
  let currency: string | null = null;
  if (agg) {
    const [event = "", second = "", third = ""] = agg[2]!.split(",").map((a) => a.trim());
    const fn = agg[1]!;
    if (fn === "agg_count") {
      const w = windowLabel(second, lang);
      name = zh ? `${w} ${event} 次数` : `${possessive(w)} count of ${event}`;
    } else if (fn === "last_seen") {
      name = zh ? `最近一次 ${event}` : `Last ${event}`;
    } else {
      const w = windowLabel(third, lang);
      const what = { agg_sum: ["sum", "合计"], agg_min: ["smallest", "最小值"], agg_max: ["largest", "最大值"] }[
        fn as "agg_sum"
      ];
      name = zh ? `${w} ${event} ${second} ${what[1]}` : `${possessive(w)} ${what[0]} of ${event} ${second}`;
      currency = propCurrency(ctx.catalog, event, second);
    }
  } else {
    name = pathLabel(label, lang);
    const prop = /^(?:event|trigger)\.props\.([^.]+)$/.exec(label)?.[1];
    currency = prop ? anyPropCurrency(ctx.catalog, prop) : pathCurrency(ctx.catalog, label, {});
  }
  let shown: string;
  if (currency && typeof value === "number" && Number.isSafeInteger(value)) shown = formatAmount(value, currency, lang);
  else if (agg?.[1] === "last_seen" && typeof value === "string" && ctx.time) shown = ctx.time(value);
  else if (value === null || value === undefined) shown = zh ? "（无）" : "(none)";
  else shown = typeof value === "string" ? value : JSON.stringify(value);
  return `${name} = ${shown}`;
}
