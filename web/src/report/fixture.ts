/**
 * A realistic report for the ab-onboarding sample after about a month (for the report's tests),
 * parsed with the shared schema so it is a report the API could send.
 */
import { JourneyReport } from "@lifeloop/shared";

type Input = JourneyReport;

export function abReport(patch: (r: Input) => void = () => {}): JourneyReport {
  const r: Input = {
    journeyId: "ab-onboarding",
    version: 2,
    source: "live",
    timeZone: "Asia/Shanghai",
    from: "2026-11-01T00:00:00.000Z",
    to: "2026-12-01T00:00:00.000Z",
    generatedAt: "2026-12-01T00:00:05.000Z",
    goal: { event: "first_investment", windowMs: 7 * 86_400_000 },
    totals: { entered: 1240, converted: 287, rate: 287 / 1240, active: 96, exited: { end_of_path: 857 } },
    nodes: {
      registered: { reached: 1240, at: 0, left: { next: 1240 } },
      strategy: { reached: 1240, at: 0, left: { tour: 561, bonus: 555, control: 124 } },
      tour_push: { reached: 561, at: 0, left: { next: 561 } },
      bonus_points: { reached: 555, at: 3, left: { next: 552 } },
      bonus_push: { reached: 552, at: 0, left: { next: 552 } },
    },
    timeToConvert: {
      count: 287,
      p50Ms: 1.5 * 86_400_000,
      p90Ms: 5 * 86_400_000,
      meanMs: 2 * 86_400_000,
      histogram: [
        { bucket: "<1h", count: 21 },
        { bucket: "1-6h", count: 34 },
        { bucket: "6-24h", count: 58 },
        { bucket: "1-3d", count: 96 },
        { bucket: "3-7d", count: 78 },
        { bucket: "7-30d", count: 0 },
        { bucket: ">30d", count: 0 },
      ],
    },
    experiments: [
      {
        nodeId: "strategy",
        key: "onboarding_2026q4",
        method: "Two-proportion z-test against the holdout, 95 % interval, two-sided p-value; SRM by chi-square.",
        arms: [
          {
            arm: "tour",
            control: false,
            expectedShare: 0.45,
            entered: 561,
            converted: 129,
            rate: 129 / 561,
            lift: { absolute: 0.067, relative: 0.41, ci95: [-0.012, 0.146], pValue: 0.12 },
            anytime: { cs95: [-0.0555, 0.1928], pValue: 0.5703 },
            cost: {},
            costPerConversion: {},
          },
          {
            arm: "bonus",
            control: false,
            expectedShare: 0.45,
            entered: 555,
            converted: 138,
            rate: 138 / 555,
            lift: { absolute: 0.0874, relative: 0.54, ci95: [0.012, 0.163], pValue: 0.006 },
            anytime: { cs95: [-0.038, 0.2127], pValue: 0.3026 },
            cost: { points: 110_400 },
            costPerConversion: { points: 800 },
          },
          {
            arm: "control",
            control: true,
            expectedShare: 0.1,
            entered: 124,
            converted: 20,
            rate: 20 / 124,
            lift: null,
            anytime: null,
            cost: {},
            costPerConversion: {},
          },
        ],
        srm: { chiSquare: 0.41, pValue: 0.81, mismatch: false },
        verdict: { status: "winner", arm: "bonus", minPerArm: 100 },
      },
    ],
    retention: {
      unit: "week",
      cohorts: [
        { cohort: "2026-11-02", size: 310, day1: 0.42, day7: 0.28, day30: 0.12 },
        { cohort: "2026-11-09", size: 298, day1: 0.4, day7: 0.25, day30: null },
        { cohort: "2026-11-16", size: 320, day1: 0.45, day7: null, day30: null },
      ],
    },
    winBack: [],
    coupons: [],
    tiers: [],
    spend: {
      total: { points: 110_400, CNY: 1_234_56 },
      byNode: [
        { nodeId: "bonus_points", unit: "points", grants: 552, amount: 110_400 },
        { nodeId: "bonus_points", unit: "CNY", grants: 12, amount: 1_234_56 },
      ],
      byDay: [
        { day: "2026-11-02", unit: "points", grants: 40, amount: 8000 },
        { day: "2026-11-03", unit: "points", grants: 36, amount: 7200 },
      ],
      budgets: [{ budgetId: "onboarding_bonus", unit: "points", limit: 2_000_000, used: 110_400, left: 1_889_600 }],
      refusals: { cap: 3, budget: 0 },
    },
  };
  patch(r);
  return JourneyReport.parse(r);
}
