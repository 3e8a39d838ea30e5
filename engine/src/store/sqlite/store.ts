import { Checkpointer } from "./checkpointer.ts";
import { factsPathOf, openFacts } from "./facts.ts";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { JourneyId, UserId } from "@lifeloop/shared";
import type { CoreEvent, Spend, TimerOwner, UserState } from "../../core/index.ts";
import {
  SpendConflict,
  type ApplyLag,
  type BatchWrites,
  type DeadDelivery,
  type DeliveryResult,
  type DueUser,
  type GrantRow,
  type LoggedEvent,
  type OutboxRecord,
  type OutboxRow,
  type PointsLedgerRow,
  type RedriveSelector,
  type ScheduleState,
  type SidecarStore,
  type StoreTx,
  type CouponPoolImport,
} from "../port.ts";
import { LEDGER_ROW, POINTS_ROW, readsOver } from "../reads.ts";

export type { OutboxRecord } from "../port.ts";

const MIGRATIONS = fileURLToPath(new URL("../../../drizzle", import.meta.url));

export interface SqliteOptions {
  /** A file path, or ":memory:" for tests that do not need durability. */
  path: string;
  /**
   * WAL checkpoints on a thread of their own (checkpointer.ts) instead of inside this connection's
   * commits, one for the engine's file and one for the facts' (whose projector may fold on the
   * event loop); the sidecar's store does this. Where their failures are said.
   */
  backgroundCheckpoints?: { log: (line: string) => void; intervalMs?: number };
}

/** A timer's person has no event waiting in the log (SQL, over `timers`). */
const NOTHING_PENDING =
  "NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = timers.user_id AND e.seq > (SELECT seq FROM " +
  "applier_cursors WHERE part = 0))";

/**
 * Rows into one table with as few statements as the rows allow: `INSERT … VALUES (…), (…), …` of
 * up to CHUNK rows, each size prepared once and reused.
 */
class MultiInsert {
  private static readonly CHUNK = 64;
  private readonly prepared = new Map<number, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail = "",
  ) {}

  private statement(n: number): Database.Statement {
    let st = this.prepared.get(n);
    if (!st) {
      const row = `(${Array.from({ length: this.columns }, () => "?").join(", ")})`;
      st = this.db.prepare(`${this.head} ${Array.from({ length: n }, () => row).join(", ")} ${this.tail}`);
      this.prepared.set(n, st);
    }
    return st;
  }

  run(rows: unknown[][]): void {
    for (let i = 0; i < rows.length; i += MultiInsert.CHUNK) {
      const chunk = rows.slice(i, i + MultiInsert.CHUNK);
      this.statement(chunk.length).run(chunk.flat());
    }
  }

  /** For statements with RETURNING: the rows they return. */
  all(rows: unknown[][]): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < rows.length; i += MultiInsert.CHUNK) {
      const chunk = rows.slice(i, i + MultiInsert.CHUNK);
      out.push(...this.statement(chunk.length).all(chunk.flat()));
    }
    return out;
  }
}

/**
 * A batch's rows grouped by person, in the order of their ids, each person's rows in the order
 * they came. The applier's rows come in log order, people scattered, and every table a batch
 * writes has a B-tree led by the person (the users key, the *_user indexes) or by a key that
 * holds them (grant and outbox keys): in person order, one insert lands on the page the last one
 * used, or the next. 1.2-1.5x faster inserts (ledger 15 -> 10 µs a row, outbox 13.5 -> 9, states
 * 4.3 -> 3.7, timeline 6.4 -> 5.2; ad hoc, 50,000 applied grants). Rows of one commit have no
 * order between people that anything reads: each person's timeline, ledger and messages keep theirs.
 */
function byPerson<T>(rows: readonly T[], person: (row: T) => string): T[] {
  if (rows.length < 2) return [...rows];
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = person(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  // Default sort: code-unit order, compared natively (a comparator costs a JS call per comparison).
  return [...groups.keys()].sort().flatMap((key) => groups.get(key)!);
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk
 * before the runtime acknowledges anything in it. Hot-path statements are prepared once.
 */
export class SqliteStore implements SidecarStore {
  readonly kind = "sqlite" as const;
  readonly retries = 0;
  readonly db: Database.Database;
  private readonly tx: StoreTx;
  private readonly s;
  /** One connection, one transaction at a time: async transactions queue here. */
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private readonly reads;
  private readonly rows;
  private readonly checkpointers: Checkpointer[] = [];
  /**
   * The report's facts (store/sqlite/facts.ts): a connection to their own file, with this one's
   * attached as `engine`; this connection itself in memory. Reports and the projector use it.
   */
  readonly facts: Database.Database;

  constructor(options: SqliteOptions) {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    // Only another process (a backup, an operator's sqlite3 shell) can hold this file's lock. The
    // wait is synchronous and stalls the whole event loop, health checks included, so it is short:
    // past it the request gets 503 with Retry-After and the client comes back.
    this.db.pragma("busy_timeout = 1000");
    this.db.pragma("foreign_keys = ON");
    migrate(drizzle(this.db), { migrationsFolder: MIGRATIONS });
    this.facts = openFacts(this.db);
    const bg = options.backgroundCheckpoints;
    if (bg && options.path !== ":memory:")
      this.checkpointers.push(
        new Checkpointer(this.db, options.path, bg.log, bg.intervalMs),
        new Checkpointer(this.facts, factsPathOf(options.path), bg.log, bg.intervalMs),
      );
    const db = this.db;
    this.s = {
      failEvent: db.prepare("UPDATE events SET status = 'failed', error = ? WHERE id = ?"),
      loadState: db.prepare("SELECT state FROM users WHERE user_id = ?").pluck(),
      saveState: db.prepare(
        "INSERT INTO users (user_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET " +
          "state = excluded.state, updated_at = excluded.updated_at",
      ),
      deleteTimers: db.prepare("DELETE FROM timers WHERE user_id = ?"),
      insertTimer: db.prepare("INSERT INTO timers (user_id, journey_id, due_at) VALUES (?, ?, ?)"),
      counterUsed: db.prepare("SELECT used FROM counters WHERE key = ?").pluck(),
      poolCodes: db
        .prepare("SELECT code FROM coupon_pool_codes WHERE pool = ? AND idx >= ? ORDER BY idx LIMIT ?")
        .pluck(),
      poolSize: db.prepare("SELECT count(*) FROM coupon_pool_codes WHERE pool = ?").pluck(),
      poolAdd: db.prepare(
        "INSERT INTO coupon_pool_codes (pool, idx, code, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      // One guarded statement: a new counter starts within its cap, an existing one only grows within it.
      spend: db.prepare(
        "INSERT INTO counters (key, used, cap) SELECT @key, @amount, @limit WHERE @amount <= @limit ON " +
          "CONFLICT (key) DO UPDATE SET used = used + excluded.used, cap = excluded.cap WHERE counters.used + " +
          "excluded.used <= excluded.cap",
      ),
      insertGrant: db.prepare(
        "INSERT INTO ledger (grant_key, entry, user_id, journey_id, version, node_id, type, amount, code, unit, " +
          "budget_id, at) VALUES (@grantKey, @entry, @userId, @journeyId, @version, @nodeId, @type, @amount, " +
          "@code, @unit, @budgetId, @at) ON CONFLICT (grant_key) DO NOTHING",
      ),
      pointsLedger: db.prepare(
        `SELECT ${POINTS_ROW} FROM ledger WHERE unit = 'points' AND user_id IN (SELECT value FROM json_each(?)) ` +
          "ORDER BY seq",
      ),
      ledgerEntry: db.prepare(`SELECT ${LEDGER_ROW} FROM ledger WHERE grant_key = ?`),
      insertOutbox: db.prepare(
        "INSERT INTO outbox (key, kind, user_id, journey_id, node_id, channel, payload, created_at, " +
          "next_attempt_at) VALUES (@key, @kind, @userId, @journeyId, @nodeId, @channel, @payload, @createdAt, " +
          "@createdAt) ON CONFLICT (key) DO NOTHING",
      ),
      appendTimeline: db.prepare("INSERT INTO timeline (user_id, at, record, recorded_at) VALUES (?, ?, ?, ?)"),
      delivered: db.prepare(
        "UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = " +
          "NULL WHERE seq = ?",
      ),
      attemptFailed: db.prepare(
        "UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?",
      ),
      postpone: db.prepare("UPDATE timers SET due_at = ? WHERE user_id = ?"),
      dueUsers: db.prepare(
        `SELECT user_id AS userId, due_at AS dueAt FROM timers WHERE due_at <= ? AND ${NOTHING_PENDING} ` +
          `ORDER BY due_at LIMIT ?`,
      ),
      cursor: db.prepare("SELECT seq FROM applier_cursors WHERE part = 0").pluck(),
      readLog: db.prepare(
        "SELECT seq, id, user_id AS userId, type, at, props, test FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
      ),
      advanceLog: db.prepare("UPDATE applier_cursors SET seq = ? WHERE part = 0"),
      loadStates: db.prepare(
        "SELECT user_id AS userId, state FROM users WHERE user_id IN (SELECT value FROM json_each(?))",
      ),
      deleteTimersOf: db.prepare("DELETE FROM timers WHERE user_id IN (SELECT value FROM json_each(?))"),
      scheduleState: db.prepare("SELECT next_at AS nextAt, cursor FROM schedules WHERE key = ?"),
      saveSchedule: db.prepare(
        "INSERT INTO schedules (key, next_at, cursor) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET " +
          "next_at = excluded.next_at, cursor = excluded.cursor",
      ),
      usersAfter: db.prepare("SELECT user_id FROM users WHERE user_id > ? ORDER BY user_id LIMIT ?").pluck(),
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
    };
    const s = this.s;
    this.reads = readsOver(
      { all: async <T>(sql: string, args: unknown[]) => db.prepare(sql).all(...args) as T[] },
      { xid: "0" },
    );
    this.tx = {
      lockUsers: () => {},
      insertEvents: (events: readonly CoreEvent[], receivedAt: number) => {
        // One multi-row statement per 64 events; RETURNING names the ids that were new. An id sent
        // twice in one group is new only the first time, as it would be one statement at a time.
        const inserted = new Set(
          this.rows.events
            .all(events.map((e) => [e.id, e.userId, e.type, e.at, JSON.stringify(e.props), receivedAt, e.test ? 1 : 0]))
            .map((r) => (r as { id: string }).id),
        );
        return events.map((e) => inserted.delete(e.id));
      },
      markEventFailed: (id: string, error: string) => void s.failEvent.run(error.slice(0, 2000), id),
      loadState: (userId: string) => {
        const text = s.loadState.get(userId) as string | undefined;
        return text === undefined ? null : (JSON.parse(text) as UserState);
      },
      saveState: (state: UserState, now: number) => void s.saveState.run(state.userId, JSON.stringify(state), now),
      replaceTimers: (userId: string, due: Map<TimerOwner, number>) => {
        s.deleteTimers.run(userId);
        for (const [journeyId, at] of due) s.insertTimer.run(userId, journeyId, at);
      },
      counterUsed: (key: string) => (s.counterUsed.get(key) as number | undefined) ?? 0,
      poolCodes: (pool: string, from: number, count: number) => s.poolCodes.all(pool, from, count) as string[],
      applySpend: (spend: Spend) => s.spend.run(spend).changes === 1,
      insertGrant: (row: GrantRow) => s.insertGrant.run(row).changes === 1,
      pointsLedger: (userIds: readonly UserId[]) => s.pointsLedger.all(JSON.stringify(userIds)) as PointsLedgerRow[],
      ledgerEntry: (grantKey: string) =>
        (s.ledgerEntry.get(grantKey) as (GrantRow & { seq: number }) | undefined) ?? null,
      insertOutbox: (row: OutboxRow) => void s.insertOutbox.run(row),
      appendTimeline: (userId: string, at: number, record: string, recordedAt: number) =>
        void s.appendTimeline.run(userId, at, record, recordedAt),
      postponeTimers: (userId: string, until: number) => void s.postpone.run(until, userId),
      claimDue: (now: number, paused: readonly JourneyId[], limit: number) => this.dueUsers(now, paused, limit),
      scheduleState: (key: string) => (s.scheduleState.get(key) as ScheduleState | undefined) ?? null,
      saveScheduleState: (key: string, state: ScheduleState) =>
        void s.saveSchedule.run(key, state.nextAt, state.cursor),
      usersAfter: (cursor: UserId | null, limit: number) => s.usersAfter.all(cursor ?? "", limit) as UserId[],
      readLog: (limit: number) => {
        const rows = s.readLog.all(s.cursor.get() as number, limit) as Array<
          Omit<LoggedEvent, "props" | "xid" | "part" | "test"> & { props: string; test: number }
        >;
        // Field by field: a rest copy and a spread per row cost 2-5 µs of the applier's ~80 an event (ad hoc).
        return rows.map((r): LoggedEvent => {
          const props = JSON.parse(r.props) as LoggedEvent["props"];
          const e: LoggedEvent = {
            seq: r.seq,
            id: r.id,
            userId: r.userId,
            type: r.type,
            at: r.at,
            props,
            xid: 0,
            part: 0,
          };
          if (r.test === 1) e.test = true;
          return e;
        });
      },
      advanceLog: (events: readonly LoggedEvent[]) => {
        if (events.length > 0) s.advanceLog.run(events[events.length - 1]!.seq);
      },
      loadStates: (userIds: readonly UserId[]) =>
        new Map(
          (s.loadStates.all(JSON.stringify(userIds)) as Array<{ userId: UserId; state: string }>).map((r) => [
            r.userId,
            r.state,
          ]),
        ),
      writeBatch: (w: BatchWrites) => this.writeBatch(w),
    };
    this.rows = {
      events: new MultiInsert(
        db,
        "INSERT INTO events (id, user_id, type, at, props, received_at, test) VALUES",
        7,
        "ON CONFLICT (id) DO NOTHING RETURNING id",
      ),
      states: new MultiInsert(
        db,
        "INSERT INTO users (user_id, state, updated_at) VALUES",
        3,
        "ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
      ),
      timers: new MultiInsert(db, "INSERT INTO timers (user_id, journey_id, due_at) VALUES", 3),
      grants: new MultiInsert(
        db,
        "INSERT INTO ledger (grant_key, entry, user_id, journey_id, version, node_id, type, amount, code, unit, " +
          "budget_id, at) VALUES",
        12,
        "ON CONFLICT (grant_key) DO NOTHING RETURNING grant_key",
      ),
      outbox: new MultiInsert(
        db,
        "INSERT INTO outbox (key, kind, user_id, journey_id, node_id, channel, payload, created_at, " +
          "next_attempt_at) VALUES",
        9,
        "ON CONFLICT (key) DO NOTHING",
      ),
      timeline: new MultiInsert(db, "INSERT INTO timeline (user_id, at, record, recorded_at) VALUES", 4),
    };
  }

  /**
   * BEGIN IMMEDIATE … COMMIT around an async function. Transactions on the one connection run one
   * after another; the statements inside answer synchronously, so a step costs what it did.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    this.inFlight++;
    const run = async (): Promise<T> => {
      this.s.begin.run();
      try {
        const result = await fn(this.tx);
        this.s.commit.run();
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.s.rollback.run();
        throw e;
      }
    };
    const result = this.tail.then(run, run);
    const done = () => void this.inFlight--;
    this.tail = result.then(done, done);
    return result;
  }

  /**
   * A synchronous transaction for callers that are synchronous themselves (a simulation report
   * writing into an in-memory store). SQLite's StoreTx answers synchronously, so nothing is awaited.
   */
  transactionSync<T>(fn: (tx: StoreTx) => T): T {
    if (this.inFlight > 0) throw new Error("transactionSync while an async transaction is running on this connection");
    return this.db.transaction(() => fn(this.tx)).immediate();
  }

  /**
   * One applier batch's writes: a multi-row statement per table (MultiInsert), one guarded update
   * per counter. Rows go in person order (byPerson), not log order.
   */
  private writeBatch(w: BatchWrites): void {
    const s = this.s;
    const r = this.rows;
    for (const [key, spend] of w.spends) {
      // Exact with one writer: the core saw this counter as it is, so a refusal is a bug, never a race.
      if (s.spend.run({ key, amount: spend.amount, limit: spend.limit }).changes !== 1)
        throw new SpendConflict(`counter ${key} would pass its limit of ${spend.limit}`);
    }
    r.states.run(byPerson(w.states, (st) => st.userId).map((st) => [st.userId, JSON.stringify(st), w.now]));
    if (w.timers.size > 0) {
      // In person order, for byPerson's reason: the timers' key is led by the person. 1.6-1.9x
      // faster deletes and inserts (8-10 -> 5-6 µs a row, ad hoc, 2,048 rows a commit into 50,000).
      const people = [...w.timers.keys()].sort();
      s.deleteTimersOf.run(JSON.stringify(people));
      r.timers.run(
        people.flatMap((userId) => [...w.timers.get(userId)!].map(([journeyId, at]) => [userId, journeyId, at])),
      );
    }
    const fresh = new Set(
      r.grants
        .all(
          byPerson(w.grants, (g) => g.userId).map((g) => [
            g.grantKey,
            g.entry,
            g.userId,
            g.journeyId,
            g.version,
            g.nodeId,
            g.type,
            g.amount,
            g.code,
            g.unit,
            g.budgetId,
            g.at,
          ]),
        )
        .map((x) => (x as { grant_key: string }).grant_key),
    );
    r.outbox.run(
      byPerson(
        w.outbox.filter((o) => o.grantKey === null || fresh.has(o.grantKey)),
        (o) => o.row.userId,
      ).map(({ row: o }) => [
        o.key,
        o.kind,
        o.userId,
        o.journeyId,
        o.nodeId,
        o.channel,
        o.payload,
        o.createdAt,
        o.createdAt,
      ]),
    );
    r.timeline.run(byPerson(w.timeline, (t) => t.userId).map((t) => [t.userId, t.at, t.record, w.now]));
    for (const f of w.failedEvents) s.failEvent.run(f.error.slice(0, 2000), f.id);
  }

  private dueUsers(now: number, paused: readonly JourneyId[], limit: number): DueUser[] {
    const placeholders = paused.map(() => "?").join(", ");
    // Walks the due-time index; a person due in two journeys shows up once, at the earlier time.
    // People with events still in the log wait for the applier: their next event's step fires what
    // was due before it, in order, where a tick now would put their clock past it.
    const sql =
      `SELECT user_id AS userId, due_at AS dueAt FROM timers WHERE due_at <= ? ` +
      `AND ${NOTHING_PENDING}${paused.length ? ` AND journey_id NOT IN (${placeholders})` : ""} ORDER BY ` +
      `due_at LIMIT ?`;
    const rows = (paused.length ? this.db.prepare(sql) : this.s.dueUsers).all(now, ...paused, limit) as DueUser[];
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.userId) && seen.add(r.userId));
  }

  // Delivery and reads: outside the step's transaction.

  async claimOutbox(now: number, limit: number): Promise<OutboxRecord[]> {
    // Ids as the engine wrote them (parsed at its edges, branded in the core), so typing the row so is safe.
    return this.db
      .prepare(
        "SELECT seq, key, kind, user_id AS userId, journey_id AS journeyId, node_id AS nodeId, channel, " +
          "payload, attempts, coalesce(redriven_at, created_at) AS windowStart FROM outbox WHERE status = " +
          "'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?",
      )
      .all(now, limit) as OutboxRecord[];
  }

  /** Nothing to undo: claiming on SQLite (one process) reads rows without hiding them. */
  async releaseOutbox(): Promise<void> {}

  async expireOutbox(windowStartAtOrBefore: number, error: string, limit: number): Promise<number> {
    return this.db
      .prepare(
        "UPDATE outbox SET status = 'dead', last_error = coalesce(last_error, ?) WHERE seq IN (SELECT seq " +
          "FROM outbox WHERE status = 'pending' AND coalesce(redriven_at, created_at) <= ? ORDER BY seq LIMIT " +
          "?)",
      )
      .run(error.slice(0, 500), windowStartAtOrBefore, limit).changes;
  }

  async redriveOutbox(
    selector: RedriveSelector,
    now: number,
    limit: number,
    record: (row: DeadDelivery) => string,
  ): Promise<DeadDelivery[]> {
    const where =
      "all" in selector
        ? ""
        : "journeyId" in selector
          ? " AND journey_id = ?"
          : ` AND seq IN (${selector.ids.map(() => "?").join(", ")})`;
    const args = "all" in selector ? [] : "journeyId" in selector ? [selector.journeyId] : [...selector.ids];
    const select = this.db.prepare(
      `SELECT seq, key, kind, user_id AS userId, journey_id AS journeyId, node_id AS nodeId, attempts, ` +
        `last_error AS lastError FROM outbox WHERE status = 'dead'${where} ORDER BY seq LIMIT ?`,
    );
    const revive = this.db.prepare(
      "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, redriven_at = ? WHERE seq = " +
        "? AND status = 'dead'",
    );
    // In the connection's transaction queue, like a step: never nested inside one that is under way.
    return this.transaction(async () => {
      // Ids as the engine wrote them (parsed at its edges, branded in the core), so typing the row so is safe.
      const rows = select.all(...args, limit) as DeadDelivery[];
      for (const r of rows) {
        revive.run(now, now, r.seq);
        this.s.appendTimeline.run(r.userId, now, record(r), now);
      }
      return rows;
    });
  }

  async recordDeliveries(results: DeliveryResult[]): Promise<void> {
    if (results.length === 0) return;
    // One transaction (one fsync) records the whole pass, not one per row; queued behind any step under way.
    await this.transaction(async () => {
      for (const r of results) {
        if (r.delivered) this.s.delivered.run(r.at, r.seq);
        else this.s.attemptFailed.run(r.dead ? "dead" : "pending", r.nextAttemptAt, r.error.slice(0, 500), r.seq);
      }
    });
  }

  async probeWrite(now: number): Promise<void> {
    // In the transaction queue like any commit: a full disk or a lock held elsewhere fails it as it would fail ingest.
    // Deleted and inserted, not upserted: an upsert of the value the row holds (a probe in the same
    // millisecond, a clock held still) leaves the page clean, and the commit then writes nothing.
    await this.transaction(async () => {
      this.db.prepare("DELETE FROM probe WHERE id = 1").run();
      this.db.prepare("INSERT INTO probe (id, at) VALUES (1, ?)").run(now);
    });
  }

  async saveFeed(etag: string, body: string, now: number): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO feed (id, etag, body, fetched_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET " +
          "etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at",
      )
      .run(etag, body, now);
  }

  async loadFeed(): Promise<{ etag: string | null; body: string; fetchedAt: number } | null> {
    return (
      (this.db.prepare("SELECT etag, body, fetched_at AS fetchedAt FROM feed WHERE id = 1").get() as
        | { etag: string | null; body: string; fetchedAt: number }
        | undefined) ?? null
    );
  }

  async trimTimeline(before: number, limit = 10_000): Promise<number> {
    // Only rows the report projector has folded: a trimmed row can never be counted again.
    const folded = (this.facts.prepare("SELECT seq FROM report_cursors WHERE source = 'timeline'").pluck().get() ??
      0) as number;
    if (folded === 0) return 0;
    if (this.facts !== this.db) this.syncFacts(folded);
    return this.db
      .prepare(
        "DELETE FROM timeline WHERE seq IN (SELECT seq FROM timeline WHERE recorded_at < ? AND seq <= ? ORDER BY " +
          "recorded_at LIMIT ?)",
      )
      .run(before, folded, limit).changes;
  }

  /**
   * The projector's commits to the facts file are not synced (facts.ts). Before timeline rows are
   * deleted, the facts folded from them must be on disk, or a power cut could take the facts while
   * the delete stays. One synced commit does it: an fsync covers every frame of the WAL before it.
   * (A PASSIVE checkpoint syncs only when it can copy frames back, which a reader can prevent.)
   *
   * The commit records the cursor it makes durable in a row of its own. It must change a value:
   * SQLite leaves a page clean when a write changes nothing, and a commit with no dirty page writes
   * no frame and syncs nothing (an UPDATE of the cursor to itself did exactly that). An unchanged
   * value means an earlier trim synced that far already.
   */
  private syncFacts(folded: number): void {
    const restore = Number(this.facts.pragma("synchronous", { simple: true }));
    this.facts.pragma("synchronous = FULL");
    try {
      this.facts
        .prepare(
          "INSERT INTO report_cursors (source, seq) VALUES ('timeline-synced', ?) " +
            "ON CONFLICT (source) DO UPDATE SET seq = excluded.seq",
        )
        .run(folded);
    } finally {
      this.facts.pragma(`synchronous = ${restore}`);
    }
  }

  async applyLag(): Promise<ApplyLag> {
    const cursor = this.s.cursor.get() as number;
    const row = this.db
      .prepare("SELECT count(*) AS pending, min(received_at) AS oldest FROM events WHERE seq > ?")
      .get(cursor) as { pending: number; oldest: number | null };
    return { pending: row.pending, oldestReceivedAt: row.oldest };
  }

  async pendingFor(userId: string): Promise<number> {
    return this.db
      .prepare(
        "SELECT count(*) FROM events WHERE user_id = ? AND seq > (SELECT seq FROM applier_cursors WHERE part = 0)",
      )
      .pluck()
      .get(userId) as number;
  }

  async eventsApplied(ids: readonly string[]): Promise<{ pending: number; failed: string[] }> {
    const rows = this.db
      .prepare(
        "SELECT id, status, seq > (SELECT seq FROM applier_cursors WHERE part = 0) AS pending FROM events " +
          "WHERE id IN (SELECT value FROM json_each(?))",
      )
      .all(JSON.stringify(ids)) as Array<{ id: string; status: string; pending: number }>;
    return {
      pending: rows.filter((r) => r.pending).length,
      failed: rows.filter((r) => !r.pending && r.status === "failed").map((r) => r.id),
    };
  }

  async importPoolCodes(pool: string, codes: readonly string[], now: number): Promise<CouponPoolImport> {
    return this.transaction(async () => {
      // Codes are numbered from 0 without gaps: a code the pool has already is skipped, not numbered.
      let size = this.s.poolSize.get(pool) as number;
      let added = 0;
      for (const code of codes) {
        if (this.s.poolAdd.run(pool, size, code, now).changes === 1) {
          size++;
          added++;
        }
      }
      return { added, duplicates: codes.length - added, codes: size };
    });
  }

  couponPools = () => this.reads.couponPools();
  userState = (userId: string) => this.reads.userState(userId);
  timelineRows = (userId: string, limit: number) => this.reads.timelineRows(userId, limit);
  ledger = (q: Parameters<SidecarStore["ledger"]>[0]) => this.reads.ledger(q);
  walletTotals = (userId: UserId) => this.reads.walletTotals(userId);
  messages = (q: Parameters<SidecarStore["messages"]>[0]) => this.reads.messages(q);
  timerStats = () => this.reads.timerStats();
  outboxDepth = () => this.reads.outboxDepth();
  eventLog = (q: Parameters<SidecarStore["eventLog"]>[0]) => this.reads.eventLog(q);
  recentEvents = (limit: number) => this.reads.recentEvents(limit);

  /** Closes at once when no transaction is running (a test's "crash"), otherwise after it ends. */
  async close(): Promise<void> {
    if (this.inFlight > 0) await this.tail;
    // Synchronous when nothing waits: callers that copy the file right after close() rely on it.
    if (this.checkpointers.length > 0) await Promise.all(this.checkpointers.map((c) => c.stop()));
    if (this.facts !== this.db && this.facts.open) this.facts.close();
    if (this.db.open) this.db.close();
  }
}
