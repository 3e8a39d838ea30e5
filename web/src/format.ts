/**
 * Numbers and times for people. Amounts are integers in minor units everywhere (fen, cents, points);
 * only here are they turned into text, never back. Times are shown in the journey's time zone.
 */
import type { Lang } from "@lifeloop/shared";

const locale = (lang: Lang): string => (lang === "zh-CN" ? "zh-CN" : "en-US");

/** 1234 CNY → "¥12.34"; 1500 points → "1,500 points" / "1,500 积分"; 3 coupons → "3 coupons". */
export function formatAmount(unit: string, minor: number, lang: Lang): string {
  if (/^[A-Z]{3}$/.test(unit)) {
    const f = new Intl.NumberFormat(locale(lang), { style: "currency", currency: unit, currencyDisplay: "narrowSymbol" });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    // Division for display only.
    return f.format(minor / 10 ** digits);
  }
  const n = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(minor);
  if (unit === "points") return lang === "zh-CN" ? `${n} 积分` : `${n} points`;
  if (unit === "coupons") return lang === "zh-CN" ? `${n} 张券` : `${n} coupons`;
  return `${n} ${unit}`;
}

/** "2026-03-01T01:00:00Z" in Asia/Shanghai → "2026-03-01 09:00" (en) / "2026/03/01 09:00" (zh-CN). */
export function formatDate(iso: string, timeZone: string, lang: Lang, options: { seconds?: boolean } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat(locale(lang), {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    ...(options.seconds ? { second: "2-digit" } : {}),
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const sep = lang === "zh-CN" ? "/" : "-";
  const time = `${get("hour")}:${get("minute")}${options.seconds ? `:${get("second")}` : ""}`;
  return `${get("year")}${sep}${get("month")}${sep}${get("day")} ${time}`;
}
