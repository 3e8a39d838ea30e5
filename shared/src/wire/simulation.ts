import { z } from "zod";
import { EffectRecord, TraceRecord } from "./effects.ts";
import { IncrementalityReport } from "./incrementality.ts";
import { Cost } from "./journeys.ts";

/** What a replay says: per journey, how many people did what at each node (what the canvas draws). */

export const NodeCounts = z.object({
  arrived: z.number().int(),
  left: z.record(z.string(), z.number().int()).meta({ description: "Handle → runs that left by it." }),
  exited: z.record(z.string(), z.number().int()),
  granted: z.number().int(),
  refused: z.record(z.string(), z.number().int()),
  messages: z.number().int(),
});
export type NodeCounts = z.infer<typeof NodeCounts>;

export const SimulationSummary = z.object({
  journeyId: z.string(),
  entered: z.number().int(),
  converted: z.number().int(),
  exited: z.record(z.string(), z.number().int()),
  nodes: z.record(z.string(), NodeCounts),
  cost: z.record(z.string(), z.object({ grants: z.number().int(), amount: z.number().int() })).meta({
    description: 'Reward cost by unit ("points", "coupons", "CNY"…): grants and total amount in minor units.',
  }),
  refusals: z.record(z.string(), z.number().int()),
});
export type SimulationSummary = z.infer<typeof SimulationSummary>;

export const SimulationStats = z.object({
  events: z.number().int(),
  duplicates: z.number().int(),
  users: z.number().int(),
  until: z.string().nullable(),
});
export type SimulationStats = z.infer<typeof SimulationStats>;

/** POST /v1/journeys/{id}/simulate: the engine's effects, trace and summary for the draft or a version. */
export const SimulationResult = z.object({
  journeyId: z.string(),
  simulated: z
    .union([z.literal("draft"), z.number().int()])
    .meta({ description: '"draft", or the published version replayed.' }),
  revision: z.number().int().meta({ description: "Draft revision simulated (for the draft)." }),
  worstCase: Cost.meta({
    description: "The compiler's worst-case reward cost, for comparison with what the stream cost.",
  }),
  effects: z
    .array(EffectRecord)
    .meta({ description: "Every effect in order: enter, move, wait, reward, message, exit, convert…" }),
  trace: z.array(TraceRecord).meta({ description: "Why things did not happen: not entered, late events." }),
  summary: z
    .array(SimulationSummary)
    .meta({ description: "Per journey: entered, converted, exits, per-node counts and reward cost by unit." }),
  stats: SimulationStats,
  incrementality: IncrementalityReport.nullable().meta({
    description:
      "With a workspace holdout that covers the journey and a goal: the incrementality report of the simulated " +
      "stream, the same figures the live report gives for the same events; null otherwise.",
  }),
});
export type SimulationResult = z.infer<typeof SimulationResult>;
