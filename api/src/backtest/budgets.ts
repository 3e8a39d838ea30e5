/**
 * Each budget of a journey against what a replay's grants spent from it. The budgets and which node
 * draws on which come from the reward facts the node kinds declare (the registry), not from kind names.
 */
import { kindOf, type BudgetUse, type DraftJourney, type EffectRecord } from "@lifeloop/shared";

export function budgetUse(
  document: DraftJourney,
  budgets: Record<string, { amount: number; unit: string }>,
  effects: readonly EffectRecord[],
): BudgetUse[] {
  const nodeBudget = new Map<string, string>();
  for (const node of document.nodes) {
    const kind = kindOf(node.kind);
    if (!kind?.rewardFacts) continue;
    const params = kind.params.safeParse(node.params);
    const budget = params.success ? kind.rewardFacts(params.data).budget : null;
    if (budget) nodeBudget.set(node.id, budget.id);
  }
  const use = new Map(Object.keys(budgets).map((id) => [id, { spent: 0, grants: 0, refused: 0 }]));
  for (const e of effects) {
    if (e.kind === "reward" && e.budget !== null) {
      const u = use.get(e.budget);
      if (u) {
        u.spent += e.reward.amount ?? 0;
        u.grants++;
      }
    } else if (e.kind === "refuse" && e.reason === "budget" && e.nodeId !== null) {
      const u = use.get(nodeBudget.get(e.nodeId) ?? "");
      if (u) u.refused++;
    }
  }
  return [...use].map(([budgetId, u]) => {
    const { amount, unit } = budgets[budgetId]!;
    // Basis points, rounded down, in big integers: money never goes through a float, nor past 2^53.
    const shareBp = amount > 0 ? Number((BigInt(u.spent) * 10_000n) / BigInt(amount)) : 0;
    return { budgetId, unit, amount, ...u, shareBp };
  });
}
