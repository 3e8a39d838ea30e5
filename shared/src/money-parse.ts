/**
 * Money and rates as people type them, back to integers: "20.5" yuan → 2050 fen, "3" % → 300 bps.
 * Parsed as text, digit by digit, never through a float, so "0.29" is 29 and not 28.999…; more
 * decimals than the unit has are refused rather than rounded ("20.555" yuan is not an amount).
 * Accepts what the formatter prints ("¥2,500.00", "HK$10.00") and full-width digits from a Chinese
 * input method ("２０．５").
 */
import { currencyDigits, currencySymbol, isCurrency } from "./format.ts";

export type ParseProblem = "empty" | "not_a_number" | "too_many_decimals" | "too_large" | "negative";

export type Parsed = { ok: true; value: number } | { ok: false; problem: ParseProblem; digits: number };

const affixCache = new Map<string, string[]>();

/** Symbols and names a typed amount of this currency may carry before or after the number. */
function affixes(currency: string): string[] {
  const cached = affixCache.get(currency);
  if (cached) return cached;
  const out = new Set<string>([currency, currencySymbol(currency)]);
  for (const loc of ["en-US", "zh-CN"]) {
    for (const currencyDisplay of ["symbol", "narrowSymbol"] as const) {
      const parts = new Intl.NumberFormat(loc, { style: "currency", currency, currencyDisplay }).formatToParts(0);
      const s = parts.find((p) => p.type === "currency")?.value;
      if (s) out.add(s);
    }
  }
  if (currency === "CNY") out.add("元");
  // Longest first, so "HK$" is taken whole rather than as "$" after "HK".
  const list = [...out].sort((a, b) => b.length - a.length);
  affixCache.set(currency, list);
  return list;
}

const DECIMAL = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

/**
 * A decimal text with at most `digits` decimals as an integer scaled by 10^digits, or why not.
 * Grouping commas are allowed only where they group thousands ("10,000.50", not "1,00").
 */
export function parseScaled(text: string, digits: number, strip: readonly string[] = []): Parsed {
  let s = text.normalize("NFKC").replace(/\s+/g, "");
  for (const a of strip) {
    if (s.startsWith(a)) s = s.slice(a.length);
    else if (s.startsWith(`-${a}`)) s = `-${s.slice(a.length + 1)}`;
    if (s.endsWith(a)) s = s.slice(0, -a.length);
  }
  const fail = (problem: ParseProblem): Parsed => ({ ok: false, problem, digits });
  if (s === "") return fail("empty");
  const m = DECIMAL.exec(s);
  if (!m || (m[2] === undefined && !m[3])) return fail("not_a_number");
  const whole = (m[2] ?? "0").replaceAll(",", "");
  const fraction = m[3] ?? "";
  if (fraction.length > digits) return fail("too_many_decimals");
  const scaled = BigInt(whole + fraction.padEnd(digits, "0"));
  if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) return fail("too_large");
  const value = Number(scaled);
  return { ok: true, value: m[1] === "-" && value !== 0 ? -value : value };
}

/**
 * An amount a person typed, in the unit's minor units: "20.5" CNY → 2050, "500" JPY → 500,
 * "1,500" points → 1500. Currencies take their own number of decimals; points and coupons none.
 */
export function parseAmount(text: string, unit: string, options: { allowNegative?: boolean } = {}): Parsed {
  const digits = isCurrency(unit) ? currencyDigits(unit) : 0;
  const r = parseScaled(text, digits, isCurrency(unit) ? affixes(unit) : []);
  if (r.ok && r.value < 0 && !options.allowNegative) return { ok: false, problem: "negative", digits };
  return r;
}

/** A percent a person typed, in basis points: "3" → 300, "3.25 %" → 325; at most two decimals. */
export function parsePercent(text: string): Parsed {
  const r = parseScaled(text, 2, ["%", "％"]);
  if (r.ok && r.value < 0) return { ok: false, problem: "negative", digits: 2 };
  return r;
}
