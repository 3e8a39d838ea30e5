import type { RewardFacts } from "../kinds/types.ts";
import { isCyclic, type Adjacency } from "./graph.ts";

/** Worst case a journey can cost, per unit ("points", "CNY", "coupons"); null means unbounded. */
export type CostReport = Record<string, { perEntry: number | null; perUser: number | null }>;

const INF = Number.POSITIVE_INFINITY;
const bounded = (n: number): number | null => (Number.isFinite(n) ? n : null);

/** Most one grant can cost: the reward's own maximum, lowered by a cap on amount. */
function grantMax(f: RewardFacts): number {
  return Math.min(f.maxPerGrant ?? INF, f.cap?.amount ?? INF);
}

/** Most a person can ever receive from one node: a lifetime cap bounds that, and a fixed total. */
function lifetimeMax(f: RewardFacts): number {
  const total = f.total ?? INF;
  if (f.cap?.period !== "lifetime") return total;
  const byCount = f.cap.count !== undefined ? f.cap.count * grantMax(f) : INF;
  return Math.min(byCount, f.cap.amount ?? INF, total);
}

/**
 * Per entry: the costliest path from a trigger (each reward on it granted once; a reward inside a
 * loop only bounded by its lifetime cap). Per person: that, when people enter once; in any case no
 * more than the sum of lifetime caps, nor than the budgets when every reward of the unit has one.
 */
export function worstCaseCost(
  rewards: ReadonlyMap<string, RewardFacts>,
  components: readonly string[][],
  adj: Adjacency,
  triggers: readonly string[],
  entersOnce: boolean,
): CostReport {
  const units = [...new Set([...rewards.values()].map((f) => f.unit))].sort();
  const componentOf = new Map<string, number>();
  components.forEach((c, i) => c.forEach((n) => componentOf.set(n, i)));
  const report: CostReport = {};

  for (const unit of units) {
    // Components arrive in reverse topological order, so successors are solved before predecessors.
    const best: number[] = [];
    components.forEach((component, i) => {
      const cyclic = isCyclic(component, adj);
      let own = 0;
      for (const n of component) {
        const f = rewards.get(n);
        if (!f || f.unit !== unit) continue;
        own += cyclic ? lifetimeMax(f) : grantMax(f);
      }
      let after = 0;
      for (const n of component) {
        for (const m of adj.get(n) ?? []) {
          const j = componentOf.get(m);
          if (j !== undefined && j !== i) after = Math.max(after, best[j] ?? 0);
        }
      }
      best[i] = own + after;
    });
    const perEntry = Math.max(0, ...triggers.map((t) => best[componentOf.get(t) ?? -1] ?? 0));

    const ofUnit = [...rewards.values()].filter((f) => f.unit === unit);
    const byLifetimeCaps = ofUnit.reduce((s, f) => s + lifetimeMax(f), 0);
    // A fixed total (a red packet) is the node's own budget: all it pays, across everyone.
    const budgets = new Map<string, number>();
    for (const [id, f] of rewards) {
      if (f.unit !== unit) continue;
      if (f.budget) budgets.set(`budget/${f.budget.id}`, f.budget.amount);
      else if (f.total != null) budgets.set(`total/${id}`, f.total);
    }
    const byBudgets = ofUnit.every((f) => f.budget || f.total != null)
      ? [...budgets.values()].reduce((s, a) => s + a, 0)
      : INF;
    const perUser = Math.min(entersOnce ? perEntry : INF, byLifetimeCaps, byBudgets);
    report[unit] = { perEntry: bounded(perEntry), perUser: bounded(perUser) };
  }
  return report;
}
