import { z } from "zod";

/**
 * What a journey's report says: the measurement playbook (did it convert, which arm wins, do people
 * come back, what did it cost). One shape for the engine (which computes it from its stored facts),
 * the API (which serves it, and derives its OpenAPI from this) and the editor (which charts it).
 * Counts are whole numbers of people or grants; amounts are integers in minor units per unit
 * ("points", "coupons" or an ISO currency); rates are fractions in [0, 1].
 */

const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1);
/** Amount per unit: { "CNY": 240000, "points": 3500 }. */
const Amounts = z.record(z.string(), z.number().int());

export const ReportNode = z.object({
  /** People who reached the node (distinct per entry). */
  reached: Count,
  /** People at the node now (waiting there). */
  at: Count,
  /** How many left by each branch. */
  left: z.record(z.string(), Count),
});

export const ConversionStats = z.object({
  entered: Count,
  converted: Count,
  /** converted / entered; null with nobody entered. */
  rate: Rate.nullable(),
});

export const TimeToConvert = z.object({
  count: Count,
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  meanMs: z.number().nullable(),
  /** Fixed buckets, in order: "<1h", "1-6h", "6-24h", "1-3d", "3-7d", "7-30d", ">30d". */
  histogram: z.array(z.object({ bucket: z.string(), count: Count })),
});

export const ArmReport = ConversionStats.extend({
  arm: z.string(),
  /** The holdout that gets nothing: lifts are against it. */
  control: z.boolean(),
  /** Share of people configured for this arm (weights and the control %), for the SRM check. */
  expectedShare: Rate,
  /**
   * Against control: difference of rates with a 95 % interval and a two-sided p-value; null for control or without
   * data.
   */
  lift: z
    .object({
      absolute: z.number(),
      relative: z.number().nullable(),
      ci95: z.tuple([z.number(), z.number()]),
      pValue: z.number().min(0).max(1),
    })
    .nullable(),
  /**
   * Against the same baseline, anytime-valid (mSPRT, normal mixture): a 95 % confidence sequence of the difference
   * and an always-valid p-value, safe to read at any time, as often as wanted; null where `lift` is, or while
   * every rate is 0 or 1.
   */
  anytime: z.object({ cs95: z.tuple([z.number(), z.number()]), pValue: z.number().min(0).max(1) }).nullable(),
  cost: Amounts,
  /** cost / converted per unit; null with no conversions. */
  costPerConversion: z.record(z.string(), z.number().nullable()),
});

export const ExperimentReport = z.object({
  nodeId: z.string(),
  key: z.string(),
  /** Said once, in words, so the reader knows what the numbers are. */
  method: z.string(),
  arms: z.array(ArmReport),
  /** Sample-ratio mismatch: a chi-square test of assignments against the configured shares. */
  srm: z.object({ chiSquare: z.number(), pValue: z.number().min(0).max(1), mismatch: z.boolean() }),
  /**
   * The automatic winner, for an experiment with one: the figures as of the window's end (or as of now, before it)
   * and, once the engine has decided (at the first entry at or after the end), what it decided. Absent without one.
   */
  autoWinner: z
    .object({
      /** When the window ends; null while nobody was assigned (a window counted from the first assignment). */
      windowEnd: z.string().nullable(),
      /** When the engine decided: the first assignment at or after the window's end; null while it has not. */
      decidedAt: z.string().nullable(),
      reason: z.enum(["winner", "no_winner", "srm"]).nullable(),
      winner: z.string().nullable(),
      /** The arm every entrant after the decision goes to; "keep": the split goes on. Null before the decision. */
      route: z.string().nullable(),
      /** An arm's id, "control" or "keep". */
      fallback: z.string(),
      /** Each arm's always-valid p-value is compared with this: 0.05 / the number of arms compared. */
      alpha: z.number(),
      arms: z.array(
        z.object({ arm: z.string(), entered: Count, converted: Count, pValue: z.number().min(0).max(1).nullable() }),
      ),
    })
    .optional(),
  verdict: z.object({
    status: z.enum(["not_enough_data", "winner", "no_difference", "worse", "srm"]),
    /** The arm the verdict is about (the best arm when there is a winner). */
    arm: z.string().nullable(),
    /** People each arm needs before a verdict is given. */
    minPerArm: Count,
  }),
});

export const RetentionCohort = z.object({
  /** Local date of the cohort's first day (YYYY-MM-DD), in the journey's time zone. */
  cohort: z.string(),
  size: Count,
  /**
   * Share of the cohort active again at least once on local day N after entering (N = 1, 7, 30); null while that day
   * has not come for the cohort.
   */
  day1: Rate.nullable(),
  day7: Rate.nullable(),
  day30: Rate.nullable(),
});

export const WinBackStep = z.object({
  /** The reward node (coupon) people got. */
  nodeId: z.string(),
  granted: Count,
  /** People active again within `windowDays` after the grant. */
  returned: Count,
  rate: Rate.nullable(),
  windowDays: z.number().int(),
});

/**
 * A coupon reward node's coupons (core/coupons.ts): how many were redeemed, how fast, and what each
 * redemption cost. Amounts are integers in minor units of `unit` (a coupon without a face value
 * counts 1 in "coupons").
 */
export const CouponStep = z.object({
  nodeId: z.string(),
  unit: z.string(),
  issued: Count,
  redeemed: Count,
  /** Lapsed unredeemed at their expiry. */
  expired: Count,
  /** Neither yet. */
  open: Count,
  /** redeemed / issued; null with none issued. */
  redemptionRate: Rate.nullable(),
  /** Median time from the grant to its redemption (the mean of the middle two for an even count); null with none. */
  medianMsToRedeem: z.number().int().nullable(),
  /** Face value of every coupon issued: what the budget counted. */
  cost: z.number().int(),
  /** Face value of the redeemed ones. */
  redeemedValue: z.number().int(),
  /** cost / redeemed, rounded to the nearest minor unit (half up); null with none redeemed. */
  costPerRedeemed: z.number().int().nullable(),
});

export const TierMoves = z.object({
  /** Monday of the week (YYYY-MM-DD, journey time zone). */
  week: z.string(),
  moves: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), count: Count })),
});

/**
 * One local day (the journey's time zone) of a paced budget (kinds/reward-limits.ts), in minor units:
 * the allowance the engine granted against that day, what was spent, and the two cumulative lines a
 * chart draws: `paceCumulative` is what was spent before the day plus its allowance (the most the
 * pace let the budget have spent by the day's end), `spentCumulative` what it had spent.
 */
export const PaceDay = z.object({
  /** YYYY-MM-DD, in the journey's time zone. */
  day: z.string(),
  allowance: z.number().int(),
  spent: z.number().int(),
  paceCumulative: z.number().int(),
  spentCumulative: z.number().int(),
});

/**
 * A paced budget's days from its first spend (or today, before any) through today, or through the
 * last day of an even pace (or of its last spend) when today is later; at most the last 400.
 */
export const BudgetPaceLine = z.object({
  mode: z.enum(["even", "daily"]),
  days: z.array(PaceDay),
});

export const SpendReport = z.object({
  total: Amounts,
  byNode: z.array(z.object({ nodeId: z.string(), unit: z.string(), grants: Count, amount: z.number().int() })),
  byDay: z.array(z.object({ day: z.string(), unit: z.string(), grants: Count, amount: z.number().int() })),
  budgets: z.array(
    z.object({
      budgetId: z.string(),
      unit: z.string(),
      limit: z.number().int(),
      used: z.number().int(),
      left: z.number().int(),
      /** Only for a paced budget: spend against the pace line, per local day. */
      pace: BudgetPaceLine.optional(),
    }),
  ),
  refusals: z.record(z.string(), Count),
  /** The coupon pools the journey's rewards draw from, as the engine counts them now (absent: none). */
  pools: z.array(z.object({ pool: z.string(), codes: Count, handed: Count, remaining: Count })).optional(),
});

/** Against the baseline arm, as in ArmReport. */
const GroupArm = ArmReport.pick({
  arm: true,
  control: true,
  entered: true,
  converted: true,
  rate: true,
  lift: true,
  anytime: true,
});

/**
 * One group of a breakdown: the entries whose person had the attribute's value when they entered, and the same
 * statistics as the whole report for them. Node counts are of these entries (reached once per entry, at now).
 */
export const ReportGroup = z.object({
  /** The attribute's value as text; "(other)" pools values beyond the largest groups and people without it. */
  value: z.string(),
  totals: ConversionStats.extend({
    /** 95 % Wilson score interval of the conversion rate; null with nobody entered. */
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    active: Count,
  }),
  nodes: z.record(z.string(), ReportNode.pick({ reached: true, at: true })),
  spend: z.object({ total: Amounts, grants: Count }),
  experiments: z.array(z.object({ nodeId: z.string(), key: z.string(), arms: z.array(GroupArm) })),
});

/** `?by=<attribute>`: the report per value of a profile attribute at entry, the largest groups first in name order. */
export const ReportBreakdown = z.object({
  by: z.string(),
  groups: z.array(ReportGroup),
});
export type ReportBreakdown = z.infer<typeof ReportBreakdown>;

export const JourneyReport = z.object({
  journeyId: z.string(),
  /** null: every version together. */
  version: z.number().int().nullable(),
  source: z.enum(["live", "simulation"]),
  timeZone: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  generatedAt: z.string(),
  goal: z.object({ event: z.string(), windowMs: z.number().int() }).nullable(),
  totals: ConversionStats.extend({ active: Count, exited: z.record(z.string(), Count) }),
  nodes: z.record(z.string(), ReportNode),
  timeToConvert: TimeToConvert,
  experiments: z.array(ExperimentReport),
  retention: z.object({ unit: z.enum(["day", "week"]), cohorts: z.array(RetentionCohort) }),
  winBack: z.array(WinBackStep),
  coupons: z.array(CouponStep),
  tiers: z.array(TierMoves),
  spend: SpendReport,
  /** Only with `?by=`: the same statistics per group of a profile attribute's value at entry. */
  breakdown: ReportBreakdown.optional(),
});
export type JourneyReport = z.infer<typeof JourneyReport>;

/** `?path=a,b,c`: how many people reached each node of the path in order, within one entry. */
export const FunnelReport = z.object({
  journeyId: z.string(),
  version: z.number().int().nullable(),
  steps: z.array(
    z.object({ nodeId: z.string(), count: Count, rateFromPrevious: Rate.nullable(), rateFromStart: Rate.nullable() }),
  ),
});
export type FunnelReport = z.infer<typeof FunnelReport>;
