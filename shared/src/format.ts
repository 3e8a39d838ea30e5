/**
 * Money and rates for people. Documents, ledgers and APIs hold integers in minor units (fen,
 * cents, points) and basis points; only here are they turned into text. Nothing here divides
 * with floats: minor units become a decimal string ("2050" → "20.50") that Intl formats exactly.
 * The one formatter the editor, the canvas, templates and the CLI use.
 */
import type { Lang } from "./schema/common.ts";

const locale = (lang: Lang): string => (lang === "zh-CN" ? "zh-CN" : "en-US");
const ISO_CURRENCY = /^[A-Z]{3}$/;

export const isCurrency = (unit: string): boolean => ISO_CURRENCY.test(unit);

/** Digits after the decimal point in a currency's minor unit: CNY 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  return currencyFormat("en-US", currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 2050 fen → "20.50"; 500 yen → "500"; -5 fen → "-0.05". Exact for every safe integer. */
export function majorUnits(minor: number, currency: string): string {
  return shiftPoint(minor, currencyDigits(currency));
}

/** An integer with the decimal point moved `digits` places left, as a plain decimal string. */
function shiftPoint(n: number, digits: number): string {
  const sign = n < 0 ? "-" : "";
  const abs = String(Math.abs(Math.trunc(n)));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, "0");
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * Symbols as mainland China writes them, whatever the interface language: ¥ is the yuan, and
 * other dollars and yen say whose they are (HK$, US$, JP¥). `en-US` alone would print the yuan as
 * CN¥ and the Hong Kong dollar, with `narrowSymbol`, as a bare "$".
 */
const SYMBOL_LOCALE = "zh-CN";

const formatters = new Map<string, Intl.NumberFormat>();
function currencyFormat(loc: string, currency: string): Intl.NumberFormat {
  const key = `${loc}/${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(loc, { style: "currency", currency, currencyDisplay: "symbol" });
    formatters.set(key, f);
  }
  return f;
}

// Building an Intl.NumberFormat costs ~50 µs; the engine formats refusal details on every step.
const integers = new Map<string, Intl.NumberFormat>();
function integerFormat(loc: string): Intl.NumberFormat {
  let f = integers.get(loc);
  if (!f) {
    f = new Intl.NumberFormat(loc, { maximumFractionDigits: 0 });
    integers.set(loc, f);
  }
  return f;
}

/** The symbol the formatter prints for a currency: "¥", "HK$", "US$", "JP¥", "€". */
export function currencySymbol(currency: string): string {
  const parts = currencyFormat(SYMBOL_LOCALE, currency).formatToParts(0);
  return parts.find((p) => p.type === "currency")?.value ?? currency;
}

/**
 * Minor units for people: 250000 CNY → "¥2,500.00", 1000 HKD → "HK$10.00", 5000 JPY → "JP¥5,000",
 * 1234567 points → "1,234,567 points" / "1,234,567 积分", 3 coupons → "3 coupons" / "3 张券".
 */
export function formatAmount(minor: number, unit: string, lang: Lang = "en"): string {
  if (isCurrency(unit)) {
    const decimal = majorUnits(minor, unit) as `${number}`;
    const symbol = currencySymbol(unit);
    return currencyFormat(locale(lang), unit)
      .formatToParts(decimal)
      .map((p) => (p.type === "currency" ? symbol : p.value))
      .join("");
  }
  const n = integerFormat(locale(lang)).format(minor);
  if (unit === "points") return lang === "zh-CN" ? `${n} 积分` : `${n} points`;
  if (unit === "coupons") return lang === "zh-CN" ? `${n} 张券` : `${n} coupons`;
  return unit ? `${n} ${unit}` : n;
}

/** 300 bps → "3", 325 → "3.25", 10000 → "100": the percent a person types. */
export const bpsToPercent = (bps: number): string => shiftPoint(bps, 2).replace(/0+$/, "").replace(/\.$/, "");

/** 300 bps → "3%", 325 → "3.25%": rates for people; bps stay integers everywhere else. */
export function formatBps(bps: number): string {
  return `${bpsToPercent(bps)}%`;
}
