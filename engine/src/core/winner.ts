/**
 * The automatic winner of an experiment (shared/src/kinds/experiment.ts, `autoWinner`): decided once,
 * at the end of the window, from tallies the core keeps itself in shared counters — people assigned
 * to each arm before the window's end, and their conversions of the journey's goal before it. The
 * same tallies give the same decision in simulate and live; the first step at or after the window's
 * end records it in a guarded counter, so a second worker deciding at the same time conflicts,
 * retries and reads the first decision.
 */
import type { JourneyId, NodeId } from "@lifeloop/shared";
import { msprt, sampleRatioMismatch } from "./stats.ts";
import { localDateTime } from "./clock.ts";
import type { StepContext } from "./context.ts";
import type { JsonValue } from "./json.ts";
import type { Run } from "./types.ts";

const ALPHA = 0.05;
/** Tallies only grow; their guard is never what stops them. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

interface AutoWinnerParams {
  afterMs: number | null;
  at: string | null;
  fallback: string | null;
}

interface ArmTally {
  handle: string;
  weight: number;
  entered: number;
  converted: number;
}

interface WinnerDecision {
  /** The arm every later entrant goes to; null: the split goes on as configured. */
  route: string | null;
  /** The arm that won, or null when the fallback applies. */
  winner: string | null;
  reason: "winner" | "no_winner" | "srm";
  /** What the arms were compared against: the control, or the first arm without one. */
  baseline: string;
  /** Each arm's p-value is compared with 0.05 / the number of arms compared (Bonferroni). */
  alpha: number;
  arms: Array<{ arm: string; entered: number; converted: number; pValue: number | null }>;
}

/**
 * Each arm against the baseline with the mSPRT's always-valid p-value; the winner is the arm with the
 * highest conversion rate among those better than the baseline at 0.05 / (arms compared), the earliest
 * arm on a tie. A sample-ratio mismatch (the split is broken) or no such arm: the fallback.
 */
export function decideWinner(arms: ArmTally[], fallback: string | null): WinnerDecision {
  const baseline = arms.find((a) => a.handle === "control") ?? arms[0]!;
  const others = arms.filter((a) => a !== baseline);
  const alpha = ALPHA / Math.max(1, others.length);
  const rows = arms.map((a) => ({
    arm: a.handle,
    entered: a.entered,
    converted: a.converted,
    pValue:
      a === baseline ? null : (msprt(a.converted, a.entered, baseline.converted, baseline.entered)?.pValue ?? null),
  }));
  const total = arms.reduce((s, a) => s + a.weight, 0);
  const srm = sampleRatioMismatch(
    arms.map((a) => a.entered),
    arms.map((a) => a.weight / total),
  );
  const rate = (a: ArmTally) => a.converted / a.entered;
  let winner: ArmTally | null = null;
  if (!srm.mismatch) {
    for (const a of others) {
      const p = rows[arms.indexOf(a)]!.pValue;
      if (p === null || p >= alpha || rate(a) <= rate(baseline)) continue;
      if (winner === null || rate(a) > rate(winner)) winner = a;
    }
  }
  return {
    route: winner ? winner.handle : fallback,
    winner: winner?.handle ?? null,
    reason: winner ? "winner" : srm.mismatch ? "srm" : "no_winner",
    baseline: baseline.handle,
    alpha,
    arms: rows,
  };
}

interface Assignment {
  experiment: string;
  arms: ReadonlyArray<{ handle: string; weight: number }>;
  autoWinner: AutoWinnerParams;
  drawn: string;
}

const prefixOf = (journeyId: JourneyId, nodeId: NodeId) => `exp/${journeyId}/${nodeId}`;

/**
 * The arm this entrant goes to under an automatic winner, and what the decision record says: before
 * the window's end the drawn arm (tallied, and the entry's goal told to tally its conversion); after
 * it the decided arm, deciding first if nobody has.
 */
export function autoWinnerArm(
  ctx: StepContext,
  journey: { journeyId: JourneyId; exe: { timeZone: string } },
  nodeId: NodeId,
  run: Run,
  a: Assignment,
): { handle: string; inputs: Record<string, JsonValue> } {
  const prefix = prefixOf(journey.journeyId, nodeId);
  const w = a.autoWinner;
  let end: number;
  if (w.at !== null) end = localDateTime(w.at, journey.exe.timeZone);
  else {
    // The window starts at the experiment's first assignment, kept in a counter (once: its guard).
    let start = ctx.used(`${prefix}/start`);
    if (start === 0) {
      start = ctx.now;
      ctx.spend(`${prefix}/start`, start, start);
    }
    end = start + w.afterMs!;
  }
  if (ctx.now < end) {
    ctx.spend(`${prefix}/n/${a.drawn}`, 1, NO_LIMIT);
    const goal = ctx.state.goals.find((g) => g.journeyId === journey.journeyId && g.entry === run.entry);
    if (goal) goal.tallies = [...(goal.tallies ?? []), { key: `${prefix}/c/${a.drawn}`, until: end }];
    return { handle: a.drawn, inputs: {} };
  }
  // 1 + the arm's index, or arms + 1 for "keep the split": 0 is "not decided yet".
  const code = ctx.used(`${prefix}/winner`);
  if (code > 0) {
    const routed = a.arms[code - 1]?.handle ?? a.drawn;
    return { handle: routed, inputs: { autoWinner: code <= a.arms.length ? routed : "keep" } };
  }
  const decision = decideWinner(
    a.arms.map((arm) => ({
      handle: arm.handle,
      weight: arm.weight,
      entered: ctx.used(`${prefix}/n/${arm.handle}`),
      converted: ctx.used(`${prefix}/c/${arm.handle}`),
    })),
    w.fallback,
  );
  const index = decision.route === null ? -1 : a.arms.findIndex((arm) => arm.handle === decision.route);
  const decided = index < 0 ? a.arms.length + 1 : index + 1;
  ctx.spend(`${prefix}/winner`, decided, decided);
  const routed = index < 0 ? a.drawn : a.arms[index]!.handle;
  return {
    handle: routed,
    inputs: {
      autoWinner: index < 0 ? "keep" : routed,
      decision: {
        windowEnd: new Date(end).toISOString(),
        method: "msprt",
        reason: decision.reason,
        winner: decision.winner,
        baseline: decision.baseline,
        alpha: decision.alpha,
        arms: decision.arms,
      },
    },
  };
}
