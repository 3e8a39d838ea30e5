/**
 * Reports from the fact tables: every statement reads one journey's slice through an index
 * (store/sqlite/facts-schema.ts), so the cost follows that journey's facts, never the event log.
 */
import type Database from "better-sqlite3";
import {
  kindOf,
  type ExecutableJourney,
  type FunnelReport,
  type IncrementalityReport,
  type JourneyReport,
  type JourneyId,
  type NodeId,
} from "@lifeloop/shared";
import { localDateTime } from "../core/clock.ts";
import { decideWinner } from "../core/winner.ts";
import { breakdownSteps } from "./breakdown.ts";
import { poolKey } from "../core/index.ts";
import { incrementalitySteps, type IncrementalityRequest } from "./incrementality.ts";
import { dayText, localDay, mondayOf } from "./facts.ts";
import { paceLine } from "./pace.ts";
import { msprt, percentile, sampleRatioMismatch, twoProportion, verdict } from "../core/stats.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

const MIN_PER_ARM = 100;
const METHOD =
  "Two-proportion z-test of each arm against the control: 95 % confidence interval of the difference in " +
  "conversion rate with the unpooled (Wald) standard error, two-sided p-value with the pooled standard " +
  "error; significant below 0.05, not corrected for several arms: fixed-horizon, valid when read once, at the " +
  "planned size. Anytime-valid beside it: mSPRT with a normal mixture (tau = 5 points) on the same difference, " +
  "a 95 % confidence sequence and an always-valid p-value that stay valid however early and often the report " +
  "is read. Sample-ratio mismatch: chi-square test of assignments against the configured shares, mismatch " +
  "below p = 0.001.";

const BUCKETS: Array<[string, number]> = [
  ["<1h", HOUR],
  ["1-6h", 6 * HOUR],
  ["6-24h", DAY],
  ["1-3d", 3 * DAY],
  ["3-7d", 7 * DAY],
  ["7-30d", 30 * DAY],
  [">30d", Infinity],
];

export interface ReportRequest {
  /** The journey as compiled for the version reported (or the live one, for all versions). */
  journey: ExecutableJourney;
  /** null: every version together. */
  version: number | null;
  source: "live" | "simulation";
  /** Entries from this instant (inclusive), or all. */
  from: number | null;
  /** Up to this instant: entries before it; "now" for retention. */
  to: number;
  generatedAt: number;
  cohort?: "day" | "week";
  /** A profile attribute: the report per group of its value at entry (breakdown.ts). */
  by?: string;
}

export type Row = Record<string, number | string | null>;

/**
 * One statement a report needs: `?` placeholders, camelCase aliases quoted (the same text on SQLite and PostgreSQL).
 */
export interface Ask {
  sql: string;
  args: unknown[];
}

/**
 * A report as a sequence of statements: the caller runs each (synchronously on SQLite, awaited on PostgreSQL) and sends
 * back its rows.
 */
export type Steps<T> = Generator<Ask, T, Row[]>;

function* all(sql: string, ...args: unknown[]): Steps<Row[]> {
  return yield { sql, args };
}

/** Runs the steps against a synchronous database. */
function runSync<T>(steps: Steps<T>, run: (ask: Ask) => Row[]): T {
  let next = steps.next();
  while (!next.done) next = steps.next(run(next.value));
  return next.value;
}

/** Runs the steps against an asynchronous database. */
export async function runAsync<T>(steps: Steps<T>, run: (ask: Ask) => Promise<Row[]>): Promise<T> {
  let next = steps.next();
  while (!next.done) next = steps.next(await run(next.value));
  return next.value;
}

/** Reports over SQLite's fact tables (the sidecar's file, or a simulation's memory). */
export class ReportQueries {
  /** Statements by their text: the same few dozen are asked again and again. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  private readonly run = (ask: Ask): Row[] => this.prepare(ask.sql).all(...ask.args) as Row[];

  report(req: ReportRequest): JourneyReport {
    return runSync(reportSteps(req), this.run);
  }

  funnel(journeyId: JourneyId, path: string[], version: number | null): FunnelReport {
    return runSync(funnelSteps(journeyId, path, version), this.run);
  }

  incrementality(req: IncrementalityRequest): IncrementalityReport {
    return runSync(incrementalitySteps(req), this.run);
  }
}

/**
 * The journey report from the fact tables (schema.ts; on PostgreSQL store/pg/schema.ts): the same statements on both.
 */
export function* reportSteps(req: ReportRequest): Steps<JourneyReport> {
  const exe = req.journey;
  const j = exe.journeyId;
  const tz = exe.timeZone;
  const from = req.from ?? -8.64e15;
  const dayFrom = req.from === null ? -1e9 : localDay(req.from, tz);
  const today = localDay(req.to, tz);
  // Filters: the version (when asked) and the entry time window, as SQL and arguments.
  const v = req.version;
  const vSql = (alias = "") => (v === null ? "" : ` AND ${alias}version = ${Number(v)}`);
  const entryWindow = (alias = "") => ` AND ${alias}entered_at >= ? AND ${alias}entered_at <= ?`;
  const dayWindow = " AND day >= ? AND day <= ?";

  const t = (yield* all(
    `SELECT count(*) AS entered, count(converted_at) AS converted, coalesce(sum(CASE WHEN exit_reason IS ` +
      `NULL THEN 1 ELSE 0 END), 0) AS active FROM fact_entries WHERE journey_id = ?${vSql()}${entryWindow()}`,
    j,
    from,
    req.to,
  ))[0]!;
  const exited: Record<string, number> = {};
  for (const r of yield* all(
    `SELECT exit_reason AS reason, count(*) AS n FROM fact_entries WHERE journey_id = ` +
      `?${vSql()}${entryWindow()} AND exit_reason IS NOT NULL GROUP BY 1 ORDER BY 1`,
    j,
    from,
    req.to,
  )) {
    exited[r.reason as string] = r.n as number;
  }

  const nodes: JourneyReport["nodes"] = {};
  const node = (id: string) => (nodes[id] ??= { reached: 0, at: 0, left: {} });
  for (const id of Object.keys(exe.nodes)) node(id);
  for (const r of yield* all(
    `SELECT node_id AS "nodeId", handle, sum(n) AS n FROM fact_node_days WHERE journey_id = ` +
      `?${vSql()}${dayWindow} GROUP BY 1, 2`,
    j,
    dayFrom,
    today,
  )) {
    if (r.handle === "") node(r.nodeId as string).reached = r.n as number;
    else node(r.nodeId as string).left[r.handle as string] = r.n as number;
  }
  for (const r of yield* all(
    `SELECT node_id AS "nodeId", count(*) AS n FROM fact_entries WHERE journey_id = ? AND exit_reason IS ` +
      `NULL${vSql()}${entryWindow()} GROUP BY 1`,
    j,
    from,
    req.to,
  )) {
    node(r.nodeId as string).at = r.n as number;
  }

  const times = (yield* all(
    `SELECT converted_at - entered_at AS ms FROM fact_entries WHERE journey_id = ? AND converted_at IS NOT ` +
      `NULL${vSql()}${entryWindow()} ORDER BY 1`,
    j,
    from,
    req.to,
  )).map((r) => r.ms as number);
  const histogram = BUCKETS.map(([bucket]) => ({ bucket, count: 0 }));
  for (const ms of times) histogram[BUCKETS.findIndex(([, upTo]) => ms < upTo)]!.count++;
  const timeToConvert = {
    count: times.length,
    p50Ms: percentile(times, 0.5),
    p90Ms: percentile(times, 0.9),
    meanMs: times.length === 0 ? null : times.reduce((a, b) => a + b, 0) / times.length,
    histogram,
  };

  const experiments: JourneyReport["experiments"] = [];
  for (const n of Object.values(exe.nodes)) {
    const p = kindOf(n.kind)?.report?.experiment?.(n.params);
    if (!p) continue;
    const counts = new Map<string, { entered: number; converted: number }>();
    for (const r of yield* all(
      `SELECT a.arm AS arm, count(*) AS entered, count(e.converted_at) AS converted FROM fact_arms a JOIN fact_entries
          e ON e.journey_id = a.journey_id AND e.user_id = a.user_id AND e.entry = a.entry
          WHERE a.journey_id = ? AND a.node_id = ?${vSql("a.")}${entryWindow("e.")} GROUP BY 1`,
      j,
      n.id,
      from,
      req.to,
    ))
      counts.set(r.arm as string, { entered: r.entered as number, converted: r.converted as number });
    const cost = new Map<string, Record<string, number>>();
    for (const r of yield* all(
      `SELECT a.arm AS arm, g.unit AS unit, sum(g.amount) AS amount FROM fact_arms a JOIN fact_entries e ON
           e.journey_id = a.journey_id AND e.user_id = a.user_id AND e.entry = a.entry
           JOIN fact_grants g ON g.journey_id = a.journey_id AND g.user_id = a.user_id AND g.entry = a.entry
          WHERE a.journey_id = ? AND a.node_id = ?${vSql("a.")}${entryWindow("e.")} GROUP BY 1, 2 ORDER BY 2`,
      j,
      n.id,
      from,
      req.to,
    ))
      (cost.get(r.arm as string) ?? cost.set(r.arm as string, {}).get(r.arm as string)!)[r.unit as string] =
        r.amount as number;
    // Lifts are against the holdout; without one, against the first arm.
    const baseline = p.arms.find((a) => a.handle === "control")?.handle ?? p.arms[0]!.handle;
    const base = counts.get(baseline) ?? { entered: 0, converted: 0 };
    const arms = p.arms.map((a) => {
      const c = counts.get(a.handle) ?? { entered: 0, converted: 0 };
      const spent = cost.get(a.handle) ?? {};
      return {
        arm: a.handle,
        control: a.handle === "control",
        expectedShare: a.weight / 100,
        entered: c.entered,
        converted: c.converted,
        rate: c.entered === 0 ? null : c.converted / c.entered,
        lift: a.handle === baseline ? null : twoProportion(c.converted, c.entered, base.converted, base.entered),
        anytime: a.handle === baseline ? null : msprt(c.converted, c.entered, base.converted, base.entered),
        cost: spent,
        costPerConversion: Object.fromEntries(
          Object.entries(spent).map(([unit, amount]) => [unit, c.converted === 0 ? null : amount / c.converted]),
        ),
      };
    });
    const srm = sampleRatioMismatch(
      arms.map((a) => a.entered),
      arms.map((a) => a.expectedShare),
    );
    const verdictOf = verdict(
      arms.map((a) => ({ arm: a.arm, entered: a.entered, lift: a.lift, baseline: a.arm === baseline })),
      srm,
      MIN_PER_ARM,
    );
    experiments.push({
      nodeId: n.id,
      key: p.key,
      method:
        baseline === "control"
          ? METHOD
          : `${METHOD} This experiment has no holdout: lifts are against arm "${baseline}".`,
      arms,
      srm: {
        chiSquare: Number.isFinite(srm.chiSquare) ? srm.chiSquare : Number.MAX_VALUE,
        pValue: srm.pValue,
        mismatch: srm.mismatch,
      },
      verdict: { ...verdictOf, minPerArm: MIN_PER_ARM },
      ...(p.autoWinner
        ? { autoWinner: yield* autoWinnerSteps(j, n.id, p.arms, p.autoWinner, exe.timeZone, req.to) }
        : {}),
    });
  }

  const unit = req.cohort ?? "day";
  // The projector marks each entry active on day 1, 7, 30 as activity is folded (project.ts).
  const days = (yield* all(
    `SELECT cohort_day AS day, count(*) AS size, sum(active_d1) AS d1, sum(active_d7) AS d7, sum(active_d30) AS d30
         FROM fact_entries WHERE journey_id = ?${vSql()}${entryWindow()} GROUP BY 1 ORDER BY 1`,
    j,
    from,
    req.to,
  )).map((r) => ({
    day: r.day as number,
    size: r.size as number,
    d1: r.d1 as number,
    d7: r.d7 as number,
    d30: r.d30 as number,
  }));
  const groups = new Map<number, { size: number; n: Record<1 | 7 | 30, { come: number; active: number }> }>();
  for (const d of days) {
    const key = unit === "week" ? mondayOf(d.day) : d.day;
    const g = groups.get(key) ?? {
      size: 0,
      n: { 1: { come: 0, active: 0 }, 7: { come: 0, active: 0 }, 30: { come: 0, active: 0 } },
    };
    g.size += d.size;
    for (const [n, active] of [
      [1, d.d1],
      [7, d.d7],
      [30, d.d30],
    ] as const) {
      // Day N has come for these people once their local day N has begun.
      if (d.day + n <= today) {
        g.n[n].come += d.size;
        g.n[n].active += active;
      }
    }
    groups.set(key, g);
  }
  const rate = (x: { come: number; active: number }) => (x.come === 0 ? null : x.active / x.come);
  const cohorts = [...groups].map(([day, g]) => ({
    cohort: dayText(day),
    size: g.size,
    day1: rate(g.n[1]),
    day7: rate(g.n[7]),
    day30: rate(g.n[30]),
  }));

  const winBack: JourneyReport["winBack"] = [];
  for (const n of Object.values(exe.nodes)) {
    if (!kindOf(n.kind)?.report?.opensWinBack?.(n.params)) continue;
    const windowDays = winBackWindowDays(exe, n.id);
    const r = (yield* all(
      `SELECT count(*) AS granted, coalesce(sum(CASE WHEN returned_at IS NOT NULL AND returned_at - at <= ? ` +
        `THEN 1 ELSE 0 END), 0) AS returned FROM fact_grants WHERE journey_id = ? AND node_id = ? AND type = ` +
        `'coupon'${vSql()}${dayWindow}`,
      windowDays * DAY,
      j,
      n.id,
      dayFrom,
      today,
    ))[0]!;
    const granted = r.granted as number;
    winBack.push({
      nodeId: n.id,
      granted,
      returned: r.returned as number,
      rate: granted === 0 ? null : (r.returned as number) / granted,
      windowDays,
    });
  }

  const coupons = yield* couponSteps(j, vSql(), dayWindow, dayFrom, today);

  const weeks = new Map<number, Array<{ from: string | null; to: string | null; count: number }>>();
  for (const r of yield* all(
    "SELECT week, from_segment AS f, to_segment AS t, n FROM fact_segment_moves WHERE journey_id = ? AND " +
      "week >= ? AND week <= ? ORDER BY week, f, t",
    j,
    mondayOf(dayFrom),
    today,
  )) {
    const list = weeks.get(r.week as number) ?? [];
    list.push({
      from: r.f === "" ? null : (r.f as string),
      to: r.t === "" ? null : (r.t as string),
      count: r.n as number,
    });
    weeks.set(r.week as number, list);
  }
  const tiers = [...weeks].map(([week, moves]) => ({ week: dayText(week), moves }));

  const total: Record<string, number> = {};
  const byNode: JourneyReport["spend"]["byNode"] = [];
  for (const r of yield* all(
    `SELECT node_id AS "nodeId", unit, sum(grants) AS grants, sum(amount) AS amount FROM fact_spend WHERE ` +
      `journey_id = ?${vSql()}${dayWindow} GROUP BY 1, 2 ORDER BY 1, 2`,
    j,
    dayFrom,
    today,
  )) {
    byNode.push({
      nodeId: r.nodeId as string,
      unit: r.unit as string,
      grants: r.grants as number,
      amount: r.amount as number,
    });
    total[r.unit as string] = (total[r.unit as string] ?? 0) + (r.amount as number);
  }
  const byDay = (yield* all(
    `SELECT day, unit, sum(grants) AS grants, sum(amount) AS amount FROM fact_spend WHERE journey_id = ` +
      `?${vSql()}${dayWindow} GROUP BY 1, 2 ORDER BY 1, 2`,
    j,
    dayFrom,
    today,
  )).map((r) => ({
    day: dayText(r.day as number),
    unit: r.unit as string,
    grants: r.grants as number,
    amount: r.amount as number,
  }));
  // A budget is the campaign's, across versions and all time: what is used is what is gone.
  const budgets: JourneyReport["spend"]["budgets"] = [];
  for (const [budgetId, b] of Object.entries(exe.budgets)) {
    const used =
      ((yield* all(
        "SELECT coalesce(sum(amount), 0) AS used FROM fact_spend WHERE journey_id = ? AND budget_id = ?",
        j,
        budgetId,
      ))[0]!.used as number) ?? 0;
    const budget = { budgetId, unit: b.unit, limit: b.amount, used, left: Math.max(0, b.amount - used) };
    if (!b.pace) {
      budgets.push(budget);
      continue;
    }
    const spent = new Map<number, number>();
    for (const r of yield* all(
      "SELECT day, sum(amount) AS amount FROM fact_spend WHERE journey_id = ? AND budget_id = ? GROUP BY 1 ORDER BY 1",
      j,
      budgetId,
    ))
      spent.set(Number(r.day), Number(r.amount));
    budgets.push({ ...budget, pace: paceLine(b.pace, b.amount, spent, today) });
  }
  const refusals: Record<string, number> = {};
  for (const r of yield* all(
    `SELECT reason, sum(n) AS n FROM fact_refusals WHERE journey_id = ?${vSql()}${dayWindow} GROUP BY 1 ORDER BY 1`,
    j,
    dayFrom,
    today,
  ))
    refusals[r.reason as string] = r.n as number;

  const breakdown =
    req.by === undefined ? null : yield* breakdownSteps({ journey: exe, version: v, by: req.by, from, to: req.to });
  // A pool is the workspace's, like a budget: what its counter says is gone, whoever drew it.
  const pools: NonNullable<JourneyReport["spend"]["pools"]> = [];
  const poolNames = Object.values(exe.nodes).map((n) => kindOf(n.kind)?.report?.couponPool?.(n.params) ?? null);
  for (const pool of [...new Set(poolNames.filter((p): p is string => p !== null))].sort()) {
    const codes = Number(
      (yield* all("SELECT count(*) AS n FROM coupon_pool_codes WHERE pool = ?", pool))[0]!.n as number,
    );
    const handed = Number(
      ((yield* all("SELECT used FROM counters WHERE key = ?", poolKey(pool)))[0]?.used as number | undefined) ?? 0,
    );
    pools.push({ pool, codes, handed, remaining: Math.max(0, codes - handed) });
  }

  return {
    journeyId: j,
    version: v,
    source: req.source,
    timeZone: tz,
    from: req.from === null ? null : new Date(req.from).toISOString(),
    to: new Date(req.to).toISOString(),
    generatedAt: new Date(req.generatedAt).toISOString(),
    goal: exe.goal ? { event: exe.goal.event, windowMs: exe.goal.windowMs } : null,
    totals: {
      entered: t.entered as number,
      converted: t.converted as number,
      rate: (t.entered as number) === 0 ? null : (t.converted as number) / (t.entered as number),
      active: t.active as number,
      exited,
    },
    nodes,
    timeToConvert,
    experiments,
    retention: { unit, cohorts },
    winBack,
    coupons,
    tiers,
    spend: { total, byNode, byDay, budgets, refusals, ...(pools.length > 0 ? { pools } : {}) },
    ...(breakdown ? { breakdown } : {}),
  };
}

/**
 * Per reward node that granted coupons, and unit: issued, redeemed, expired (fact_grants, closed by
 * the coupon's own records), the median time to redeem, and the cost per redeemed coupon: what the
 * issued coupons cost (their face value, as budgets count it) over how many were redeemed.
 */
function* couponSteps(
  j: JourneyId,
  vSql: string,
  dayWindow: string,
  dayFrom: number,
  today: number,
): Steps<JourneyReport["coupons"]> {
  const rows = yield* all(
    `SELECT node_id AS "nodeId", unit, count(*) AS issued, count(redeemed_at) AS redeemed, count(expired_at) AS ` +
      "expired, sum(amount) AS cost, coalesce(sum(CASE WHEN redeemed_at IS NOT NULL THEN amount ELSE 0 END), 0) " +
      `AS "redeemedValue" FROM fact_grants WHERE journey_id = ? AND type = 'coupon'${vSql}${dayWindow} ` +
      "GROUP BY 1, 2 ORDER BY 1, 2",
    j,
    dayFrom,
    today,
  );
  const spans = new Map<string, number[]>();
  for (const r of yield* all(
    `SELECT node_id AS "nodeId", unit, redeemed_at - at AS ms FROM fact_grants WHERE journey_id = ? AND type = ` +
      `'coupon' AND redeemed_at IS NOT NULL${vSql}${dayWindow} ORDER BY 1, 2, 3`,
    j,
    dayFrom,
    today,
  )) {
    const key = `${r.nodeId}\u0000${r.unit}`;
    (spans.get(key) ?? spans.set(key, []).get(key)!).push(r.ms as number);
  }
  return rows.map((r) => {
    const issued = r.issued as number;
    const redeemed = r.redeemed as number;
    const expired = r.expired as number;
    const cost = r.cost as number;
    return {
      nodeId: r.nodeId as string,
      unit: r.unit as string,
      issued,
      redeemed,
      expired,
      open: issued - redeemed - expired,
      redemptionRate: issued === 0 ? null : redeemed / issued,
      medianMsToRedeem: median(spans.get(`${r.nodeId}\u0000${r.unit}`) ?? []),
      cost,
      redeemedValue: r.redeemedValue as number,
      // Integers only: cost / redeemed rounded half up, as (2 × cost + redeemed) ÷ (2 × redeemed).
      costPerRedeemed: redeemed === 0 ? null : Math.floor((2 * cost + redeemed) / (2 * redeemed)),
    };
  });
}

/** The median of sorted whole milliseconds, whole (the middle two averaged and rounded down). */
function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.floor((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * How many entries reached each node of `path` in order: the first visit to each node after the
 * first visit to the one before, within one entry.
 */
type AutoWinnerReport = NonNullable<JourneyReport["experiments"][number]["autoWinner"]>;

/**
 * What the engine decided for an automatic winner (core/winner.ts), from the facts: assignments at the node
 * before the window's end and their conversions before it, decided as the core decides; `decidedAt` is the
 * first assignment at or after the end, where the core recorded it. Every version together, as the core counts.
 */
function* autoWinnerSteps(
  j: JourneyId,
  nodeId: string,
  arms: ReadonlyArray<{ handle: string; weight: number }>,
  w: { afterMs: number | null; at: string | null; fallback: string | null },
  timeZone: string,
  to: number,
): Steps<AutoWinnerReport> {
  let end: number | null;
  if (w.at !== null) end = localDateTime(w.at, timeZone);
  else {
    const [first] = yield* all(
      `SELECT min(at) AS "first" FROM fact_visits WHERE journey_id = ? AND node_id = ?`,
      j,
      nodeId,
    );
    end = first?.first === null || first?.first === undefined ? null : Number(first.first) + w.afterMs!;
  }
  const upTo = end === null ? to : Math.min(end, to);
  const counts = new Map<string, { entered: number; converted: number }>();
  for (const r of yield* all(
    `SELECT a.arm AS arm, count(*) AS entered, count(CASE WHEN e.converted_at < ? THEN 1 END) AS converted
        FROM fact_arms a JOIN fact_visits v ON v.journey_id = a.journey_id AND v.user_id = a.user_id AND
        v.entry = a.entry AND v.node_id = a.node_id JOIN fact_entries e ON e.journey_id = a.journey_id AND
        e.user_id = a.user_id AND e.entry = a.entry WHERE a.journey_id = ? AND a.node_id = ? AND v.at < ? GROUP BY 1`,
    upTo,
    j,
    nodeId,
    upTo,
  ))
    counts.set(String(r.arm), { entered: Number(r.entered), converted: Number(r.converted) });
  const d = decideWinner(
    arms.map((a) => ({
      handle: a.handle,
      weight: a.weight,
      ...(counts.get(a.handle) ?? { entered: 0, converted: 0 }),
    })),
    w.fallback,
  );
  let decidedAt: number | null = null;
  if (end !== null) {
    const [next] = yield* all(
      `SELECT min(at) AS "at" FROM fact_visits WHERE journey_id = ? AND node_id = ? AND at >= ?`,
      j,
      nodeId,
      end,
    );
    decidedAt = next?.at === null || next?.at === undefined ? null : Number(next.at);
  }
  const decided = decidedAt !== null && decidedAt < to;
  return {
    windowEnd: end === null ? null : new Date(end).toISOString(),
    decidedAt: decided ? new Date(decidedAt!).toISOString() : null,
    reason: decided ? d.reason : null,
    winner: decided ? d.winner : null,
    route: decided ? (d.route ?? "keep") : null,
    fallback: w.fallback ?? "keep",
    alpha: d.alpha,
    arms: d.arms,
  };
}

export function* funnelSteps(journeyId: JourneyId, path: string[], version: number | null): Steps<FunnelReport> {
  const vSql = version === null ? "" : ` AND v.version = ${Number(version)}`;
  const counts: number[] = [];
  // A chain of CTEs, one per step: each keeps (person, entry, order of arrival) for the next.
  const ctes: string[] = [];
  const args: unknown[] = [];
  path.forEach((nodeId, i) => {
    ctes.push(
      i === 0
        ? `s0 AS (SELECT v.user_id, v.entry, v.ord FROM fact_visits v WHERE v.journey_id = ? AND v.node_id = ?${vSql})`
        : `s${i} AS (SELECT v.user_id, v.entry, v.ord FROM fact_visits v JOIN s${i - 1} p ON v.journey_id = ? ` +
            `AND v.node_id = ? AND v.user_id = p.user_id AND v.entry = p.entry AND v.ord > p.ord${vSql})`,
    );
    args.push(journeyId, nodeId);
  });
  // Each count named (PostgreSQL names every unnamed one "count").
  const selected = path.map((_, i) => `(SELECT count(*) FROM s${i}) AS c${i}`).join(", ");
  const sql = `WITH ${ctes.join(", ")} SELECT ${selected}`;
  const first = (yield* all(sql, ...args))[0]!;
  const row = path.map((_, i) => first[`c${i}`] as number);
  counts.push(...row);
  return {
    journeyId,
    version,
    steps: path.map((nodeId, i) => ({
      nodeId,
      count: counts[i]!,
      rateFromPrevious: i === 0 ? null : counts[i - 1]! === 0 ? null : counts[i]! / counts[i - 1]!,
      rateFromStart: i === 0 ? null : counts[0]! === 0 ? null : counts[i]! / counts[0]!,
    })),
  };
}

/**
 * The win-back window after a coupon: the first node on its way on that gives people a set time
 * before the next step (a timed wait: NodeKindDef.report.winBackWindowMs), else 7 days.
 */
export function winBackWindowDays(exe: ExecutableJourney, nodeId: NodeId): number {
  let at: string | null | undefined = exe.nodes[nodeId]?.next.next;
  for (let hops = 0; at && hops < 5; hops++) {
    const n = exe.nodes[at]!;
    const ms = kindOf(n.kind)?.report?.winBackWindowMs?.(n.params) ?? null;
    if (ms !== null) return Math.max(1, Math.round(ms / DAY));
    at = n.next.next;
  }
  return 7;
}
