/**
 * A warning the compiler cannot give alone, since it compiles one journey: another live journey
 * enters on the same event and also rewards, so one `registered` pays twice (four live samples
 * entered on it, two of them gifts). Whoever knows the other live journeys (the editor, the API at
 * publish) reads each one's facts and asks here. Pure: no I/O. Two journeys of one group do not
 * overlap: the engine's group gate lets a person into only one of them (engine/src/core/gates/group.ts).
 */
import { entryOf, kindOf } from "../kinds/index.ts";
import type { Issue } from "./issues.ts";

/** What the overlap check needs to know of a journey. */
export interface EntryRewardFacts {
  /** The events its entry nodes enter on. */
  triggerEvents: string[];
  /** True when one of its nodes grants a reward (its kind declares reward facts). */
  rewards: boolean;
  /** Its group, if any: journeys of one group never both take a person, so they never pay twice. */
  group: string | null;
}

export interface LiveJourneyFacts extends EntryRewardFacts {
  id: string;
  name: string;
}

type NodesOf = { nodes: ReadonlyArray<{ kind: string; params: unknown }>; group?: string | undefined };

export function entryRewardFacts(doc: NodesOf): EntryRewardFacts {
  const events = new Set<string>();
  let rewards = false;
  for (const n of doc.nodes) {
    const entry = entryOf(n.kind, n.params);
    if (entry?.on === "event") events.add(entry.event);
    if (kindOf(n.kind)?.rewardFacts) rewards = true;
  }
  return { triggerEvents: [...events].sort(), rewards, group: doc.group ?? null };
}

/**
 * One warning per other live journey that enters on an event this one enters on, when both reward
 * and they are not in the same group.
 */
export function liveRewardOverlaps(doc: NodesOf & { id: string }, live: readonly LiveJourneyFacts[]): Issue[] {
  const own = entryRewardFacts(doc);
  if (!own.rewards) return [];
  const out: Issue[] = [];
  for (const other of live) {
    if (other.id === doc.id || !other.rewards) continue;
    if (own.group !== null && own.group === other.group) continue;
    const shared = own.triggerEvents.filter((e) => other.triggerEvents.includes(e));
    if (shared.length === 0) continue;
    out.push({
      severity: "warning",
      code: "live_reward_overlap",
      path: "$",
      message:
        `"${other.name}" (${other.id}) is live, enters on ${shared.map((e) => `"${e}"`).join(", ")} too ` +
        "and also rewards: one event may reward a person twice (unless both are in one group)",
    });
  }
  return out;
}
