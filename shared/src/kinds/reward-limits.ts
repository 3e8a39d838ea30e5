/**
 * The limits a reward can carry beyond its per-person cap: a budget's pacing (spend evenly over the
 * budget's life, or at most a fixed amount a day) and a cap per identifier from the event (a device,
 * a phone hash), so one device with many accounts cannot farm a check-in. Kept apart from reward.ts
 * so the reward's own types (coupons, red packets) and these limits change independently.
 */
import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { formatAmount } from "../format.ts";
import { BudgetId, CapPeriod, MinorUnits, PositiveMinor, PropPath } from "../schema/common.ts";
import { pick } from "./types.ts";

/** Amounts in the reward's unit: typed in yuan (or points) in the editor, kept in minor units. */
const MONEY = { ui: { unit: "money" as const } };

/** A calendar date in the journey's time zone. */
const LocalDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'a local date "YYYY-MM-DD"')
  .meta({ ui: { widget: "date" } });

/**
 * How a budget spends over time, per local day of the journey's time zone:
 * - `even`: today's allowance is what is left of the budget at the start of today over the days
 *   left through `until` (inclusive), rounded down; recomputed each local day, so a slow day leaves
 *   more for the days after it. After `until` the whole remainder is the allowance.
 * - `daily`: at most `amount` a day, whatever is left.
 */
export const BudgetPace = z.discriminatedUnion("mode", [
  strictObject({ mode: z.literal("even"), until: LocalDate }),
  strictObject({ mode: z.literal("daily"), amount: PositiveMinor.meta(MONEY) }),
]);
export type BudgetPace = z.infer<typeof BudgetPace>;

/** A campaign budget in the reward's unit, shared by every node that names the same id, maybe paced. */
export const RewardBudget = strictObject({
  id: BudgetId,
  amount: MinorUnits.meta(MONEY),
  pace: BudgetPace.optional(),
});

/**
 * A cap counted per value of an event property (`key`, e.g. `device_id`) instead of per person:
 * every person whose event carries the same value shares it. An event without the property is
 * refused (a farmer would simply leave it out).
 */
export const IdentifierCap = strictObject({
  key: PropPath,
  count: z.number().int().min(1).optional(),
  amount: PositiveMinor.meta(MONEY).optional(),
  period: CapPeriod,
}).refine((c) => c.count !== undefined || c.amount !== undefined, {
  message: "a cap needs a count, an amount or both",
  path: ["count"],
});
export type IdentifierCap = z.infer<typeof IdentifierCap>;

/** Days from `today` through `until`, both "YYYY-MM-DD" and inclusive; 0 or less once `until` has passed. */
export function daysThrough(today: string, until: string): number {
  const day = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((day(until) - day(today)) / 86_400_000) + 1;
}

/**
 * Today's allowance of a paced budget, in minor units: `spentBefore` is what the budget spent
 * before today (the store's counter less today's), `today` the local date.
 */
export function dailyAllowance(pace: BudgetPace, amount: number, spentBefore: number, today: string): number {
  const left = Math.max(0, amount - spentBefore);
  if (pace.mode === "daily") return Math.min(pace.amount, left);
  return Math.floor(left / Math.max(1, daysThrough(today, pace.until)));
}

const PERIOD = {
  en: { day: "day", week: "week", month: "month", lifetime: "lifetime" },
  zh: { day: "每天", week: "每周", month: "每月", lifetime: "终身" },
};

/** "cap 1×/day per device_id", "每个 device_id 上限 每天 1×". */
export function identifierCapSummary(c: IdentifierCap, unit: string, lang: "en" | "zh-CN"): string {
  const limit = [
    c.count !== undefined ? `${c.count}×` : "",
    c.amount !== undefined ? formatAmount(c.amount, unit, lang) : "",
  ]
    .filter(Boolean)
    .join(" / ");
  return lang === "zh-CN"
    ? `每个 ${c.key} 上限 ${PERIOD.zh[c.period]} ${limit}`
    : `cap ${limit}/${PERIOD.en[c.period]} per ${c.key}`;
}

/** "budget spring, even through 2026-03-31", "预算 spring，每天至多 ¥100.00". */
export function budgetSummary(b: z.infer<typeof RewardBudget>, unit: string, lang: "en" | "zh-CN"): string {
  const base = pick(lang, `budget ${b.id}`, `预算 ${b.id}`);
  if (!b.pace) return base;
  if (b.pace.mode === "even")
    return pick(lang, `${base}, spent evenly through ${b.pace.until}`, `${base}，匀速花到 ${b.pace.until}`);
  const daily = formatAmount(b.pace.amount, unit, lang);
  return pick(lang, `${base}, at most ${daily} a day`, `${base}，每天至多 ${daily}`);
}
