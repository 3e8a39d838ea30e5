import { z } from "zod";
import { EventType, SegmentId, TimeZone } from "../schema/common.ts";
import { Segment } from "../schema/segment.ts";

/**
 * The lifecycle stage report (docs/reports.md, "Lifecycle stages"): the workspace's stage segments
 * evaluated by the engine's own segment logic over a replayed stream, people per stage over time,
 * week-over-week moves between stages and each stage's KPIs, overall and per group of a profile
 * attribute. Rates are fractions; times are milliseconds.
 */
const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });

/** The playbook's five stages, in the order the report shows them (samples/segments/lifecycle-stages.json). */
export const LIFECYCLE_STAGES = ["acquisition", "activation", "growth", "maturity", "churn"] as const;

/** Groups of a breakdown at most (the largest by people), the rest pooled as `OTHER_GROUP`. */
export const MAX_BREAKDOWN_GROUPS = 20;
/** The group of people beyond the largest `groups`, and of people without the attribute. */
export const OTHER_GROUP = "(other)";
export const MISSING_GROUP = "(none)";

/** Which events and attribute the KPIs read; the defaults are the sample's (samples/events/stages-month.jsonl). */
export const StageKpiEvents = z.strictObject({
  registration: EventType.default("registered"),
  investment: EventType.default("investment"),
  referral: EventType.default("referral_sent"),
  vipAttribute: z.string().min(1).max(64).default("tier"),
  vipValue: z.string().max(200).default("vip"),
});
export type StageKpiEvents = z.infer<typeof StageKpiEvents>;

export const StageOptions = z.strictObject({
  timeZone: TimeZone.default("UTC"),
  interval: z.enum(["day", "week"]).default("week"),
  from: Instant.meta({ description: "The window's start (ISO 8601 with offset)." }),
  to: Instant.meta({ description: "The window's end (ISO 8601 with offset), at most 92 days after from." }),
  churn: SegmentId.default("churn" as SegmentId).meta({ description: "The stage that counts as churned." }),
  by: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a profile attribute name")
    .optional()
    .meta({ description: "Break the figures down by this profile attribute (its value at `to`)." }),
  groups: z.number().int().min(1).max(MAX_BREAKDOWN_GROUPS).default(8),
  kpi: StageKpiEvents.prefault({}),
});
export type StageOptions = z.infer<typeof StageOptions>;

/** What the engine computes a stage report from: the stages (ordered; a person is in the first that holds). */
export const StageSpec = StageOptions.extend({ stages: z.array(Segment).min(1).max(8) });
export type StageSpec = z.infer<typeof StageSpec>;

const StageKey = z.string().nullable().meta({ description: "A stage id, or null: known to the engine, in no stage." });

export const StagePoint = z.object({
  period: z.string().meta({ description: "The local day (YYYY-MM-DD) or week (its Monday) the counts close." }),
  at: Instant.meta({ description: "The instant counted: the period's end, or `to` for the period in progress." }),
  counts: z.array(z.object({ stage: StageKey, people: z.number().int() })),
});

export const StageMove = z.object({ from: StageKey, to: StageKey, people: z.number().int() });

export const STAGE_KPIS = [
  "first_investment_rate",
  "median_time_to_activate",
  "reinvestment_rate",
  "retention_d7",
  "vip_share",
  "referral_rate",
  "churn_rate",
  "winback_rate",
] as const;
export type StageKpiId = (typeof STAGE_KPIS)[number];

export const StageKpi = z.object({
  id: z.enum(STAGE_KPIS),
  stage: z.string().meta({ description: "The stage whose KPI it is in the playbook." }),
  unit: z.enum(["rate", "ms"]),
  value: z.number().nullable().meta({ description: "A fraction (rate) or milliseconds; null with nobody to count." }),
  numerator: z.number().int().nullable(),
  denominator: z.number().int(),
});
export type StageKpi = z.infer<typeof StageKpi>;

export const StageFigures = z.object({
  people: z.number().int().meta({ description: "People the engine knew by `to` (any event)." }),
  series: z.array(StagePoint),
  weeks: z
    .array(z.object({ week: z.string(), moves: z.array(StageMove) }))
    .meta({ description: "Per local week (its Monday): stage at its start → stage at its end, people." }),
  matrix: z.array(StageMove).meta({ description: "The weekly moves summed over the window (from = to: stayed)." }),
  kpis: z.array(StageKpi),
});
export type StageFigures = z.infer<typeof StageFigures>;

export const StageReport = z.object({
  source: z.enum(["live", "simulation"]),
  generatedAt: Instant,
  from: Instant,
  to: Instant,
  timeZone: z.string(),
  interval: z.enum(["day", "week"]),
  stages: z.array(z.object({ id: z.string(), name: z.string() })),
  replayed: z.number().int().meta({ description: "Events replayed to compute the report." }),
  truncated: z.boolean().meta({ description: "The log held more events than a report replays (see docs)." }),
  overall: StageFigures,
  by: z.string().nullable(),
  groups: z.array(z.object({ value: z.string(), figures: StageFigures })),
});
export type StageReport = z.infer<typeof StageReport>;
