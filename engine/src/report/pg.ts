/**
 * Reports on PostgreSQL: the same fold (facts.ts) and the same report statements (queries.ts) as
 * SQLite, over the fact tables of store/pg/schema.ts, with a projector several workers may run.
 *
 * Exactly once with several workers and out-of-order commits:
 * - One folder at a time: each batch is one transaction that first takes a transaction-scoped
 *   advisory lock with `pg_try_advisory_xact_lock`; a worker that does not get it skips the pass
 *   (another is folding). Facts and cursor are written in that transaction, so a crash loses
 *   nothing and counts nothing twice.
 * - Sequence values commit out of order: a transaction can take seq 10, another seq 11 and commit
 *   first. So "everything up to the highest seq seen" is not a safe cursor. Instead each source has
 *   a low-water mark `seq` (every row at or below it is folded, and no more will commit there),
 *   and every row above it that is already folded is kept in `report_folded`. A pass folds the
 *   visible rows above the mark that are not in that set, in seq order (a person's steps are
 *   serialised by their lock, so their rows commit in seq order).
 * - The mark moves by a fence: a pass arms it at the highest seq it sees (every lower value was
 *   handed out before that moment); the next pass stamps it with its snapshot's xmax (every
 *   transaction that held one of those values had its transaction id by then); once the oldest
 *   running transaction (`pg_snapshot_xmin`) is past that stamp, all of them have ended, the rows
 *   at or below the fence are all visible and folded, and the mark moves up to it, dropping their
 *   entries from `report_folded`.
 */
import { decodeTimelineRow } from "../effects/timeline-row.ts";
import pg from "pg";
import type { FunnelReport, IncrementalityReport, JourneyReport, JourneyId, NodeId } from "@lifeloop/shared";
import { coveredJourneys, incrementalitySteps, type IncrementalityRequest } from "./incrementality.ts";
import type { World } from "../core/index.ts";
import { foldTimeline, isActivity, localDay, type FactOp, type RunCarry, type TimelineRecord } from "./facts.ts";
import { couponCloseUpdate, heldOutUpsert, type ProjectorOptions, type ProjectResult } from "./project.ts";
import { funnelSteps, reportSteps, runAsync, type Ask, type Row } from "./queries.ts";
import { executableFor, zonesOf, type ReportOptions } from "./index.ts";

/** A timeline row as the projector reads it (the record column encoded: effects/timeline-row.ts). */
type TimelineRow = { seq: number; userId: string; at: number | string; record: string };

/** Advisory-lock namespace of the projector (next to the store's 1280–1282). */
export const LOCK_REPORT = 1283;

/** sum() over bigint is numeric on PostgreSQL: every count and amount here is an integer that fits a double. */
const NUMBER_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 1700 || oid === 20) return (v: string) => Number(v);
    return (pg.types.getTypeParser as (oid: number, format?: string) => (v: string) => unknown)(oid, format);
  },
};

function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

type Source = "timeline" | "events";

/** An event row `t` at or below its partition's applier cursor (store/pg/schema.ts, applierCursors). */
const APPLIED = "EXISTS (SELECT 1 FROM applier_cursors c WHERE c.part = t.part AND (t.xid, t.seq) <= (c.xid, c.seq))";

export interface PgPassResult extends ProjectResult {
  more: boolean;
  /** Another worker held the projector's lock: this pass folded nothing. */
  busy: boolean;
}

export class PgReportProjector {
  private readonly batch: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: ProjectorOptions,
  ) {
    this.batch = options.batch ?? 2000;
  }

  async cursor(source: Source): Promise<number> {
    const r = await this.pool.query("SELECT seq FROM report_cursors WHERE source = $1", [source]);
    return (r.rows[0]?.seq as number | undefined) ?? 0;
  }

  /**
   * Folds what is committed and visible (or at most `maxBatches` batches). `busy` when another
   * worker is folding: its pass covers what this one would have.
   */
  async catchUp(options: { maxBatches?: number } = {}): Promise<PgPassResult> {
    const result: PgPassResult = { timelineRows: 0, events: 0, batches: 0, more: false, busy: false };
    const max = options.maxBatches ?? Infinity;
    // Timeline first, then events: every grant an event could be a return from is folded before it.
    // A pass that finds nothing to fold is not counted (it still moves the low-water mark).
    for (const source of ["timeline", "events"] as const) {
      for (;;) {
        if (result.batches >= max) return { ...result, more: true };
        const n = await this.pass(source, result.batches);
        if (n === null) return { ...result, busy: true, more: true };
        if (n.rows === 0) break;
        result.batches++;
        if (source === "timeline") result.timelineRows += n.rows;
        else result.events += n.rows;
        if (!n.more) break;
      }
    }
    return result;
  }

  /** One batch of one source in one transaction; null when another worker holds the lock. */
  private async pass(source: Source, n: number): Promise<{ rows: number; more: boolean } | null> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      try {
        const locked = (await client.query("SELECT pg_try_advisory_xact_lock($1, 0) AS ok", [LOCK_REPORT])).rows[0]
          .ok as boolean;
        if (!locked) {
          // Nothing was written: COMMIT, so the server's rollback count keeps meaning "re-run or
          // failed" (a skipped pass is neither; with several workers most passes skip).
          await client.query("COMMIT");
          return null;
        }
        const out = await this.fold(client, source, n);
        await client.query("COMMIT");
        return out;
      } catch (e) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is gone: drop it from the pool, report the first error.
          broken = rollbackError as Error;
        }
        throw e;
      }
    } finally {
      client.release(broken);
    }
  }

  private async fold(c: pg.PoolClient, source: Source, n: number): Promise<{ rows: number; more: boolean }> {
    const cur = (
      await c.query(
        'SELECT seq, fence_seq AS "fenceSeq", fence_xid AS "fenceXid" FROM report_cursors WHERE source = $1',
        [source],
      )
    ).rows[0] as { seq: number; fenceSeq: number | null; fenceXid: number | null } | undefined;
    const mark = cur?.seq ?? 0;
    // The highest seq visible and the snapshot it was seen in, from one statement (one snapshot).
    const snap = (
      await c.query(
        `SELECT coalesce((SELECT max(seq) FROM ${source}), 0) AS "top", pg_snapshot_xmin(s)::text::bigint AS ` +
          `"xmin", pg_snapshot_xmax(s)::text::bigint AS "xmax" FROM pg_current_snapshot() AS s`,
      )
    ).rows[0] as { top: number; xmin: number; xmax: number };

    // Visible rows above the mark not folded yet, in seq order.
    const unfolded =
      `FROM ${source} t WHERE t.seq > $1 AND NOT EXISTS (SELECT 1 FROM report_folded f WHERE f.source = $2 AND ` +
      `f.seq = t.seq)`;
    const rows =
      source === "timeline"
        ? ((
            await c.query(`SELECT t.seq, t.user_id AS "userId", t.at, t.record ${unfolded} ORDER BY t.seq LIMIT $3`, [
              mark,
              source,
              this.batch,
            ])
          ).rows as TimelineRow[])
        : // Events only once applied (the timeline rows of their steps are in). One still waiting for
          // the applier counts as not folded, so the fence below does not pass it meanwhile.
          ((
            await c.query(
              `SELECT t.seq, t.user_id AS "userId", t.type, t.at ${unfolded} AND ${APPLIED} ORDER BY t.seq LIMIT $3`,
              [mark, source, this.batch],
            )
          ).rows as Array<{ seq: number; userId: string; type: string; at: number }>);

    if (rows.length > 0) {
      if (source === "timeline") await this.foldTimelineRows(c, rows as TimelineRow[]);
      else await this.foldEvents(c, rows as Array<{ seq: number; userId: string; type: string; at: number }>);
      await c.query("INSERT INTO report_folded (source, seq) SELECT $1, unnest($2::bigint[])", [
        source,
        rows.map((r) => r.seq),
      ]);
    }

    // The fence: armed at the top seen, stamped with the next pass's xmax, passed once xmin is beyond the stamp.
    let seq = mark;
    let fenceSeq = cur?.fenceSeq ?? null;
    let fenceXid = cur?.fenceXid ?? null;
    if (fenceSeq !== null && fenceXid !== null && snap.xmin >= fenceXid) {
      const left = (await c.query(`SELECT 1 ${unfolded} AND t.seq <= $3 LIMIT 1`, [mark, source, fenceSeq])).rows
        .length;
      if (left === 0) {
        seq = Math.max(mark, fenceSeq);
        await c.query("DELETE FROM report_folded WHERE source = $1 AND seq <= $2", [source, seq]);
        fenceSeq = null;
        fenceXid = null;
      }
    } else if (fenceSeq !== null && fenceXid === null) {
      fenceXid = snap.xmax;
    }
    if (fenceSeq === null && snap.top > seq) fenceSeq = snap.top;

    this.options.beforeCommit?.(source, n);
    await c.query(
      "INSERT INTO report_cursors (source, seq, fence_seq, fence_xid) VALUES ($1, $2, $3, $4) ON CONFLICT " +
        "(source) DO UPDATE SET seq = excluded.seq, fence_seq = excluded.fence_seq, fence_xid = " +
        "excluded.fence_xid",
      [source, seq, fenceSeq, fenceXid],
    );
    return { rows: rows.length, more: rows.length === this.batch };
  }

  private async foldTimelineRows(c: pg.PoolClient, rows: TimelineRow[]): Promise<void> {
    // The fold is synchronous and asks for carries as it goes: load the ones it can ask for first.
    // `at` is a bigint, which pg answers as a string.
    const records = rows.map((r) => decodeTimelineRow<TimelineRecord>(r.record, r.userId, Number(r.at)));
    const keys = new Map<string, [string, string]>();
    for (const row of records)
      for (const rec of row)
        if (rec.journeyId && rec.userId) keys.set(`${rec.journeyId}\u0000${rec.userId}`, [rec.journeyId, rec.userId]);
    const carries = new Map<string, RunCarry>();
    if (keys.size > 0) {
      const pairs = [...keys.values()];
      const r = await c.query(
        `SELECT DISTINCT ON (e.journey_id, e.user_id) e.journey_id AS "journeyId", e.user_id AS "userId", e.entry,
           e.run_version AS version, e.node_id AS "nodeId", e.handle, e.visits, e.exit_reason AS "exitReason",
             e.exited_at AS "exitedAt"
           FROM fact_entries e JOIN unnest($1::text[], $2::text[]) AS k(j, u) ON e.journey_id = k.j AND e.user_id = k.u
          ORDER BY e.journey_id, e.user_id, e.entry DESC`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      for (const carry of r.rows as RunCarry[]) carries.set(`${carry.journeyId}\u0000${carry.userId}`, carry);
    }
    const folded = foldTimeline(records, {
      zoneOf: this.options.zoneOf,
      carry: (journeyId, userId) => {
        const key = `${journeyId}\u0000${userId}`;
        if (!keys.has(key))
          throw new Error(
            `report projector: the fold asked for ${journeyId}/${userId}, which no record of the batch names`,
          );
        return carries.get(key) ?? null;
      },
    });
    for (const op of folded.ops) await this.apply(c, op);
    for (const carry of folded.carries) {
      await c.query(
        "UPDATE fact_entries SET run_version = $1, node_id = $2, handle = $3, visits = $4, exit_reason = $5, " +
          "exited_at = $6 WHERE journey_id = $7 AND user_id = $8 AND entry = $9",
        [
          carry.version,
          carry.nodeId,
          carry.handle,
          carry.visits,
          carry.exitReason,
          carry.exitedAt,
          carry.journeyId,
          carry.userId,
          carry.entry,
        ],
      );
    }
  }

  private async foldEvents(
    c: pg.PoolClient,
    rows: Array<{ seq: number; userId: string; type: string; at: number }>,
  ): Promise<void> {
    const zones = this.options.zones();
    for (const e of rows) {
      if (!isActivity(e)) continue;
      for (const tz of zones) {
        const day = localDay(e.at, tz);
        // A new active day: entries 1, 7 and 30 days before it count as retained.
        const added = await c.query(
          "INSERT INTO fact_activity (time_zone, user_id, day) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
          [tz, e.userId, day],
        );
        if (added.rowCount === 1) {
          for (const [col, back] of [
            ["active_d1", 1],
            ["active_d7", 7],
            ["active_d30", 30],
          ] as const) {
            await c.query(
              `UPDATE fact_entries SET ${col} = 1 WHERE user_id = $1 AND time_zone = $2 AND cohort_day = $3 ` +
                `AND ${col} = 0`,
              [e.userId, tz, day - back],
            );
          }
        }
      }
      await c.query(
        "UPDATE fact_grants SET returned_at = $1 WHERE user_id = $2 AND returned_at IS NULL AND at < $1 AND " +
          "type = 'coupon'",
        [e.at, e.userId],
      );
    }
  }

  private async apply(c: pg.PoolClient, op: FactOp): Promise<void> {
    const nodeDay = (journeyId: JourneyId, version: number, nodeId: NodeId, handle: string, day: number) =>
      c.query(
        "INSERT INTO fact_node_days (journey_id, version, node_id, handle, day, n) VALUES ($1, $2, $3, $4, " +
          "$5, 1) ON CONFLICT (journey_id, version, node_id, handle, day) DO UPDATE SET n = fact_node_days.n + " +
          "1",
        [journeyId, version, nodeId, handle, day],
      );
    switch (op.op) {
      case "entry": {
        const r = await c.query(
          "INSERT INTO fact_entries (journey_id, user_id, entry, version, run_version, entered_at, " +
            "cohort_day, node_id, handle, visits, time_zone) VALUES ($1, $2, $3, $4, $4, $5, $6, '', 'next', " +
            "0, $7) ON CONFLICT DO NOTHING",
          [op.journeyId, op.userId, op.entry, op.version, op.at, op.day, op.timeZone],
        );
        // An entry folded after the activity it is matched with (events sent out of order): read it back.
        if (r.rowCount === 1) {
          const names = Object.keys(op.attributes);
          if (names.length > 0)
            await c.query(
              "INSERT INTO fact_entry_attributes (journey_id, user_id, entry, name, value) SELECT $1, $2, $3, n, v " +
                "FROM unnest($4::text[], $5::text[]) AS a(n, v) ON CONFLICT DO NOTHING",
              [op.journeyId, op.userId, op.entry, names, names.map((n) => op.attributes[n]!)],
            );
          await c.query(
            `UPDATE fact_entries SET
               active_d1 = (EXISTS (SELECT 1 FROM fact_activity a WHERE a.time_zone = $4 AND a.user_id = $2 AND a.day =
                 $5 + 1))::int,
               active_d7 = (EXISTS (SELECT 1 FROM fact_activity a WHERE a.time_zone = $4 AND a.user_id = $2 AND a.day =
                 $5 + 7))::int,
               active_d30 = (EXISTS (SELECT 1 FROM fact_activity a WHERE a.time_zone = $4 AND a.user_id = $2 AND a.day
                 = $5 + 30))::int
             WHERE journey_id = $1 AND user_id = $2 AND entry = $3`,
            [op.journeyId, op.userId, op.entry, op.timeZone, op.day],
          );
        }
        return;
      }
      case "visit": {
        // A node counts once per entry: only the first arrival adds to "reached".
        const r = await c.query(
          "INSERT INTO fact_visits (journey_id, user_id, entry, node_id, version, ord, at) VALUES ($1, $2, " +
            "$3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
          [op.journeyId, op.userId, op.entry, op.nodeId, op.version, op.ord, op.at],
        );
        if (r.rowCount === 1) await nodeDay(op.journeyId, op.version, op.nodeId, "", op.day);
        return;
      }
      case "left":
        await nodeDay(op.journeyId, op.version, op.nodeId, op.handle, op.day);
        return;
      case "convert":
        await c.query(
          "UPDATE fact_entries SET converted_at = $1 WHERE journey_id = $2 AND user_id = $3 AND entry = $4 " +
            "AND converted_at IS NULL",
          [op.at, op.journeyId, op.userId, op.entry],
        );
        return;
      case "heldOut":
        await c.query(heldOutUpsert({ journeyId: "$1", userId: "$2", at: "$3", convertedAt: "$4" }), [
          op.journeyId,
          op.userId,
          op.at,
          op.converted ? op.at : null,
        ]);
        return;
      case "arm":
        await c.query(
          "INSERT INTO fact_arms (journey_id, node_id, user_id, entry, version, arm) VALUES ($1, $2, $3, $4, " +
            "$5, $6) ON CONFLICT DO NOTHING",
          [op.journeyId, op.nodeId, op.userId, op.entry, op.version, op.arm],
        );
        return;
      case "grant":
        await c.query(
          "INSERT INTO fact_grants (journey_id, version, node_id, user_id, entry, at, day, type, unit, " +
            "amount, budget_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          [
            op.journeyId,
            op.version,
            op.nodeId,
            op.userId,
            op.entry,
            op.at,
            op.day,
            op.type,
            op.unit,
            op.amount,
            op.budgetId ?? null,
          ],
        );
        await c.query(
          "INSERT INTO fact_spend (journey_id, version, node_id, day, unit, budget_id, grants, amount) " +
            "VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (journey_id, version, node_id, day, unit, " +
            "budget_id) DO UPDATE SET grants = fact_spend.grants + 1, amount = fact_spend.amount + " +
            "excluded.amount",
          [op.journeyId, op.version, op.nodeId, op.day, op.unit, op.budgetId ?? "", op.amount],
        );
        return;
      case "couponClose":
        await c.query(numbered(couponCloseUpdate(op.redeemed)), [
          op.at,
          op.journeyId,
          op.userId,
          op.entry,
          op.nodeId,
          op.issuedAt,
        ]);
        return;
      case "refuse":
        await c.query(
          "INSERT INTO fact_refusals (journey_id, version, node_id, day, reason, n) VALUES ($1, $2, $3, $4, " +
            "$5, 1) ON CONFLICT (journey_id, version, node_id, day, reason) DO UPDATE SET n = fact_refusals.n " +
            "+ 1",
          [op.journeyId, op.version, op.nodeId, op.day, op.reason],
        );
        return;
      case "segmentMove":
        await c.query(
          "INSERT INTO fact_segment_moves (journey_id, week, from_segment, to_segment, n) VALUES ($1, $2, " +
            "$3, $4, 1) ON CONFLICT (journey_id, week, from_segment, to_segment) DO UPDATE SET n = " +
            "fact_segment_moves.n + 1",
          [op.journeyId, op.week, op.from ?? "", op.to ?? ""],
        );
        return;
    }
  }
}

/** The same statements as SQLite's ReportQueries, awaited on a pool. */
export class PgReportQueries {
  constructor(private readonly pool: pg.Pool) {}

  private readonly run = async (ask: Ask): Promise<Row[]> =>
    (await this.pool.query({ text: numbered(ask.sql), values: ask.args, types: NUMBER_TYPES })).rows as Row[];

  report(req: Parameters<typeof reportSteps>[0]): Promise<JourneyReport> {
    return runAsync(reportSteps(req), this.run);
  }

  funnel(journeyId: JourneyId, path: string[], version: number | null): Promise<FunnelReport> {
    return runAsync(funnelSteps(journeyId, path, version), this.run);
  }

  incrementality(req: IncrementalityRequest): Promise<IncrementalityReport> {
    return runAsync(incrementalitySteps(req), this.run);
  }
}

/** Reports over a PostgreSQL database's facts: what the sidecar serves when its store is PgStore. */
export class PgReports {
  readonly projector: PgReportProjector;
  readonly queries: PgReportQueries;

  constructor(
    pool: pg.Pool,
    private readonly world: () => World,
    private readonly now: () => number,
    options: { batch?: number } = {},
  ) {
    this.projector = new PgReportProjector(pool, {
      ...zonesOf(world),
      ...(options.batch ? { batch: options.batch } : {}),
    });
    this.queries = new PgReportQueries(pool);
  }

  /**
   * Folds what is committed first. When another worker holds the projector's lock, its pass is
   * folding the same rows: wait for it (briefly) so the answer is as fresh as on SQLite.
   */
  private async fresh(): Promise<void> {
    for (let i = 0; ; i++) {
      const r = await this.projector.catchUp();
      if (!r.busy) return;
      if (i >= 200)
        throw new Error("report projector: another worker has held the projection lock for over 10 s; try again");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async report(journeyId: JourneyId, o: ReportOptions = {}): Promise<JourneyReport | null> {
    const exe = executableFor(this.world(), journeyId, o.version ?? null);
    if (!exe) return null;
    await this.fresh();
    const now = this.now();
    return this.queries.report({
      journey: exe,
      version: o.version ?? null,
      source: "live",
      from: o.from ?? null,
      to: o.to ?? now,
      generatedAt: now,
      ...(o.cohort ? { cohort: o.cohort } : {}),
      ...(o.by ? { by: o.by } : {}),
    });
  }

  async funnel(journeyId: JourneyId, path: string[], version: number | null): Promise<FunnelReport> {
    await this.fresh();
    return this.queries.funnel(journeyId, path, version);
  }

  async incrementality(o: { from?: number | null; to?: number } = {}): Promise<IncrementalityReport> {
    await this.fresh();
    const world = this.world();
    const now = this.now();
    return this.queries.incrementality({
      holdout: world.holdout,
      journeys: coveredJourneys(world),
      source: "live",
      from: o.from ?? null,
      to: o.to ?? now,
      generatedAt: now,
    });
  }
}
