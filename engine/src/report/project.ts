import type { JourneyId } from "@lifeloop/shared";
/**
 * The report projector: tails the engine's timeline and event log by sequence number, a batch at a
 * time, and writes the fact tables (store/sqlite/facts-schema.ts). Each batch is one transaction that also saves the
 * cursor, so a crash loses nothing and counts nothing twice: the next run starts from the cursor.
 *
 * It runs after commits (the sidecar schedules it off the ingest path) and on demand before a
 * report is answered, so reports are fresh. Timeline first, then events, each up to where both
 * stood when the pass began: every grant an event could be a return from is projected before it.
 */
import { decodeTimelineRow } from "../effects/timeline-row.ts";
import type Database from "better-sqlite3";
import { Tally } from "./tally.ts";
import { foldTimeline, isActivity, localDay, type FactOp, type RunCarry, type TimelineRecord } from "./facts.ts";

/**
 * A held-out person's row: the earliest note and the earliest conversion win, whichever record is
 * folded first. Written for both dialects (CASE, not SQLite's min(a, b) or PostgreSQL's least);
 * pg.ts runs it with its parameters numbered.
 */
export const heldOutUpsert = (p: { journeyId: string; userId: string; at: string; convertedAt: string }) =>
  `INSERT INTO fact_holdouts (journey_id, user_id, held_at, converted_at) VALUES (${p.journeyId}, ${p.userId}, ` +
  `${p.at}, ${p.convertedAt}) ON CONFLICT (journey_id, user_id) DO UPDATE SET held_at = CASE WHEN ` +
  "excluded.held_at < fact_holdouts.held_at THEN excluded.held_at ELSE fact_holdouts.held_at END, converted_at = " +
  "CASE WHEN fact_holdouts.converted_at IS NULL OR excluded.converted_at < fact_holdouts.converted_at THEN " +
  "coalesce(excluded.converted_at, fact_holdouts.converted_at) ELSE fact_holdouts.converted_at END";

/**
 * A coupon's close on its grant's row (the grant is folded before: it happened first), for both
 * dialects; pg.ts numbers the placeholders. A close is recorded once: the first wins.
 */
export const couponCloseUpdate = (redeemed: boolean) =>
  `UPDATE fact_grants SET ${redeemed ? "redeemed_at" : "expired_at"} = ? WHERE journey_id = ? AND user_id = ? ` +
  "AND entry = ? AND node_id = ? AND at = ? AND type = 'coupon' AND redeemed_at IS NULL AND expired_at IS NULL";

export interface ProjectorOptions {
  /** Timeline rows or events per transaction. */
  batch?: number;
  /** Time zones of the journeys (for local days); UTC when unknown. */
  zoneOf: (journeyId: JourneyId) => string;
  /** Every time zone a journey uses: activity days are kept in each. */
  zones: () => string[];
  /** Test hook: called inside each batch's transaction before the cursor is saved (throw to crash it). */
  beforeCommit?: (source: "timeline" | "events", batch: number) => void;
}

/** The last timeline row and the last applied event a catch-up folds up to. */
export interface ProjectorHeads {
  timeline: number;
  events: number;
}

export interface ProjectResult {
  timelineRows: number;
  events: number;
  batches: number;
}

/**
 * A batch's counter rows, written once each at its end (tally.ts): ~7 counts per event land on a few
 * dozen rows. New for each batch, so a batch that fails part way leaves nothing for the next to write.
 */
const batchTallies = () => ({
  nodeDays: new Tally<[string, number, string, string, number]>(),
  refusals: new Tally<[string, number, string, number, string]>(),
  spend: new Tally<[string, number, string, number, string, string]>(),
  moves: new Tally<[string, number, string, string]>(),
});
type BatchTallies = ReturnType<typeof batchTallies>;

export class ReportProjector {
  private readonly s;
  private readonly batch: number;

  constructor(
    private readonly db: Database.Database,
    private readonly options: ProjectorOptions,
  ) {
    this.batch = options.batch ?? 2000;
    this.s = {
      cursor: db.prepare("SELECT seq FROM report_cursors WHERE source = ?").pluck(),
      saveCursor: db.prepare(
        "INSERT INTO report_cursors (source, seq) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET seq = excluded.seq",
      ),
      maxTimeline: db.prepare("SELECT coalesce(max(seq), 0) FROM timeline").pluck(),
      // Events only once applied: the timeline rows of their steps (grants they may be a return from) are in.
      maxEvents: db.prepare("SELECT coalesce((SELECT seq FROM applier_cursors WHERE part = 0), 0)").pluck(),
      timeline: db.prepare(
        "SELECT seq, user_id AS userId, at, record FROM timeline WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
      ),
      events: db.prepare(
        "SELECT seq, user_id AS userId, type, at FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
      ),
      carry: db.prepare(
        "SELECT journey_id AS journeyId, user_id AS userId, entry, run_version AS version, node_id AS " +
          "nodeId, handle, visits, exit_reason AS exitReason, exited_at AS exitedAt FROM fact_entries WHERE " +
          "journey_id = ? AND user_id = ? ORDER BY entry DESC LIMIT 1",
      ),
      entry: db.prepare(
        "INSERT INTO fact_entries (journey_id, user_id, entry, version, run_version, entered_at, cohort_day, " +
          "node_id, handle, visits, time_zone) VALUES (@journeyId, @userId, @entry, @version, @version, @at, " +
          "@day, '', 'next', 0, @timeZone) ON CONFLICT DO NOTHING",
      ),
      // An entry folded after the activity it is matched with (events sent out of order): read it back.
      entryActivity: db.prepare(
        `UPDATE fact_entries SET
           active_d1 = EXISTS (SELECT 1 FROM fact_activity a WHERE a.time_zone = @timeZone AND a.user_id = @userId AND
             a.day = @day + 1),
           active_d7 = EXISTS (SELECT 1 FROM fact_activity a WHERE a.time_zone = @timeZone AND a.user_id = @userId AND
             a.day = @day + 7),
           active_d30 = EXISTS (SELECT 1 FROM fact_activity a WHERE a.time_zone = @timeZone AND a.user_id = @userId AND
             a.day = @day + 30)
         WHERE journey_id = @journeyId AND user_id = @userId AND entry = @entry`,
      ),
      activeD1: db.prepare(
        "UPDATE fact_entries SET active_d1 = 1 WHERE user_id = ? AND time_zone = ? AND cohort_day = ? AND " +
          "active_d1 = 0",
      ),
      activeD7: db.prepare(
        "UPDATE fact_entries SET active_d7 = 1 WHERE user_id = ? AND time_zone = ? AND cohort_day = ? AND " +
          "active_d7 = 0",
      ),
      activeD30: db.prepare(
        "UPDATE fact_entries SET active_d30 = 1 WHERE user_id = ? AND time_zone = ? AND cohort_day = ? AND " +
          "active_d30 = 0",
      ),
      saveCarry: db.prepare(
        "UPDATE fact_entries SET run_version = @version, node_id = @nodeId, handle = @handle, visits = " +
          "@visits, exit_reason = @exitReason, exited_at = @exitedAt WHERE journey_id = @journeyId AND user_id " +
          "= @userId AND entry = @entry",
      ),
      visit: db.prepare(
        "INSERT INTO fact_visits (journey_id, user_id, entry, node_id, version, ord, at) VALUES (@journeyId, " +
          "@userId, @entry, @nodeId, @version, @ord, @at) ON CONFLICT DO NOTHING",
      ),
      nodeDay: db.prepare(
        "INSERT INTO fact_node_days (journey_id, version, node_id, handle, day, n) VALUES (?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT DO UPDATE SET n = n + excluded.n",
      ),
      convert: db.prepare(
        "UPDATE fact_entries SET converted_at = @at WHERE journey_id = @journeyId AND user_id = @userId AND " +
          "entry = @entry AND converted_at IS NULL",
      ),
      arm: db.prepare(
        "INSERT INTO fact_arms (journey_id, node_id, user_id, entry, version, arm) VALUES (@journeyId, " +
          "@nodeId, @userId, @entry, @version, @arm) ON CONFLICT DO NOTHING",
      ),
      grant: db.prepare(
        "INSERT INTO fact_grants (journey_id, version, node_id, user_id, entry, at, day, type, unit, amount, " +
          "budget_id) VALUES (@journeyId, @version, @nodeId, @userId, @entry, @at, @day, @type, @unit, " +
          "@amount, @budgetId)",
      ),
      spend: db.prepare(
        "INSERT INTO fact_spend (journey_id, version, node_id, day, unit, budget_id, grants, amount) VALUES " +
          "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET grants = grants + excluded.grants, amount = amount + " +
          "excluded.amount",
      ),
      attribute: db.prepare(
        "INSERT INTO fact_entry_attributes (journey_id, user_id, entry, name, value) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT DO NOTHING",
      ),
      refuse: db.prepare(
        "INSERT INTO fact_refusals (journey_id, version, node_id, day, reason, n) VALUES (?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT DO UPDATE SET n = n + excluded.n",
      ),
      move: db.prepare(
        "INSERT INTO fact_segment_moves (journey_id, week, from_segment, to_segment, n) VALUES (?, ?, ?, ?, " +
          "?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
      ),
      // Either record may come first (a simulation writes notes apart from effects): the earliest of each wins.
      heldOut: db.prepare(
        heldOutUpsert({ journeyId: "@journeyId", userId: "@userId", at: "@at", convertedAt: "@convertedAt" }),
      ),
      activity: db.prepare(
        "INSERT INTO fact_activity (time_zone, user_id, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      couponRedeemed: db.prepare(couponCloseUpdate(true)),
      couponExpired: db.prepare(couponCloseUpdate(false)),
      returned: db.prepare(
        "UPDATE fact_grants SET returned_at = ? WHERE user_id = ? AND returned_at IS NULL AND at < ? AND " +
          "type = 'coupon'",
      ),
    };
  }

  /** How far the sources reach now: what a catch-up called now folds up to. */
  heads(): ProjectorHeads {
    return { timeline: this.s.maxTimeline.get() as number, events: this.s.maxEvents.get() as number };
  }

  cursor(source: "timeline" | "events"): number {
    return (this.s.cursor.get(source) as number | undefined) ?? 0;
  }

  /**
   * Projects everything committed when it is called, or up to `until` (heads() taken earlier, so a
   * catch-up spread over several calls ends where it began rather than chasing new commits); at
   * most `maxBatches` batches, so a background pass can yield between them; of `rows` rows each
   * instead of the projector's batch. Returns how much it read and whether more is left.
   */
  catchUp(options: { maxBatches?: number; rows?: number; until?: ProjectorHeads } = {}): ProjectResult & {
    more: boolean;
  } {
    const upTo = options.until ?? this.heads();
    const max = options.maxBatches ?? Infinity;
    const rows = Math.max(1, Math.floor(options.rows ?? this.batch));
    // Facts are derived: their connection skips the fsync of each commit (store/sqlite/facts.ts),
    // and a batch lost to a power cut is lost with its cursor and folded again.
    return this.fold(upTo, max, rows);
  }

  private fold(upTo: ProjectorHeads, max: number, rows: number): ProjectResult & { more: boolean } {
    const result: ProjectResult = { timelineRows: 0, events: 0, batches: 0 };
    while (this.cursor("timeline") < upTo.timeline && result.batches < max) {
      result.timelineRows += this.timelineBatch(upTo.timeline, result.batches, rows);
      result.batches++;
    }
    // Events only once the timeline is caught up: every grant an event could be a return from is in.
    while (this.cursor("timeline") >= upTo.timeline && this.cursor("events") < upTo.events && result.batches < max) {
      result.events += this.eventsBatch(upTo.events, result.batches, rows);
      result.batches++;
    }
    return { ...result, more: this.cursor("timeline") < upTo.timeline || this.cursor("events") < upTo.events };
  }

  // DEFERRED, not IMMEDIATE: on a facts connection BEGIN IMMEDIATE would take the engine file's write
  // lock too (it is attached), and the point of the file of its own is not to (store/sqlite/facts.ts).
  // The projector is the facts' one writer, so the deferred read never has to become a write behind another.
  private timelineBatch(upTo: number, n: number, limit: number): number {
    return this.db
      .transaction(() => {
        const rows = this.s.timeline.all(this.cursor("timeline"), upTo, limit) as Array<{
          seq: number;
          userId: string;
          at: number;
          record: string;
        }>;
        if (rows.length === 0) return 0;
        const folded = foldTimeline(
          rows.map((r) => decodeTimelineRow<TimelineRecord>(r.record, r.userId, r.at)),
          {
            zoneOf: this.options.zoneOf,
            carry: (journeyId, userId) => (this.s.carry.get(journeyId, userId) as RunCarry | undefined) ?? null,
          },
        );
        const tally = batchTallies();
        for (const op of folded.ops) this.apply(op, tally);
        this.writeTallies(tally);
        for (const c of folded.carries) this.s.saveCarry.run(c);
        this.options.beforeCommit?.("timeline", n);
        this.s.saveCursor.run("timeline", rows[rows.length - 1]!.seq);
        return rows.length;
      })
      .deferred();
  }

  private eventsBatch(upTo: number, n: number, limit: number): number {
    return this.db
      .transaction(() => {
        const rows = this.s.events.all(this.cursor("events"), upTo, limit) as Array<{
          seq: number;
          userId: string;
          type: string;
          at: number;
        }>;
        if (rows.length === 0) return 0;
        const zones = this.options.zones();
        for (const e of rows) {
          if (!isActivity(e)) continue;
          for (const tz of zones) {
            const day = localDay(e.at, tz);
            // A new active day: entries 1, 7 and 30 days before it count as retained.
            if (this.s.activity.run(tz, e.userId, day).changes === 1) {
              this.s.activeD1.run(e.userId, tz, day - 1);
              this.s.activeD7.run(e.userId, tz, day - 7);
              this.s.activeD30.run(e.userId, tz, day - 30);
            }
          }
          this.s.returned.run(e.at, e.userId, e.at);
        }
        this.options.beforeCommit?.("events", n);
        this.s.saveCursor.run("events", rows[rows.length - 1]!.seq);
        return rows.length;
      })
      .deferred();
  }

  private writeTallies(tally: BatchTallies): void {
    const s = this.s;
    tally.nodeDays.drain((args, n) => s.nodeDay.run(...args, n));
    tally.refusals.drain((args, n) => s.refuse.run(...args, n));
    tally.spend.drain((args, n, amount) => s.spend.run(...args, n, amount));
    tally.moves.drain((args, n) => s.move.run(...args, n));
  }

  private apply(op: FactOp, tally: BatchTallies): void {
    const s = this.s;
    switch (op.op) {
      case "entry":
        if (s.entry.run(op).changes === 1) {
          s.entryActivity.run(op);
          for (const [name, value] of Object.entries(op.attributes))
            s.attribute.run(op.journeyId, op.userId, op.entry, name, value);
        }
        return;
      case "visit":
        // A node counts once per entry: only the first arrival adds to "reached".
        if (s.visit.run(op).changes === 1) tally.nodeDays.add([op.journeyId, op.version, op.nodeId, "", op.day]);
        return;
      case "left":
        tally.nodeDays.add([op.journeyId, op.version, op.nodeId, op.handle, op.day]);
        return;
      case "convert":
        s.convert.run(op);
        return;
      case "arm":
        s.arm.run(op);
        return;
      case "grant":
        s.grant.run(op);
        tally.spend.add([op.journeyId, op.version, op.nodeId, op.day, op.unit, op.budgetId ?? ""], op.amount);
        return;
      case "refuse":
        tally.refusals.add([op.journeyId, op.version, op.nodeId, op.day, op.reason]);
        return;
      case "couponClose":
        (op.redeemed ? s.couponRedeemed : s.couponExpired).run(
          op.at,
          op.journeyId,
          op.userId,
          op.entry,
          op.nodeId,
          op.issuedAt,
        );
        return;
      case "segmentMove":
        tally.moves.add([op.journeyId, op.week, op.from ?? "", op.to ?? ""]);
        return;
      case "heldOut":
        s.heldOut.run({
          journeyId: op.journeyId,
          userId: op.userId,
          at: op.at,
          convertedAt: op.converted ? op.at : null,
        });
        return;
    }
  }
}
