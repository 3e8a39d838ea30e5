/**
 * A paced budget's spend against its pace line, per local day of the journey's time zone: each day's
 * allowance worked out as the engine works it out when it grants (core/pacing.ts, with
 * dailyAllowance from kinds/reward-limits.ts) from what the budget had spent before that day.
 */
import { dailyAllowance, type BudgetPace, type JourneyReport } from "@lifeloop/shared";
import { dayText } from "./facts.ts";

type PaceLine = NonNullable<JourneyReport["spend"]["budgets"][number]["pace"]>;

/** Days a line holds at most: the latest ones. */
const MAX_DAYS = 400;

/**
 * The line from the budget's first day of spend (today, before any) through `today`, both local day
 * numbers; once an even pace's last day has passed, through that day or the last spend, whichever is
 * later. `spent` is the budget's spend per local day, all versions and all time.
 */
export function paceLine(
  pace: BudgetPace,
  amount: number,
  spent: ReadonlyMap<number, number>,
  today: number,
): PaceLine {
  const spendDays = [...spent.keys()].sort((a, b) => a - b);
  const first = Math.min(spendDays[0] ?? today, today);
  const lastSpend = spendDays.at(-1) ?? first;
  const last = pace.mode === "even" ? Math.min(today, Math.max(dayNumber(pace.until), lastSpend)) : today;
  const days: PaceLine["days"] = [];
  let before = 0;
  for (let d = first; d <= Math.max(first, last); d++) {
    const day = dayText(d);
    const allowance = dailyAllowance(pace, amount, before, day);
    const s = spent.get(d) ?? 0;
    days.push({ day, allowance, spent: s, paceCumulative: before + allowance, spentCumulative: before + s });
    before += s;
  }
  return { mode: pace.mode, days: days.slice(-MAX_DAYS) };
}

/** "YYYY-MM-DD" as whole days since 1970-01-01, the facts' day numbers. */
const dayNumber = (date: string): number =>
  Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
