/**
 * What a rule reads, in words: a variable ("Event · amount"), a window ("this month"), and a
 * value a decision read, as the "why" of a step shows it — "This month's sum of transaction
 * amount = ¥11,000.00" rather than `agg_sum(transaction, amount, month) = 1100000`. Amounts are
 * money when the journey's catalog says so, formatted by shared's one formatter.
 */
import { formatAmount, pathCurrency, propCurrency, type Catalog, type Lang } from "@lifeloop/shared";
import { attributeName, eventName, propName, words } from "./catalogNames.ts";

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

/** The points wallet's fields (shared's WALLET_FIELDS) in words; `expiring_3d` → "Points expiring within 3 days". */
function walletLabel(field: string, lang: Lang): string | null {
  const zh = lang === "zh-CN";
  if (field === "balance") return zh ? "积分余额" : "Points balance";
  if (field === "expiring") return zh ? "下次过期的积分" : "Points expiring next";
  if (field === "expiring_at") return zh ? "下次积分过期时间" : "When points next expire";
  const d = /^expiring_(\d+)d$/.exec(field)?.[1];
  if (d === undefined) return null;
  return zh ? `${d}天内过期的积分` : `Points expiring within ${d} day${d === "1" ? "" : "s"}`;
}

/** The growth level's fields (shared's LEVEL_FIELDS) in words. */
const LEVEL_LABEL: Record<string, [string, string]> = {
  id: ["Growth level", "成长等级"],
  rank: ["Growth level's rank (0 the lowest)", "成长等级序号（0 为最低）"],
  xp: ["Experience (xp) in the window", "近期经验值"],
};

/**
 * "event.props.amount" → "Event · amount" (事件 · 金额); "profile.registeredAt" → "Profile ·
 * registration time" (用户 · 注册时间): the catalog's labels where it has them.
 */
export function pathLabel(path: string, lang: Lang, catalog?: Catalog): string {
  const zh = lang === "zh-CN";
  if (path === "user.id") return zh ? "用户 ID" : "User ID";
  if (path === "event.type") return zh ? "事件类型" : "Event type";
  if (path.startsWith("wallet.")) return walletLabel(path.slice(7), lang) ?? path;
  const level = path.startsWith("level.") ? LEVEL_LABEL[path.slice(6)] : undefined;
  if (level) return zh ? level[1] : level[0];
  const m = /^(event\.props|trigger\.props|profile)\.(.+)$/.exec(path);
  if (!m) return path;
  const where = {
    "event.props": ["Event", "事件"],
    "trigger.props": ["Trigger event", "触发事件"],
    profile: ["Profile", "用户"],
  }[m[1] as "profile"];
  const name = m[1] === "profile" ? attributeName(catalog, m[2]!, lang) : propName(catalog, undefined, m[2]!, lang);
  return `${zh ? where[1] : where[0]} · ${name}`;
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

const AGGREGATE_WORDS: Record<"agg_sum" | "agg_min" | "agg_max", [string, string]> = {
  agg_sum: ["sum", "合计"],
  agg_min: ["smallest", "最小值"],
  agg_max: ["largest", "最大值"],
};

const AGGREGATE_READ = /^(agg_count|agg_sum|agg_min|agg_max|last_seen)\((.*)\)$/;

/** The thing a reading label names, as a person says it, and its currency when it is money. */
function readingName(label: string, ctx: ReadingContext): { name: string; currency: string | null; lastSeen: boolean } {
  const { lang } = ctx;
  const zh = lang === "zh-CN";
  const agg = AGGREGATE_READ.exec(label);
  if (!agg) {
    const prop = /^(?:event|trigger)\.props\.([^.]+)$/.exec(label)?.[1];
    const currency = prop ? anyPropCurrency(ctx.catalog, prop) : pathCurrency(ctx.catalog, label, {});
    return { name: pathLabel(label, lang, ctx.catalog), currency, lastSeen: false };
  }
  const [event = "", second = "", third = ""] = agg[2]!.split(",").map((a) => a.trim());
  const fn = agg[1]!;
  const ev = eventName(ctx.catalog, event, lang);
  if (fn === "agg_count") {
    const w = windowLabel(second, lang);
    const name = zh ? words([w, ev, "次数"], lang) : `${possessive(w)} count of ${ev}`;
    return { name, currency: null, lastSeen: false };
  }
  if (fn === "last_seen")
    return { name: zh ? words(["最近一次", ev], lang) : `Last ${ev}`, currency: null, lastSeen: true };
  const w = windowLabel(third, lang);
  const what = AGGREGATE_WORDS[fn as "agg_sum"];
  const of = words([ev, propName(ctx.catalog, event, second, lang)], lang);
  return {
    name: zh ? words([w, of, what[1]], lang) : `${possessive(w)} ${what[0]} of ${of}`,
    currency: propCurrency(ctx.catalog, event, second),
    lastSeen: false,
  };
}

/** A value as a person reads it: money as money, times in the journey's zone. */
function shownValue(value: unknown, read: ReturnType<typeof readingName>, ctx: ReadingContext): string {
  const zh = ctx.lang === "zh-CN";
  if (read.currency && typeof value === "number" && Number.isSafeInteger(value))
    return formatAmount(value, read.currency, ctx.lang);
  if (read.lastSeen && typeof value === "string" && ctx.time) return ctx.time(value);
  if (value === null || value === undefined) return zh ? "（无）" : "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What a decision read, as a person says it: the thing read, then its value (money as money). */
export function readingText(label: string, value: unknown, ctx: ReadingContext): string {
  const read = readingName(label, ctx);
  return `${read.name} = ${shownValue(value, read, ctx)}`;
}

const COMPARE: Record<string, string> = {
  "==": "=",
  "===": "=",
  "!=": "≠",
  "!==": "≠",
  ">": ">",
  ">=": "≥",
  "<": "<",
  "<=": "≤",
};
/** The same comparison read from the other side: `5 < x` is `x > 5`. */
const FLIPPED: Record<string, string> = { ">": "<", ">=": "≤", "<": ">", "<=": "≥" };

/** The reading label of an operand (`profile.tier`, `agg_sum(transaction, amount, month)`), or null for a constant. */
function operandLabel(v: unknown): string | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const [op, args] = Object.entries(v)[0] ?? [];
  if (op === "var") return typeof args === "string" ? args : Array.isArray(args) ? String(args[0]) : null;
  if (op && AGGREGATE_READ.test(`${op}()`) && Array.isArray(args)) return `${op}(${args.map(String).join(", ")})`;
  return null;
}

/**
 * A rule in words, for the canvas: "本月交易金额合计 ≥ ¥10,000.00", named by the catalog's labels
 * and money formatted by its currency. What it cannot say (arithmetic, operators of its own) stays as JSON.
 */
export function ruleWords(rule: unknown, ctx: ReadingContext): string {
  const zh = ctx.lang === "zh-CN";
  if (rule === true) return zh ? "所有人" : "Everyone";
  if (rule === false) return zh ? "无人" : "No one";
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) return JSON.stringify(rule);
  const entries = Object.entries(rule);
  if (entries.length !== 1) return JSON.stringify(rule);
  const [op, raw] = entries[0]!;
  const args = Array.isArray(raw) ? raw : [raw];
  if ((op === "and" || op === "or") && args.length > 0) {
    const joiner = op === "and" ? (zh ? " 且 " : " and ") : zh ? " 或 " : " or ";
    const parts = args.map((a) => ruleWords(a, ctx));
    return args.length === 1 ? parts[0]! : parts.map((p) => (/ (且|或|and|or) /.test(p) ? `(${p})` : p)).join(joiner);
  }
  if (op === "!" && args.length === 1)
    return zh ? `并非（${ruleWords(args[0], ctx)}）` : `not (${ruleWords(args[0], ctx)})`;
  if (op === "in_segment" && typeof args[0] === "string") return zh ? `属于分群 ${args[0]}` : `In segment ${args[0]}`;
  if (op === "!!" && args.length === 1) {
    const label = operandLabel(args[0]);
    if (label) return zh ? `${readingName(label, ctx).name} 有值` : `${readingName(label, ctx).name} is set`;
  }
  const sym = COMPARE[op];
  if (sym && args.length === 2) {
    const [a, b] = args;
    const left = operandLabel(a);
    const right = operandLabel(b);
    if (left && !right) {
      const read = readingName(left, ctx);
      return `${read.name} ${sym} ${shownValue(b, read, ctx)}`;
    }
    if (right && !left) {
      const read = readingName(right, ctx);
      return `${read.name} ${FLIPPED[op] ? COMPARE[FLIPPED[op]!] : sym} ${shownValue(a, read, ctx)}`;
    }
  }
  return JSON.stringify(rule);
}
