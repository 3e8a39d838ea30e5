/**
 * The incrementality report from the fact tables: per journey the workspace holdout covers, the
 * people it reached (fact_entries) against the people it kept out (fact_holdouts), and what was
 * granted (fact_grants). The same statements on SQLite and PostgreSQL; a handful per journey, each
 * through the journey's slice of an index.
 */
import type { IncrementalityReport, JourneyIncrementality, WorkspaceHoldout } from "@lifeloop/shared";
import type { World } from "../core/index.ts";
import { incrementalityFigures } from "./lift.ts";
import type { Row, Steps } from "./queries.ts";

const METHOD =
  "Per journey, people counted once: exposed when their first entry in the window, held out when the holdout " +
  "first kept them out in it; converted when the journey's goal event happened within its window after that, " +
  "by the end of the report. Absolute lift: difference of the two rates with Newcombe's hybrid score 95 % " +
  "interval (Wilson intervals combined); relative lift: ratio of rates minus 1 with the log risk-ratio 95 % " +
  "interval. Incremental conversions: absolute lift × exposed people; cost per incremental conversion: rewards " +
  "granted in the window / incremental conversions, rounded to a minor unit. Overall: the journeys pooled.";

export interface IncrementalityRequest {
  holdout: WorkspaceHoldout | null;
  /** The journeys to report: live, with a goal, covered by the holdout (coveredJourneys). */
  journeys: Array<{ journeyId: string; goal: string }>;
  source: "live" | "simulation";
  from: number | null;
  to: number;
  generatedAt: number;
}

/** Live journeys with a goal that the holdout covers, by id. */
export function coveredJourneys(world: World): IncrementalityRequest["journeys"] {
  const holdout = world.holdout;
  if (holdout === null) return [];
  return world.live
    .filter((j) => j.goal !== null && (holdout.journeys === "all" || holdout.journeys.includes(j.journeyId)))
    .map((j) => ({ journeyId: j.journeyId, goal: j.goal!.event }));
}

const n = (v: Row[string] | undefined): number => Number(v ?? 0);

export function* incrementalitySteps(req: IncrementalityRequest): Steps<IncrementalityReport> {
  const from = req.from ?? -8.64e15;
  const to = req.to;
  const journeys: JourneyIncrementality[] = [];
  const pooled = { exposed: { people: 0, converted: 0 }, heldOut: { people: 0, converted: 0 } };
  const pooledCost = new Map<string, number>();
  for (const { journeyId, goal } of req.journeys) {
    const [e] = yield {
      sql:
        'SELECT count(*) AS "people", coalesce(sum(converted), 0) AS "converted" FROM (SELECT user_id, ' +
        "max(CASE WHEN converted_at IS NOT NULL AND converted_at <= ? THEN 1 ELSE 0 END) AS converted FROM " +
        "fact_entries WHERE journey_id = ? GROUP BY user_id HAVING min(entered_at) >= ? AND min(entered_at) <= ?) x",
      args: [to, journeyId, from, to],
    };
    const [h] = yield {
      sql:
        'SELECT count(*) AS "people", coalesce(sum(CASE WHEN converted_at IS NOT NULL AND converted_at <= ? ' +
        'THEN 1 ELSE 0 END), 0) AS "converted" FROM fact_holdouts WHERE journey_id = ? AND held_at >= ? AND ' +
        "held_at <= ?",
      args: [to, journeyId, from, to],
    };
    const grants = yield {
      sql:
        'SELECT unit AS "unit", sum(amount) AS "amount" FROM fact_grants WHERE journey_id = ? AND at >= ? AND ' +
        "at <= ? GROUP BY unit ORDER BY unit",
      args: [journeyId, from, to],
    };
    const exposed = { people: n(e?.people), converted: n(e?.converted) };
    const heldOut = { people: n(h?.people), converted: n(h?.converted) };
    const granted = grants.map((g) => ({ unit: String(g.unit), amount: n(g.amount) }));
    journeys.push({ journeyId, goal, ...incrementalityFigures(exposed, heldOut, granted) });
    for (const side of ["exposed", "heldOut"] as const) {
      pooled[side].people += (side === "exposed" ? exposed : heldOut).people;
      pooled[side].converted += (side === "exposed" ? exposed : heldOut).converted;
    }
    for (const g of granted) pooledCost.set(g.unit, (pooledCost.get(g.unit) ?? 0) + g.amount);
  }
  const iso = (t: number) => new Date(t).toISOString();
  return {
    source: req.source,
    generatedAt: iso(req.generatedAt),
    from: req.from === null ? null : iso(req.from),
    to: iso(to),
    holdout: req.holdout,
    method: METHOD,
    overall: incrementalityFigures(
      pooled.exposed,
      pooled.heldOut,
      [...pooledCost].map(([unit, amount]) => ({ unit, amount })),
    ),
    journeys,
  };
}
