/**
 * The stage figures of a set of people over a window: people per stage at each period's end, the
 * week-over-week moves, and the playbook's KPIs. Pure: histories in, figures out. Every definition is
 * in docs/reports.md, "Lifecycle stages"; stages-month.test.ts computes the same from the stream alone.
 */
import { localDate, nextPeriodStart, periodStart, type StageFigures, type StageKpi } from "@lifeloop/shared";
import { stageAt, type PersonHistory } from "./history.ts";

export interface Window {
  from: number;
  to: number;
  timeZone: string;
  interval: "day" | "week";
  /** Stage ids in order. */
  stages: string[];
  churn: string;
  vip: { attribute: string; value: string };
}

/** The instants counted: each period's end within (from, to], and `to` for a period still in progress. */
function periodEnds(w: Window): Array<{ period: string; at: number }> {
  const out: Array<{ period: string; at: number }> = [];
  for (let start = periodStart(w.from, w.timeZone, w.interval); start < w.to; ) {
    const next = nextPeriodStart(start, w.timeZone, w.interval);
    out.push({ period: localDate(start, w.timeZone), at: Math.min(next, w.to) });
    start = next;
  }
  return out;
}

/** Whole local weeks (Monday to Monday) inside [from, to]. */
function weeksWithin(w: Window): Array<{ week: string; start: number; end: number }> {
  const out: Array<{ week: string; start: number; end: number }> = [];
  let start = periodStart(w.from, w.timeZone, "week");
  if (start < w.from) start = nextPeriodStart(start, w.timeZone, "week");
  for (let end = nextPeriodStart(start, w.timeZone, "week"); end <= w.to; ) {
    out.push({ week: localDate(start, w.timeZone), start, end });
    start = end;
    end = nextPeriodStart(start, w.timeZone, "week");
  }
  return out;
}

const keyOf = (from: string | null, to: string | null) => JSON.stringify([from, to]);

function addDays(dayStart: number, n: number, tz: string): number {
  let t = dayStart;
  for (let i = 0; i < n; i++) t = nextPeriodStart(t, tz, "day");
  return t;
}

const rate = (n: number, d: number): number | null => (d === 0 ? null : n / d);

function kpi(id: StageKpi["id"], stage: string, numerator: number, denominator: number): StageKpi {
  return { id, stage, unit: "rate", value: rate(numerator, denominator), numerator, denominator };
}

/** The playbook's stage for each KPI, by position (acquisition … churn), when the stages are the five. */
function owner(w: Window, index: number): string {
  return w.stages[Math.min(index, w.stages.length - 1)] ?? "";
}

export function stageFigures(people: PersonHistory[], w: Window): StageFigures {
  const order = [...w.stages, null];
  const series = periodEnds(w).map(({ period, at }) => {
    const counts = new Map<string | null, number>(order.map((s) => [s, 0]));
    for (const p of people) {
      const s = stageAt(p, at);
      if (s !== undefined) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    return {
      period,
      at: new Date(at).toISOString(),
      counts: order.map((stage) => ({ stage, people: counts.get(stage)! })),
    };
  });

  const total = new Map<string, { from: string | null; to: string | null; people: number }>();
  let atRisk = 0;
  let churned = 0;
  const weeks = weeksWithin(w).map(({ week, start, end }) => {
    const moves = new Map<string, { from: string | null; to: string | null; people: number }>();
    for (const p of people) {
      const to = stageAt(p, end);
      if (to === undefined) continue;
      const from = stageAt(p, start) ?? null;
      const k = keyOf(from, to);
      const m = moves.get(k) ?? { from, to, people: 0 };
      m.people++;
      moves.set(k, m);
      if (from !== null && from !== w.churn) {
        atRisk++;
        if (to === w.churn) churned++;
      }
    }
    const list = [...moves.values()].sort((a, b) => rank(order, a) - rank(order, b));
    for (const m of list) {
      const k = keyOf(m.from, m.to);
      const t = total.get(k) ?? { from: m.from, to: m.to, people: 0 };
      t.people += m.people;
      total.set(k, t);
    }
    return { week, moves: list };
  });
  const matrix = [...total.values()].sort((a, b) => rank(order, a) - rank(order, b));

  return {
    people: people.filter((p) => p.firstAt <= w.to).length,
    series,
    weeks,
    matrix,
    kpis: kpis(people, w, atRisk, churned),
  };
}

function rank(order: Array<string | null>, m: { from: string | null; to: string | null }): number {
  return order.indexOf(m.from) * order.length + order.indexOf(m.to);
}

function kpis(people: PersonHistory[], w: Window, atRisk: number, churned: number): StageKpi[] {
  const registered = people.filter(
    (p) => p.registeredAt !== null && p.registeredAt >= w.from && p.registeredAt <= w.to,
  );
  const times: number[] = [];
  for (const p of registered) {
    const first = p.investments.find((t) => t >= p.registeredAt! && t <= w.to);
    if (first !== undefined) times.push(first - p.registeredAt!);
  }
  times.sort((a, b) => a - b);
  const median = times.length === 0 ? null : times[Math.ceil(times.length / 2) - 1]!;

  const firstInWindow = people.filter(
    (p) => p.investments[0] !== undefined && p.investments[0] >= w.from && p.investments[0] <= w.to,
  );
  const reinvested = firstInWindow.filter((p) => p.investments[1] !== undefined && p.investments[1] <= w.to).length;

  // Retention: registered people whose seventh local day after registering is over by `to`.
  let cohort = 0;
  let retained = 0;
  for (const p of registered) {
    const day7 = addDays(periodStart(p.registeredAt!, w.timeZone, "day"), 7, w.timeZone);
    if (nextPeriodStart(day7, w.timeZone, "day") > w.to) continue;
    cohort++;
    if (p.activity.some((t) => t >= day7 && t <= w.to)) retained++;
  }

  const staged = people.filter((p) => {
    const s = stageAt(p, w.to);
    return s !== undefined && s !== null;
  });
  const vip = staged.filter(
    (p) => p.profile[w.vip.attribute] !== undefined && String(p.profile[w.vip.attribute]) === w.vip.value,
  ).length;
  const referred = staged.filter((p) => p.referrals.some((t) => t >= w.from && t <= w.to)).length;

  // Win-back: people whose stage became churn in (from, to], and of them those who left it for a stage later.
  let lost = 0;
  let won = 0;
  for (const p of people) {
    const i = p.changes.findIndex((c) => c.stage === w.churn && c.at > w.from && c.at <= w.to);
    if (i < 0) continue;
    lost++;
    if (p.changes.slice(i + 1).some((c) => c.at <= w.to && c.stage !== null && c.stage !== w.churn)) won++;
  }

  return [
    kpi("first_investment_rate", owner(w, 0), times.length, registered.length),
    {
      id: "median_time_to_activate",
      stage: owner(w, 1),
      unit: "ms",
      value: median,
      numerator: null,
      denominator: times.length,
    },
    kpi("reinvestment_rate", owner(w, 2), reinvested, firstInWindow.length),
    kpi("retention_d7", owner(w, 3), retained, cohort),
    kpi("vip_share", owner(w, 3), vip, staged.length),
    kpi("referral_rate", owner(w, 3), referred, staged.length),
    kpi("churn_rate", w.churn, churned, atRisk),
    kpi("winback_rate", w.churn, won, lost),
  ];
}
