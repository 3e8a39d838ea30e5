import type { Lang } from "./schema/common.ts";

/** Renders integers in minor units for people: 1234567 points → "1,234,567", 250000 CNY → "¥2,500.00". */
export function formatAmount(minor: number, unit: string, lang: Lang = "en"): string {
  const locale = lang === "zh-CN" ? "zh-CN" : "en-US";
  if (/^[A-Z]{3}$/.test(unit)) {
    const digits = currencyDigits(unit);
    // Division for display only; balances are never computed from this string.
    return new Intl.NumberFormat(locale, { style: "currency", currency: unit }).format(minor / 10 ** digits);
  }
  const n = new Intl.NumberFormat(locale).format(minor);
  if (unit === "points") return lang === "zh-CN" ? `${n} 积分` : `${n} points`;
  if (unit === "coupons") return lang === "zh-CN" ? `${n} 张券` : `${n} coupons`;
  return `${n} ${unit}`;
}

export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "1,000 bps" → "10%" for people; bps stay integers everywhere else. */
export function formatBps(bps: number): string {
  return `${bps / 100}%`;
}
