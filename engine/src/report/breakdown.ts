/**
 * A journey report broken down by a profile attribute (`?by=channel`): the entries grouped by the
 * value their person had when they entered (fact_entry_attributes, from the `enter` record's
 * snapshot), and per group the report's statistics — entries and conversion with its interval, node
 * counts, spend, and each experiment's arms against their baseline. Bounded: the largest
 * MAX_BREAKDOWN_GROUPS values by entries, everyone else (and anyone without the attribute) pooled as
 * OTHER_GROUP, so every statement groups into at most that many rows per key. The same statements
 * on SQLite and PostgreSQL.
 */
import {
  kindOf,
  MAX_BREAKDOWN_GROUPS,
  OTHER_GROUP,
  type ExecutableJourney,
  type ReportBreakdown,
} from "@lifeloop/shared";
import type { Row, Steps } from "./queries.ts";
import { msprt, twoProportion, wilson } from "../core/stats.ts";

/** A profile attribute's name, as the stage report takes it. */
export const BY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface BreakdownRequest {
  journey: ExecutableJourney;
  version: number | null;
  by: string;
  /** Entries from, up to (epoch ms, inclusive). */
  from: number;
  to: number;
}

function* all(sql: string, ...args: unknown[]): Steps<Row[]> {
  return yield { sql, args };
}

type Group = ReportBreakdown["groups"][number];

export function* breakdownSteps(req: BreakdownRequest): Steps<ReportBreakdown> {
  const exe = req.journey;
  const j = exe.journeyId;
  const v = req.version;
  const vSql = v === null ? "" : ` AND e.version = ${Number(v)}`;
  // The entries of the report (e) with the attribute (a), when their person had it.
  const join =
    " LEFT JOIN fact_entry_attributes a ON a.journey_id = e.journey_id AND a.user_id = e.user_id AND " +
    "a.entry = e.entry AND a.name = ?";
  const where = ` WHERE e.journey_id = ?${vSql} AND e.entered_at >= ? AND e.entered_at <= ?`;
  const window = [req.by, j, req.from, req.to];

  const top = (yield* all(
    `SELECT a.value AS value, count(*) AS n FROM fact_entries e${join.replace("LEFT JOIN", "JOIN")}${where} ` +
      "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
    ...window,
    MAX_BREAKDOWN_GROUPS,
  )).map((r) => r.value as string);
  const named = top.filter((value) => value !== OTHER_GROUP).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // The group of an entry: its value when it is one of the largest, else the pool.
  const grp =
    named.length === 0
      ? `'${OTHER_GROUP}'`
      : `CASE WHEN a.value IN (${named.map(() => "?").join(", ")}) THEN a.value ELSE '${OTHER_GROUP}' END`;
  const grpArgs = named;

  const groups = new Map<string, Group>();
  const group = (value: string): Group => {
    let g = groups.get(value);
    if (!g) {
      g = {
        value,
        totals: { entered: 0, converted: 0, rate: null, ci95: null, active: 0 },
        nodes: Object.fromEntries(Object.keys(exe.nodes).map((id) => [id, { reached: 0, at: 0 }])),
        spend: { total: {}, grants: 0 },
        experiments: [],
      };
      groups.set(value, g);
    }
    return g;
  };
  for (const value of named) group(value);

  for (const r of yield* all(
    `SELECT ${grp} AS grp, count(*) AS entered, count(e.converted_at) AS converted, coalesce(sum(CASE WHEN ` +
      `e.exit_reason IS NULL THEN 1 ELSE 0 END), 0) AS active FROM fact_entries e${join}${where} GROUP BY 1`,
    ...grpArgs,
    ...window,
  )) {
    const entered = r.entered as number;
    const converted = r.converted as number;
    group(r.grp as string).totals = {
      entered,
      converted,
      rate: entered === 0 ? null : converted / entered,
      ci95: wilson(converted, entered),
      active: r.active as number,
    };
  }
  for (const r of yield* all(
    `SELECT ${grp} AS grp, v.node_id AS "nodeId", count(*) AS n FROM fact_entries e JOIN fact_visits v ON ` +
      `v.journey_id = e.journey_id AND v.user_id = e.user_id AND v.entry = e.entry${join}${where} GROUP BY 1, 2`,
    ...grpArgs,
    ...window,
  ))
    (group(r.grp as string).nodes[r.nodeId as string] ??= { reached: 0, at: 0 }).reached = r.n as number;
  for (const r of yield* all(
    `SELECT ${grp} AS grp, e.node_id AS "nodeId", count(*) AS n FROM fact_entries e${join}${where} AND ` +
      "e.exit_reason IS NULL GROUP BY 1, 2",
    ...grpArgs,
    ...window,
  ))
    (group(r.grp as string).nodes[r.nodeId as string] ??= { reached: 0, at: 0 }).at = r.n as number;
  for (const r of yield* all(
    `SELECT ${grp} AS grp, g.unit AS unit, count(*) AS grants, sum(g.amount) AS amount FROM fact_entries e JOIN ` +
      `fact_grants g ON g.journey_id = e.journey_id AND g.user_id = e.user_id AND g.entry = e.entry${join}${where} ` +
      "GROUP BY 1, 2 ORDER BY 2",
    ...grpArgs,
    ...window,
  )) {
    const s = group(r.grp as string).spend;
    s.total[r.unit as string] = r.amount as number;
    s.grants += r.grants as number;
  }

  for (const n of Object.values(exe.nodes)) {
    const p = kindOf(n.kind)?.report?.experiment?.(n.params);
    if (!p) continue;
    const counts = new Map<string, { entered: number; converted: number }>();
    for (const r of yield* all(
      `SELECT ${grp} AS grp, x.arm AS arm, count(*) AS entered, count(e.converted_at) AS converted FROM fact_arms x ` +
        `JOIN fact_entries e ON e.journey_id = x.journey_id AND e.user_id = x.user_id AND e.entry = x.entry${join}` +
        `${where} AND x.node_id = ? GROUP BY 1, 2`,
      ...grpArgs,
      ...window,
      n.id,
    )) {
      group(r.grp as string);
      counts.set(`${r.grp}\u0000${r.arm}`, { entered: r.entered as number, converted: r.converted as number });
    }
    const baseline = p.arms.find((a) => a.handle === "control")?.handle ?? p.arms[0]!.handle;
    for (const g of groups.values()) {
      const of = (arm: string) => counts.get(`${g.value}\u0000${arm}`) ?? { entered: 0, converted: 0 };
      const base = of(baseline);
      g.experiments.push({
        nodeId: n.id,
        key: p.key,
        arms: p.arms.map((a) => {
          const c = of(a.handle);
          const vsBase = a.handle !== baseline;
          return {
            arm: a.handle,
            control: a.handle === "control",
            entered: c.entered,
            converted: c.converted,
            rate: c.entered === 0 ? null : c.converted / c.entered,
            lift: vsBase ? twoProportion(c.converted, c.entered, base.converted, base.entered) : null,
            anytime: vsBase ? msprt(c.converted, c.entered, base.converted, base.entered) : null,
          };
        }),
      });
    }
  }
  // Named groups by value, then the pool; a group that turned up only in a later statement is kept.
  const order = [...named, ...(groups.has(OTHER_GROUP) ? [OTHER_GROUP] : [])];
  return { by: req.by, groups: order.map((value) => groups.get(value)!) };
}
