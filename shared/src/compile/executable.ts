import type { AggregateFn } from "../aggregate.ts";
import type { Entry } from "../schema/journey.ts";
import type { JourneyId, NodeId, Rule } from "../schema/common.ts";
import type { BudgetPace } from "../kinds/reward-limits.ts";
import type { CostReport } from "./cost.ts";

/**
 * What the compiler hands the engine: plain JSON, every rule checked, every edge resolved, every
 * duration in ms. The engine builds closures from the rules once per version and runs this
 * without validating it again. Stored by the API beside each published version.
 */
export const EXECUTABLE_FORMAT = "lifeloop.executable/1";

export interface ExecutableNode {
  id: NodeId;
  kind: string;
  params: Record<string, unknown>;
  /** Each handle of the node and the node it leads to; null ends the run there. */
  next: Record<string, NodeId | null>;
  /**
   * Where the node is in the source document ("$.nodes[3]"), so a rule that fails live can be
   * pointed at. Absent in executables compiled before it was added.
   */
  path?: string;
}

export type ExecutableGroup = { id: string; priority: number; periodMs?: number };

// A type, not an interface: the feed schema (schema/feed.ts) checks an envelope that keeps unknown
// keys, and only a type alias is assignable to that open record.
export type ExecutableJourney = {
  format: typeof EXECUTABLE_FORMAT;
  journeyId: JourneyId;
  name: string;
  schemaVersion: number;
  timeZone: string;
  entry: Entry;
  /**
   * The journey's group and its priority there (absent when it is in none, and in older executables);
   * `periodMs`: how long an entry into another journey of the group keeps a person out of this one.
   */
  group?: ExecutableGroup;
  settings: {
    quietHours: { start: string; end: string } | null;
    frequencyCap: { count: number; period: "day" | "week" | "month" } | null;
  };
  goal: { event: string; condition: Rule | null; windowMs: number } | null;
  exitCriteria: Array<{ type: "event" | "condition"; event: string | null; condition: Rule | null; reason: string }>;
  /** Segment id → rule; rules may use {"in_segment": [id]}, compiled with this table. */
  segments: Record<string, Rule>;
  /** Segment id → its path in the source document ("$.segments[0]"); absent in older executables. */
  segmentPaths?: Record<string, string>;
  /** Every windowed aggregate any rule reads: the engine keeps exactly these per person. */
  aggregates: Array<{ key: string; fn: AggregateFn; event: string; prop: string | null; window: string }>;
  /** Entry nodes, in document order. */
  triggers: NodeId[];
  // Keyed by string so any id can be looked up; the values carry the brand (node.id, next, triggers).
  nodes: Record<string, ExecutableNode>;
  /** Campaign budgets by id: total amount in the rewards' unit, and how it paces (kinds/reward-limits.ts). */
  budgets: Record<string, { amount: number; unit: string; pace?: BudgetPace }>;
  cost: CostReport;
};
