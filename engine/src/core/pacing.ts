import { dailyAllowance, localDate, type BudgetPace } from "@lifeloop/shared";
import type { StepContext } from "./context.ts";

/** A paced budget's spend on one local day: a shared counter beside the budget's own, moved in the same step. */
const paceKey = (budgetKey: string, day: string): string => `${budgetKey}/day/${day}`;

interface PacedBudget {
  id: string;
  amount: number;
  pace: BudgetPace;
}

/**
 * Whether a grant of `amount` fits today's allowance of a paced budget (kinds/reward-limits.ts), and
 * the guarded spend that keeps it so across workers: today's counter may not pass the allowance.
 * What the budget spent before today is its counter less today's, so the allowance is the same all
 * day whichever worker asks, and a new local day (in the journey's time zone) recomputes it.
 */
export function paceGrant(
  ctx: StepContext,
  timeZone: string,
  budgetKey: string,
  budget: PacedBudget,
  amount: number,
  money: (minor: number) => string,
): { key: string; limit: number } | { refuse: string } {
  const today = localDate(ctx.now, timeZone);
  const key = paceKey(budgetKey, today);
  const spentToday = ctx.used(key);
  const allowance = dailyAllowance(budget.pace, budget.amount, ctx.used(budgetKey) - spentToday, today);
  if (spentToday + amount <= allowance) return { key, limit: allowance };
  const how = budget.pace.mode === "even" ? `spent evenly through ${budget.pace.until}` : "a fixed daily cap";
  return {
    refuse:
      `budget ${budget.id} (${how}): ${money(spentToday)} of ${today}'s ${money(allowance)} allowance spent, ` +
      `this grant needs ${money(amount)}`,
  };
}
