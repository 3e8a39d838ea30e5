import { z } from "zod";
import { SimulationResult } from "./simulation.ts";

/**
 * POST /v1/journeys/{id}/backtest: the draft replayed over the engine's own recorded events of a
 * window (GET /v1/events/log on the sidecar), by the same simulate as an uploaded stream.
 */
const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });

export const BacktestRequest = z
  .strictObject({
    days: z.number().int().min(1).max(30).optional().meta({ description: "The last `days` days up to now." }),
    from: Instant.optional().meta({ description: "Instead of days: the window's start (ISO 8601 with offset)." }),
    until: Instant.optional().meta({ description: "With from: the window's end (default now)." }),
  })
  .meta({ description: "Either `days` (1 to 30), or `from` with an optional `until` (at most 30 days apart)." });
export type BacktestRequest = z.infer<typeof BacktestRequest>;

export const BudgetUse = z.object({
  budgetId: z.string(),
  unit: z.string().meta({ description: '"points", "coupons" or an ISO 4217 currency.' }),
  amount: z.number().int().meta({ description: "The budget, in minor units of `unit`." }),
  spent: z.number().int().meta({ description: "What the window's grants took from it, in minor units." }),
  grants: z.number().int(),
  refused: z.number().int().meta({ description: "Grants refused because the budget was spent." }),
  shareBp: z.number().int().meta({ description: "spent / amount in basis points (10000 = all of it)." }),
});
export type BudgetUse = z.infer<typeof BudgetUse>;

export const BacktestResult = SimulationResult.extend({
  window: z.object({ from: Instant, until: Instant }),
  replayed: z.number().int().meta({ description: "Recorded events replayed (of the window, in the order applied)." }),
  truncated: z.boolean().meta({
    description: "True when the window held more events than a backtest replays: only the first `replayed` were.",
  }),
  budgets: z.array(BudgetUse).meta({
    description:
      "Each budget of the draft against what the window's grants spent, starting from nothing (live spend before " +
      "the window is not counted).",
  }),
});
export type BacktestResult = z.infer<typeof BacktestResult>;
