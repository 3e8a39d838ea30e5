import type { NodeCounts, SimulationSummary } from "@lifeloop/shared";
import type { Effect } from "../core/index.ts";

/**
 * Per journey and node: how many runs arrived, which way they left, why they stopped (shared's wire SimulationSummary).
 */
export type JourneySummary = SimulationSummary;
export type { NodeCounts };

const sorted = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const bump = (o: Record<string, number>, k: string, n = 1) => {
  o[k] = (o[k] ?? 0) + n;
};

export function summarize(effects: Iterable<Effect>): JourneySummary[] {
  const journeys = new Map<string, JourneySummary>();
  const nodeOf = (j: JourneySummary, id: string): NodeCounts =>
    (j.nodes[id] ??= { arrived: 0, left: {}, exited: {}, granted: 0, refused: {}, messages: 0 });
  for (const e of effects) {
    let j = journeys.get(e.journeyId);
    if (!j) {
      j = { journeyId: e.journeyId, entered: 0, converted: 0, exited: {}, nodes: {}, cost: {}, refusals: {} };
      journeys.set(e.journeyId, j);
    }
    switch (e.kind) {
      case "enter":
        j.entered++;
        nodeOf(j, e.nodeId!).arrived++;
        break;
      case "move":
        bump(nodeOf(j, e.nodeId!).left, e.handle);
        if (e.to !== null) nodeOf(j, e.to).arrived++;
        break;
      case "exit":
        bump(j.exited, e.reason);
        if (e.nodeId) bump(nodeOf(j, e.nodeId).exited, e.reason);
        break;
      case "convert":
        j.converted++;
        break;
      case "reward": {
        nodeOf(j, e.nodeId!).granted++;
        const c = (j.cost[e.reward.unit] ??= { grants: 0, amount: 0 });
        c.grants++;
        c.amount += e.reward.amount ?? 0;
        break;
      }
      case "refuse":
        bump(nodeOf(j, e.nodeId!).refused, e.reason);
        bump(j.refusals, e.reason);
        break;
      case "message":
        nodeOf(j, e.nodeId!).messages++;
        break;
    }
  }
  return [...journeys.values()]
    .sort((a, b) => (a.journeyId < b.journeyId ? -1 : 1))
    .map((j) => ({
      ...j,
      exited: sorted(j.exited),
      cost: sorted(j.cost),
      refusals: sorted(j.refusals),
      nodes: sorted(j.nodes),
    }));
}
