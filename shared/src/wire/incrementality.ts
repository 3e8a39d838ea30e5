import { z } from "zod";
import { WorkspaceHoldout } from "../schema/holdout.ts";

/**
 * The incrementality report (the engine's GET /v1/reports/incrementality): conversion of the people
 * journeys reached against the people the workspace holdout kept out, per journey and overall.
 * Rates are fractions; amounts are integers in minor units beside their unit. docs/reports.md,
 * "Incrementality", says how each figure is counted and which interval it uses.
 */
const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });

export const HoldoutGroup = z.object({
  people: z.number().int().meta({ description: "People counted in the group over the window." }),
  converted: z.number().int().meta({ description: "Of those, people who did the goal event within its window." }),
  rate: z.number().nullable().meta({ description: "converted / people; null with nobody in the group." }),
});
export type HoldoutGroup = z.infer<typeof HoldoutGroup>;

export const Interval = z.object({
  value: z.number(),
  low: z.number().meta({ description: "Lower bound of the 95 % interval." }),
  high: z.number().meta({ description: "Upper bound of the 95 % interval." }),
});
export type Interval = z.infer<typeof Interval>;

export const IncrementalCost = z.object({
  unit: z.string().meta({ description: "What the amount counts: a currency (CNY), points, coupons." }),
  amount: z.number().int().meta({ description: "Granted to exposed people over the window, in minor units." }),
  perIncrementalConversion: z
    .number()
    .int()
    .nullable()
    .meta({ description: "amount / incremental conversions, rounded to a minor unit; null unless there are some." }),
});
export type IncrementalCost = z.infer<typeof IncrementalCost>;

export const IncrementalityFigures = z.object({
  exposed: HoldoutGroup,
  heldOut: HoldoutGroup,
  absoluteLift: Interval.nullable().meta({
    description: "Exposed rate minus held-out rate (Newcombe's hybrid score interval); null while a group is empty.",
  }),
  relativeLift: Interval.nullable().meta({
    description:
      "Exposed rate over held-out rate, minus 1 (log risk-ratio interval); null while a group has no conversion.",
  }),
  incrementalConversions: z
    .number()
    .nullable()
    .meta({ description: "absoluteLift × exposed people: conversions the journey added; null with no lift." }),
  cost: z.array(IncrementalCost),
});
export type IncrementalityFigures = z.infer<typeof IncrementalityFigures>;

export const JourneyIncrementality = IncrementalityFigures.extend({
  journeyId: z.string(),
  goal: z.string().meta({ description: "The journey's goal event." }),
});
export type JourneyIncrementality = z.infer<typeof JourneyIncrementality>;

export const IncrementalityReport = z
  .object({
    source: z.enum(["live", "simulation"]),
    generatedAt: Instant,
    from: Instant.nullable(),
    to: Instant,
    holdout: WorkspaceHoldout.nullable(),
    method: z.string(),
    overall: IncrementalityFigures.meta({
      description: "Every journey of the report pooled: a person counts once per journey.",
    }),
    journeys: z.array(JourneyIncrementality).meta({
      description: "Each live journey the holdout covers that has a goal, by id.",
    }),
  })
  .meta({
    description: "Exposed against held-out people: conversion, lift with 95 % intervals, cost per incremental.",
  });
export type IncrementalityReport = z.infer<typeof IncrementalityReport>;
