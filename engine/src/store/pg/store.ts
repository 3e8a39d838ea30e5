import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { JourneyId, UserId } from "@lifeloop/shared";
import { poolKey, type CoreEvent, type Spend, type TimerOwner, type UserState } from "../../core/index.ts";
import { Outage } from "../outage.ts";
import {
  SpendConflict,
  type ApplyLag,
  type BatchWrites,
  type LoggedEvent,
  type DeadDelivery,
  type DeliveryResult,
  type DueUser,
  type GrantRow,
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
import { unavailableReason } from "../unavailable.ts";
import { checkout, createPool, withClient, type Checkout } from "./connection.ts";
import { PARTITIONS } from "./schema.ts";

const MIGRATIONS = fileURLToPath(new URL("../../../drizzle-pg", import.meta.url));

// bigint columns (epoch ms, amounts, counts) come back as numbers: all fit a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Advisory-lock namespaces (first key of pg_advisory_xact_lock(int, int)). */
const LOCK_USER = 1280;
const LOCK_SCHEDULE = 1281;
const LOCK_MIGRATE = 1282;
/**
 * Held (shared) by every transaction that appends to the event log, from before it has an xid: the appliers' fence
 * (PgTx.readLog). 1283 is the report projector's.
 */
const LOCK_APPEND = 1284;
/** What every coupon pool's counter starts with. */
const POOL_COUNTERS = poolKey("");
/** Imports into one coupon pool (second key: hashtext(pool)), so two never number codes alike. */
const LOCK_POOL = 1285;

/** Database time in epoch ms: leases are judged by one clock, not by each worker's. */
const DB_NOW = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

export interface PgOptions {
  url: string;
  /** Connections per worker (default 8). */
  poolSize?: number;
  /**
   * Take part in partition leases (the sidecar does): timers and outbox rows are claimed only in
   * the partitions this worker holds. Without it (tests, tools) every partition is this store's.
   */
  leases?: {
    ttlMs: number;
    workerId?: string /** Tests: renew only when renewLeases() is called. */;
    manual?: boolean;
  };
  /** How long a caller waits for a connection before the store counts as unavailable (default 2.5 s, connection.ts). */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
  /** Injected clock, only for how long an outage lasted in the log. */
  now?: () => number;
}

/** An event `e` is above its partition's applier cursor `c` (SQL): not applied yet. */
const PENDING = "(e.part, e.xid, e.seq) > (c.part, c.xid, c.seq)";

/** SQLSTATEs a transaction is simply run again after: serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

function isRetryable(e: unknown): boolean {
  if (e && typeof e === "object") {
    if ((e as { retryable?: boolean }).retryable === true) return true;
    const code = (e as { code?: string }).code;
    if (code && RETRYABLE.has(code)) return true;
  }
  return false;
}

/**
 * The engine's store on PostgreSQL, for one or many workers sharing a database. The same port and
 * the same guarantees as SQLite: each event id once (unique index), each person's steps one at a
 * time across all workers (advisory locks in key order), counters read without a lock and spent
 * with one guarded upsert per counter just before COMMIT in the grant's transaction (a refused guard
 * re-runs the transaction), each grant key once (unique index), timers and
 * outbox rows claimed with `FOR UPDATE SKIP LOCKED` within the partitions this worker leases.
 */
export class PgStore implements SidecarStore {
  readonly kind = "postgres" as const;
  readonly pool: pg.Pool;
  readonly workerId: string;
  /** Partitions this worker claims timers and outbox rows in. */
  owned: number[];
  private leaseTimer: NodeJS.Timeout | null = null;
  private leaseLoop: Promise<void> | null = null;
  private closed = false;
  /** Transactions run again after a deadlock, serialization failure or spend conflict (metrics, tests). */
  retries = 0;
  private readonly reads;
  private readonly log: (line: string) => void;
  /**
   * The database as this store's connections and transactions see it: one log line when it goes, one when it is back.
   */
  private readonly database: Outage;
  /** Lease renewal: its own backoff while the database is away. */
  private readonly renewal: Outage;

  private constructor(private readonly options: PgOptions) {
    this.log = options.log ?? ((line) => console.error(line));
    const clock = options.now ? { now: options.now } : {};
    this.database = new Outage("PostgreSQL", this.log, {
      ...clock,
      meanwhile: "broken connections are dropped and made again as needed",
    });
    const renewEvery = Math.max(50, (options.leases?.ttlMs ?? 30_000) / 3);
    this.renewal = new Outage("lease renewal", this.log, {
      ...clock,
      capMs: renewEvery,
      meanwhile:
        `claiming no timers or deliveries meanwhile, retrying with backoff (at ` +
        `most ${(renewEvery / 1000).toFixed(1)} s apart)`,
    });
    // A connection that breaks (server restart) never crashes the process: the pool drops it and
    // the next checkout reconnects (see connection.ts).
    this.pool = createPool({
      url: options.url,
      max: options.poolSize ?? 8,
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      onConnectionError: (e) => void this.database.failed(e),
    });
    this.workerId = options.leases?.workerId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.owned = options.leases ? [] : Array.from({ length: PARTITIONS }, (_, i) => i);
    this.reads = readsOver(
      {
        all: async <T>(text: string, args: unknown[]) => (await this.pool.query(numbered(text), args)).rows as T[],
      },
      { xid: "xid" },
    );
  }

  /** Connects, applies migrations (one worker at a time) and, with leases, joins the workers. */
  static async open(options: PgOptions): Promise<PgStore> {
    const store = new PgStore(options);
    try {
      const c = await checkout(store.pool);
      try {
        await c.client.query("SELECT pg_advisory_lock($1, 0)", [LOCK_MIGRATE]);
        await migrate(drizzle(c.client), { migrationsFolder: MIGRATIONS });
        await c.client.query("SELECT pg_advisory_unlock($1, 0)", [LOCK_MIGRATE]);
        c.release();
      } catch (e) {
        // Discarded, not returned: closing the session is what frees its advisory lock.
        c.release(e as Error);
        throw c.explain(e);
      }
      if (options.leases && !options.leases.manual) await store.startLeases(options.leases.ttlMs);
    } catch (e) {
      await store.pool.end();
      throw e;
    }
    return store;
  }

  /**
   * Runs `fn` in one transaction. Deadlocks, serialization failures and spend conflicts run it
   * again (up to 8 times). An unavailable database (the server restarting, unreachable, out of
   * resources) is tried once more after a short pause — a connection the pool handed out may have
   * died with the last restart — and then thrown, classified by `unavailableReason`, so the
   * sidecar answers 503 with Retry-After within a few seconds instead of holding requests while
   * the server is down. Connection failures are not retried here: the pool already waited up to
   * its connect timeout.
   *
   * Nothing is half-applied: a transaction that did not reach COMMIT is rolled back (by ROLLBACK,
   * or by the server when the connection ends). If the connection dies during COMMIT itself the
   * outcome is unknown — it may have committed. That is safe because everything a transaction does
   * is idempotent on re-run: events are inserted `ON CONFLICT (id) DO NOTHING` and only fresh ones
   * are stepped, grants are unique by key, timers and schedules are re-read. So the quick retry
   * here, or the client re-sending the batch with the same event ids after its 503, gets 202 with
   * those events counted as duplicates if the first COMMIT did land, and applies them once if not.
   */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let unavailableRetries = 0;
    for (let attempt = 1; ; attempt++) {
      const ticket = this.database.ticket();
      let c: Checkout;
      try {
        c = await checkout(this.pool);
      } catch (e) {
        this.database.failed(e);
        throw e;
      }
      try {
        await c.client.query("BEGIN");
        const tx = new PgTx(c.client, this.owned);
        const result = await fn(tx);
        await tx.flush();
        await c.client.query("COMMIT");
        c.release();
        this.database.ok(ticket);
        return result;
      } catch (raw) {
        const e = c.explain(raw);
        if (unavailableReason(e) !== null) {
          // No ROLLBACK on a connection that is gone or failing: discarding it ends the session,
          // and the server rolls back whatever it had open.
          c.release(e as Error);
          this.database.failed(e);
          if (unavailableRetries++ < 1) {
            await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
            continue;
          }
          throw e;
        }
        let rollbackFailed: Error | undefined;
        try {
          await c.client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is gone: drop it from the pool, report the first error.
          rollbackFailed = rollbackError as Error;
        }
        c.release(rollbackFailed);
        if (isRetryable(e) && attempt < 8) {
          this.retries++;
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        throw e;
      }
    }
  }

  // Delivery: rows are claimed with SKIP LOCKED and hidden from other workers for a lease's length;
  // a worker that dies mid-delivery leaves them to reappear (at-least-once, the webhook contract).

  async claimOutbox(now: number, limit: number): Promise<OutboxRecord[]> {
    if (this.owned.length === 0) return [];
    const hideFor = this.options.leases?.ttlMs ?? 30_000;
    const r = await this.pool.query({
      name: "claim_outbox",
      text: `UPDATE outbox SET next_attempt_at = $1::bigint + $4::bigint WHERE seq IN (
               SELECT seq FROM outbox WHERE status = 'pending' AND part = ANY($2::smallint[]) AND next_attempt_at <= $1
               ORDER BY next_attempt_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING seq, key, kind, user_id AS "userId", journey_id AS "journeyId", node_id AS "nodeId", channel,
               payload, attempts, coalesce(redriven_at, created_at) AS "windowStart"`,
      values: [now, this.owned, limit, hideFor],
    });
    // Ids as the engine wrote them (parsed at its edges, branded in the core), so typing the row so is safe.
    return (r.rows as OutboxRecord[]).sort((a, b) => a.seq - b.seq);
  }

  async releaseOutbox(seqs: readonly number[], at: number): Promise<void> {
    if (seqs.length === 0) return;
    // Claiming hid them for a lease's length: make them due again now, for this worker or another.
    await this.pool.query(
      "UPDATE outbox SET next_attempt_at = $2 WHERE seq = ANY($1::bigint[]) AND status = 'pending'",
      [[...seqs], at],
    );
  }

  async expireOutbox(windowStartAtOrBefore: number, error: string, limit: number): Promise<number> {
    if (this.owned.length === 0) return 0;
    const r = await this.pool.query(
      `UPDATE outbox SET status = 'dead', last_error = coalesce(last_error, $3) WHERE seq IN (
         SELECT seq FROM outbox WHERE status = 'pending' AND part = ANY($1::smallint[]) AND coalesce(redriven_at,
           created_at) <= $2
         ORDER BY seq LIMIT $4 FOR UPDATE SKIP LOCKED)`,
      [this.owned, windowStartAtOrBefore, error.slice(0, 500), limit],
    );
    return r.rowCount ?? 0;
  }

  async redriveOutbox(
    selector: RedriveSelector,
    now: number,
    limit: number,
    record: (row: DeadDelivery) => string,
  ): Promise<DeadDelivery[]> {
    const filter =
      "all" in selector
        ? { sql: "", args: [] }
        : "journeyId" in selector
          ? { sql: " AND journey_id = $2", args: [selector.journeyId] }
          : { sql: " AND seq = ANY($2::bigint[])", args: [[...selector.ids]] };
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const found = await client.query(
        `SELECT seq, key, kind, user_id AS "userId", journey_id AS "journeyId", node_id AS "nodeId", attempts,
          last_error AS "lastError" FROM outbox
          WHERE status = 'dead'${filter.sql} ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, ...filter.args],
      );
      // Ids as the engine wrote them (parsed at its edges, branded in the core), so typing the row so is safe.
      const rows = found.rows as DeadDelivery[];
      if (rows.length > 0) {
        await client.query(
          "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, redriven_at = $2 WHERE " +
            "seq = ANY($1::bigint[])",
          [rows.map((r) => r.seq), now],
        );
        await client.query(
          "INSERT INTO timeline (user_id, at, record, recorded_at) SELECT u, $2::bigint, r, $2::bigint FROM " +
            "unnest($1::text[], $3::text[]) WITH ORDINALITY AS t(u, r, i) ORDER BY i",
          [rows.map((r) => r.userId), now, rows.map(record)],
        );
      }
      await client.query("COMMIT");
      return rows;
    } catch (e) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async recordDeliveries(results: DeliveryResult[]): Promise<void> {
    if (results.length === 0) return;
    const ok = results.filter((r) => r.delivered);
    const failed = results.filter((r): r is Extract<typeof r, { delivered: false }> => !r.delivered);
    // One statement per outcome: a pass is recorded at once.
    if (ok.length > 0) {
      await this.pool.query(
        "UPDATE outbox o SET status = 'delivered', delivered_at = d.at, attempts = o.attempts + 1, " +
          "last_error = NULL FROM unnest($1::bigint[], $2::bigint[]) AS d(seq, at) WHERE o.seq = d.seq",
        [ok.map((r) => r.seq), ok.map((r) => r.at)],
      );
    }
    if (failed.length > 0) {
      await this.pool.query(
        "UPDATE outbox o SET status = f.status, attempts = o.attempts + 1, next_attempt_at = f.next, " +
          "last_error = f.error FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) AS f(seq, " +
          "status, next, error) WHERE o.seq = f.seq",
        [
          failed.map((r) => r.seq),
          failed.map((r) => (r.dead ? "dead" : "pending")),
          failed.map((r) => r.nextAttemptAt),
          failed.map((r) => r.error.slice(0, 500)),
        ],
      );
    }
  }

  async probeWrite(now: number): Promise<void> {
    await this.pool.query("INSERT INTO probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at", [
      now,
    ]);
  }

  async saveFeed(etag: string, body: string, now: number): Promise<void> {
    await this.pool.query(
      "INSERT INTO feed (id, etag, body, fetched_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET " +
        "etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at",
      [etag, body, now],
    );
  }

  async loadFeed(): Promise<{ etag: string | null; body: string; fetchedAt: number } | null> {
    return (
      ((await this.pool.query('SELECT etag, body, fetched_at AS "fetchedAt" FROM feed WHERE id = 1')).rows[0] as
        | { etag: string | null; body: string; fetchedAt: number }
        | undefined) ?? null
    );
  }

  async trimTimeline(before: number, limit = 10_000): Promise<number> {
    // Only rows the report projector has folded (at or below its low-water mark): another worker
    // may be folding right now, and a trimmed row can never be counted again.
    return (
      (
        await this.pool.query(
          "DELETE FROM timeline WHERE seq IN (SELECT seq FROM timeline WHERE recorded_at < $1 AND seq <= " +
            "coalesce((SELECT seq FROM report_cursors WHERE source = 'timeline'), 0) ORDER BY recorded_at " +
            "LIMIT $2)",
          [before, limit],
        )
      ).rowCount ?? 0
    );
  }

  async applyLag(): Promise<ApplyLag> {
    const r = await this.pool.query(
      `SELECT count(*) AS pending, min(e.received_at) AS oldest FROM events e JOIN applier_cursors c ON ` +
        `c.part = e.part WHERE ${PENDING}`,
    );
    const row = r.rows[0] as { pending: number; oldest: number | null };
    return { pending: Number(row.pending), oldestReceivedAt: row.oldest === null ? null : Number(row.oldest) };
  }

  async pendingFor(userId: string): Promise<number> {
    const r = await this.pool.query(
      `SELECT count(*) AS n FROM events e JOIN applier_cursors c ON c.part = e.part WHERE e.user_id = $1 ` +
        `AND ${PENDING}`,
      [userId],
    );
    return Number(r.rows[0].n);
  }

  async eventsApplied(ids: readonly string[]): Promise<{ pending: number; failed: string[] }> {
    const r = await this.pool.query(
      `SELECT e.id, e.status, ${PENDING} AS pending FROM events e JOIN applier_cursors c ON c.part = e.part ` +
        `WHERE e.id = ANY($1::text[])`,
      [[...ids]],
    );
    const rows = r.rows as Array<{ id: string; status: string; pending: boolean }>;
    return {
      pending: rows.filter((x) => x.pending).length,
      failed: rows.filter((x) => !x.pending && x.status === "failed").map((x) => x.id),
    };
  }

  async importPoolCodes(pool: string, codes: readonly string[], now: number): Promise<CouponPoolImport> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK_POOL}, hashtext($1))`, [pool]);
      const size = Number(
        (await client.query("SELECT count(*) AS n FROM coupon_pool_codes WHERE pool = $1", [pool])).rows[0].n,
      );
      const had = await client.query("SELECT code FROM coupon_pool_codes WHERE pool = $1 AND code = ANY($2::text[])", [
        pool,
        [...codes],
      ]);
      const seen = new Set((had.rows as Array<{ code: string }>).map((r) => r.code));
      const fresh = codes.filter((c) => !seen.has(c) && seen.add(c));
      if (fresh.length > 0)
        await client.query(
          "INSERT INTO coupon_pool_codes (pool, idx, code, added_at) SELECT $1, $2::bigint + n - 1, code, $4 FROM " +
            "unnest($3::text[]) WITH ORDINALITY AS u(code, n)",
          [pool, size, fresh, now],
        );
      await client.query("COMMIT");
      return { added: fresh.length, duplicates: codes.length - fresh.length, codes: size + fresh.length };
    } catch (e) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw e;
    } finally {
      client.release(broken);
    }
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

  // Leases: each worker renews its partitions every third of the lease, takes free or expired ones
  // up to its fair share (partitions ÷ live workers, rounded up) and gives back what is over it.
  // While the database is away renewal keeps trying, with backoff capped at a third of the lease,
  // and the worker claims nothing meanwhile (its leases may expire and move to another worker).
  // That costs only latency: correctness never rests on a lease (every claim is also a row lock
  // and a person lock in the step's transaction), so a worker that still thinks it holds a
  // partition it lost can at worst run a pass the new owner then finds done.

  private async startLeases(ttlMs: number): Promise<void> {
    await this.renewLeases(ttlMs);
    const every = Math.max(50, ttlMs / 3);
    const tick = () => {
      let wait = every;
      const ticket = this.database.ticket();
      this.leaseLoop = this.renewLeases(ttlMs)
        .then(() => {
          this.renewal.ok();
          this.database.ok(ticket);
        })
        .catch((e: unknown) => {
          // Not sure we still hold anything: claim nothing until a renewal succeeds.
          this.owned = [];
          wait = Math.min(every, this.renewal.failed(e));
        })
        .finally(() => {
          this.leaseLoop = null;
          if (!this.closed) this.leaseTimer = setTimeout(tick, wait);
        });
    };
    this.leaseTimer = setTimeout(tick, every);
  }

  /** One round of the lease protocol; returns the partitions held after it. */
  async renewLeases(ttlMs: number): Promise<number[]> {
    const me = this.workerId;
    return withClient(this.pool, async (client) => {
      await client.query(
        `INSERT INTO workers (id, seen_at) VALUES ($1, ${DB_NOW}) ON CONFLICT (id) DO UPDATE SET seen_at = ` +
          `excluded.seen_at`,
        [me],
      );
      const live = Number(
        (await client.query(`SELECT count(*) AS n FROM workers WHERE seen_at >= ${DB_NOW} - $1::bigint`, [ttlMs]))
          .rows[0].n,
      );
      const fair = Math.ceil(PARTITIONS / Math.max(1, live));
      let mine = (
        await client.query(`UPDATE leases SET expires_at = ${DB_NOW} + $2::bigint WHERE owner = $1 RETURNING part`, [
          me,
          ttlMs,
        ])
      ).rows.map((r) => r.part as number);
      if (mine.length > fair) {
        const extra = mine.sort((a, b) => a - b).slice(fair);
        await client.query(
          "UPDATE leases SET owner = NULL, expires_at = 0 WHERE owner = $1 AND part = ANY($2::smallint[])",
          [me, extra],
        );
        mine = mine.filter((p) => !extra.includes(p));
      } else if (mine.length < fair) {
        const taken = await client.query(
          `UPDATE leases SET owner = $1, expires_at = ${DB_NOW} + $2::bigint WHERE part IN (
             SELECT part FROM leases WHERE owner IS NULL OR expires_at < ${DB_NOW} ORDER BY part LIMIT $3 FOR UPDATE
               SKIP LOCKED)
           RETURNING part`,
          [me, ttlMs, fair - mine.length],
        );
        mine = [...mine, ...taken.rows.map((r) => r.part as number)];
      }
      await client.query(`DELETE FROM workers WHERE seen_at < ${DB_NOW} - $1::bigint`, [ttlMs * 10]);
      this.owned = mine.sort((a, b) => a - b);
      return this.owned;
    });
  }

  /** Gives this worker's partitions back at once (a clean shutdown), so the others need not wait for them to expire. */
  private async leaveLeases(): Promise<void> {
    await this.pool.query("UPDATE leases SET owner = NULL, expires_at = 0 WHERE owner = $1", [this.workerId]);
    await this.pool.query("DELETE FROM workers WHERE id = $1", [this.workerId]);
    this.owned = [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    if (this.leaseLoop) await this.leaseLoop;
    if (this.options.leases) {
      // With the database away the leases cannot be given back: they expire and move on by themselves.
      await this.leaveLeases().catch((e: Error) =>
        this.log(
          `lifeloop engine: could not give back partition leases on close (${e.message}); they expire ` +
            `within ${this.options.leases?.ttlMs} ms`,
        ),
      );
    }
    await this.pool.end();
  }
}

/**
 * One transaction's view of the store. Round trips are what PostgreSQL costs, so a batch's people
 * are locked and loaded in one, its events appended in one, counters read once (the row stays
 * locked, so this transaction's own copy stays exact), and the write-only rows — states, timers,
 * outbox, timeline — are buffered and written in one statement per table just before COMMIT.
 * Reads see the buffered writes: a state saved earlier in the batch is what the next step loads.
 */
class PgTx implements StoreTx {
  /** Stored state per person as JSON (null: none yet), as of this transaction. */
  private readonly states = new Map<string, string | null>();
  private readonly dirty = new Map<string, number>();
  private readonly timers = new Map<string, Map<TimerOwner, number>>();
  private readonly outbox: OutboxRow[] = [];
  private readonly timeline: Array<[string, number, string, number]> = [];
  private readonly counters = new Map<string, number>();
  private readonly spends = new Map<string, { amount: number; limit: number }>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly owned: number[],
  ) {}

  private q(name: string, text: string, values: unknown[]) {
    return this.client.query({ name, text, values });
  }

  async lockUsers(userIds: readonly string[]): Promise<void> {
    const missing = userIds.filter((u) => !this.states.has(u));
    if (missing.length === 0) return;
    const r = await this.q("lock_and_load", "SELECT user_id, state FROM lifeloop_lock_and_load($1::text[])", [missing]);
    for (const u of missing) this.states.set(u, null);
    for (const row of r.rows as Array<{ user_id: string; state: string }>) this.states.set(row.user_id, row.state);
  }

  async insertEvents(events: readonly CoreEvent[], receivedAt: number): Promise<boolean[]> {
    if (events.length === 0) return [];
    // First, before this transaction has an xid: appliers count it as appending until it ends.
    await this.q("lock_append", `SELECT pg_advisory_xact_lock_shared(${LOCK_APPEND}, 0)`, []);
    const r = await this.q(
      "insert_events",
      "INSERT INTO events (id, user_id, type, at, props, received_at, test) SELECT id, u, t, a, p, $6, x FROM " +
        "unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $7::int[]) WITH ORDINALITY AS " +
        "e(id, u, t, a, p, x, n) ORDER BY n ON CONFLICT (id) DO NOTHING RETURNING id",
      [
        events.map((e) => e.id),
        events.map((e) => e.userId),
        events.map((e) => e.type),
        events.map((e) => e.at),
        events.map((e) => JSON.stringify(e.props)),
        receivedAt,
        events.map((e) => (e.test ? 1 : 0)),
      ],
    );
    const inserted = new Set((r.rows as Array<{ id: string }>).map((x) => x.id));
    // A repeated id inside the batch is inserted once: its first occurrence is the fresh one.
    return events.map((e) => inserted.delete(e.id));
  }

  async markEventFailed(id: string, error: string): Promise<void> {
    await this.q("fail_event", "UPDATE events SET status = 'failed', error = $1 WHERE id = $2", [
      error.slice(0, 2000),
      id,
    ]);
  }

  async loadState(userId: string): Promise<UserState | null> {
    if (!this.states.has(userId)) {
      const r = await this.q("load_state", "SELECT state FROM users WHERE user_id = $1", [userId]);
      this.states.set(userId, r.rows.length === 0 ? null : (r.rows[0].state as string));
    }
    const text = this.states.get(userId);
    return text ? (JSON.parse(text) as UserState) : null;
  }

  saveState(state: UserState, now: number): void {
    this.states.set(state.userId, JSON.stringify(state));
    this.dirty.set(state.userId, now);
  }

  replaceTimers(userId: string, due: Map<TimerOwner, number>): void {
    this.timers.set(userId, new Map(due));
  }

  /** A counter as this transaction sees it: the stored value read once, plus what it has spent. */
  counterUsed(key: string): number | Promise<number> {
    const base = this.counters.get(key);
    if (base !== undefined) return base + (this.spends.get(key)?.amount ?? 0);
    // Read without a lock: values only grow, so a stale read can only make the core grant what
    // the guard at flush then refuses (and the transaction re-runs), never refuse what fits.
    // A coupon pool's counter is the exception, read FOR UPDATE until COMMIT: its spends are a compare-and-set
    // (core/pools.ts), so under contention an unlocked read would lose the race on nearly every batch.
    const read = key.startsWith(POOL_COUNTERS)
      ? this.q("counter_used_locked", "SELECT used FROM counters WHERE key = $1 FOR UPDATE", [key])
      : this.q("counter_used", "SELECT used FROM counters WHERE key = $1", [key]);
    return read.then((r) => {
      if (!this.counters.has(key)) this.counters.set(key, (r.rows[0]?.used as number | undefined) ?? 0);
      return this.counters.get(key)! + (this.spends.get(key)?.amount ?? 0);
    });
  }

  /** Codes never change once imported (imports only append, numbered without gaps), so a read needs no lock. */
  async poolCodes(pool: string, from: number, count: number): Promise<readonly string[]> {
    const r = await this.q(
      "pool_codes",
      "SELECT code FROM coupon_pool_codes WHERE pool = $1 AND idx >= $2 ORDER BY idx LIMIT $3",
      [pool, from, count],
    );
    return (r.rows as Array<{ code: string }>).map((row) => row.code);
  }

  /**
   * Checked now against this transaction's view, applied at flush: each counter's total in one
   * guarded upsert, counters in key order (two transactions never wait on each other's counters
   * in a cycle), so a hot budget row is locked only from there to COMMIT, not for the whole batch.
   */
  async applySpend(spend: Spend): Promise<boolean> {
    const used = await this.counterUsed(spend.key);
    if (used + spend.amount > spend.limit) return false;
    const pending = this.spends.get(spend.key);
    this.spends.set(spend.key, { amount: (pending?.amount ?? 0) + spend.amount, limit: spend.limit });
    return true;
  }

  async insertGrant(row: GrantRow): Promise<boolean> {
    const r = await this.q(
      "insert_grant",
      "INSERT INTO ledger (grant_key, user_id, journey_id, version, node_id, type, amount, code, unit, " +
        "budget_id, at, entry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT " +
        "(grant_key) DO NOTHING",
      [
        row.grantKey,
        row.userId,
        row.journeyId,
        row.version,
        row.nodeId,
        row.type,
        row.amount,
        row.code,
        row.unit,
        row.budgetId,
        row.at,
        row.entry,
      ],
    );
    return r.rowCount === 1;
  }

  async pointsLedger(userIds: readonly UserId[]): Promise<PointsLedgerRow[]> {
    const r = await this.q(
      "points_ledger",
      `SELECT ${POINTS_ROW} FROM ledger WHERE unit = 'points' AND user_id = ANY($1::text[]) ORDER BY seq`,
      [userIds],
    );
    return r.rows as PointsLedgerRow[];
  }

  async ledgerEntry(grantKey: string): Promise<(GrantRow & { seq: number }) | null> {
    const r = await this.q("ledger_entry", `SELECT ${LEDGER_ROW} FROM ledger WHERE grant_key = $1`, [grantKey]);
    return (r.rows[0] as (GrantRow & { seq: number }) | undefined) ?? null;
  }

  insertOutbox(row: OutboxRow): void {
    this.outbox.push(row);
  }

  appendTimeline(userId: string, at: number, record: string, recordedAt: number): void {
    this.timeline.push([userId, at, record, recordedAt]);
  }

  async postponeTimers(userId: string, until: number): Promise<void> {
    await this.flush();
    await this.q("postpone", "UPDATE timers SET due_at = $1 WHERE user_id = $2", [until, userId]);
  }

  async claimDue(now: number, paused: readonly JourneyId[], limit: number): Promise<DueUser[]> {
    if (this.owned.length === 0) return [];
    await this.flush();
    // The person's lock is tried before the row is locked: someone another transaction is
    // stepping is skipped (not waited for), and no row lock is held for a person not claimed.
    const r = await this.q(
      "claim_due",
      `SELECT user_id AS "userId", due_at AS "dueAt" FROM timers
        WHERE due_at <= $1 AND part = ANY($2::smallint[]) AND journey_id <> ALL($3::text[])
          AND NOT EXISTS (SELECT 1 FROM events e JOIN applier_cursors c ON c.part = e.part WHERE e.user_id =
            timers.user_id AND ${PENDING})
          AND pg_try_advisory_xact_lock(${LOCK_USER}, hashtext(user_id))
        ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED`,
      [now, this.owned, paused, limit],
    );
    const seen = new Set<string>();
    return (r.rows as DueUser[]).filter((d) => !seen.has(d.userId) && seen.add(d.userId));
  }

  async scheduleState(key: string): Promise<ScheduleState | null> {
    // Serialises each schedule's walk across workers, including its very first row.
    await this.q("lock_schedule", `SELECT pg_advisory_xact_lock(${LOCK_SCHEDULE}, hashtext($1))`, [key]);
    return (
      ((await this.q("schedule_state", 'SELECT next_at AS "nextAt", cursor FROM schedules WHERE key = $1', [key]))
        .rows[0] as ScheduleState | undefined) ?? null
    );
  }

  async saveScheduleState(key: string, state: ScheduleState): Promise<void> {
    await this.q(
      "save_schedule",
      "INSERT INTO schedules (key, next_at, cursor) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET " +
        "next_at = excluded.next_at, cursor = excluded.cursor",
      [key, state.nextAt, state.cursor],
    );
  }

  async usersAfter(cursor: UserId | null, limit: number): Promise<UserId[]> {
    await this.flush();
    return (
      await this.q(
        "users_after",
        'SELECT user_id FROM users WHERE user_id COLLATE "C" > $1 ORDER BY user_id COLLATE "C" LIMIT $2',
        [cursor ?? "", limit],
      )
    ).rows.map((r) => r.user_id as UserId);
  }

  /**
   * The next events of this worker's partitions after their cursors, the cursors locked first (in
   * partition order, so two workers briefly sharing a partition during a lease hand-over take turns
   * instead of deadlocking). Only rows of transactions below the fence are read: those
   * transactions have all ended, so no row can later appear at or below what is read here, and
   * (xid, seq) order is a fixed order of each partition's log — the fence that lets a cursor be
   * two numbers although sequence values commit out of order. Each partition's rows in the result
   * are a prefix of its pending rows, so its cursor moves to its last one.
   */
  async readLog(limit: number): Promise<LoggedEvent[]> {
    if (this.owned.length === 0) return [];
    await this.q(
      "lock_cursors",
      "SELECT part FROM applier_cursors WHERE part = ANY($1::smallint[]) ORDER BY part FOR UPDATE",
      [this.owned],
    );
    // The fence: the oldest transaction still appending to the log (each holds LOCK_APPEND from
    // before it has an xid until it ends; see insertEvents), capped at our own xid (taken by the
    // row locks above). Every append below it has ended — one that started before ours was
    // appending, and holds the lock, so it would be counted — and any append that gets an xid
    // later gets a higher one; so below the fence the log is final. Read in its own statement,
    // before the log is: the next statement's snapshot sees every row below it. (Not the snapshot's
    // xmin: that counts every transaction of the cluster, and a long one anywhere — a report
    // projection, another application — would hold the applier back.)
    const fence = Number(
      (
        await this.q(
          "log_fence",
          `SELECT least(pg_current_xact_id()::text::bigint, min(pg_current_xact_id()::text::bigint -
             age(a.backend_xid))) AS fence
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid = ${LOCK_APPEND} AND l.objid = 0 AND l.objsubid = 2 AND
              l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()`,
          [],
        )
      ).rows[0].fence,
    );
    const r = await this.q(
      "read_log",
      `SELECT e.seq, e.id, e.user_id AS "userId", e.type, e.at, e.props, e.xid, e.part, e.test FROM events e JOIN
        applier_cursors c ON c.part = e.part
        WHERE c.part = ANY($1::smallint[]) AND e.xid < $3 AND ${PENDING}
        ORDER BY e.xid, e.seq LIMIT $2`,
      [this.owned, limit, fence],
    );
    // Field by field, as on SQLite: a rest copy and a spread per row cost more than the rest of the mapping.
    return (r.rows as Array<Omit<LoggedEvent, "props" | "test"> & { props: string; test: number }>).map((row) => {
      const props = JSON.parse(row.props) as LoggedEvent["props"];
      const { seq, id, userId, type, at, xid, part } = row;
      const e: LoggedEvent = { seq, id, userId, type, at, props, xid, part };
      if (row.test === 1) e.test = true;
      return e;
    });
  }

  async advanceLog(events: readonly LoggedEvent[]): Promise<void> {
    const last = new Map<number, LoggedEvent>();
    for (const e of events) last.set(e.part, e);
    if (last.size === 0) return;
    const rows = [...last.values()];
    await this.q(
      "advance_log",
      "UPDATE applier_cursors c SET xid = v.xid, seq = v.seq FROM unnest($1::smallint[], $2::bigint[], " +
        "$3::bigint[]) AS v(part, xid, seq) WHERE c.part = v.part",
      [rows.map((e) => e.part), rows.map((e) => e.xid), rows.map((e) => e.seq)],
    );
  }

  async loadStates(userIds: readonly UserId[]): Promise<Map<UserId, string>> {
    await this.lockUsers(userIds);
    const out = new Map<UserId, string>();
    for (const u of userIds) {
      const text = this.states.get(u);
      if (text) out.set(u, text);
    }
    return out;
  }

  /** One applier batch: a statement per table (unnest arrays), counters first in key order (see flush). */
  async writeBatch(w: BatchWrites): Promise<void> {
    await this.flush();
    for (const key of [...w.spends.keys()].sort()) {
      const spend = w.spends.get(key)!;
      const r = await this.q(
        "spend",
        "INSERT INTO counters (key, used, cap) SELECT $1::text, $2::bigint, $3::bigint WHERE $2::bigint <= " +
          "$3::bigint ON CONFLICT (key) DO UPDATE SET used = counters.used + excluded.used, cap = excluded.cap " +
          "WHERE counters.used + excluded.used <= excluded.cap",
        [key, spend.amount, spend.limit],
      );
      if (r.rowCount !== 1)
        throw new SpendConflict(
          `counter ${key} would pass its limit of ${spend.limit}: another worker spent from it meanwhile`,
        );
    }
    if (w.states.length > 0) {
      const texts = w.states.map((st) => JSON.stringify(st));
      w.states.forEach((st, i) => this.states.set(st.userId, texts[i]!));
      await this.q(
        "save_states",
        "INSERT INTO users (user_id, state, updated_at) SELECT u, s, $3::bigint FROM unnest($1::text[], " +
          "$2::text[]) AS t(u, s) ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = " +
          "excluded.updated_at",
        [w.states.map((st) => st.userId), texts, w.now],
      );
    }
    if (w.timers.size > 0) {
      const rows = [...w.timers].flatMap(([u, due]) => [...due].map(([j, at]) => [u, j, at] as const));
      await this.q("delete_timers", "DELETE FROM timers WHERE user_id = ANY($1::text[])", [[...w.timers.keys()]]);
      if (rows.length > 0)
        await this.q(
          "insert_timers",
          "INSERT INTO timers (user_id, journey_id, due_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])",
          [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
        );
    }
    let fresh = new Set<string>();
    if (w.grants.length > 0) {
      const g = w.grants;
      const r = await this.q(
        "insert_grants",
        `INSERT INTO ledger (grant_key, user_id, journey_id, version, node_id, type, amount, code, unit, budget_id, at,
           entry)
         SELECT k, u, j, v, n, t, a, c, un, b, at, e FROM unnest($1::text[], $2::text[], $3::text[], $4::int[],
           $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::text[])
           WITH ORDINALITY AS g(k, u, j, v, n, t, a, c, un, b, at, e, i) ORDER BY i
         ON CONFLICT (grant_key) DO NOTHING RETURNING grant_key`,
        [
          g.map((x) => x.grantKey),
          g.map((x) => x.userId),
          g.map((x) => x.journeyId),
          g.map((x) => x.version),
          g.map((x) => x.nodeId),
          g.map((x) => x.type),
          g.map((x) => x.amount),
          g.map((x) => x.code),
          g.map((x) => x.unit),
          g.map((x) => x.budgetId),
          g.map((x) => x.at),
          g.map((x) => x.entry),
        ],
      );
      fresh = new Set((r.rows as Array<{ grant_key: string }>).map((x) => x.grant_key));
    }
    for (const o of w.outbox) if (o.grantKey === null || fresh.has(o.grantKey)) this.outbox.push(o.row);
    for (const t of w.timeline) this.timeline.push([t.userId, t.at, t.record, w.now]);
    for (const f of w.failedEvents) await this.markEventFailed(f.id, f.error);
    // Outbox and timeline rows go with the buffered ones, a statement each, before COMMIT.
    await this.flush();
  }

  /** Writes what is buffered: one statement per table. Called before COMMIT and before reads of those tables. */
  async flush(): Promise<void> {
    for (const key of [...this.spends.keys()].sort()) {
      const spend = this.spends.get(key)!;
      this.spends.delete(key);
      const r = await this.q(
        "spend",
        "INSERT INTO counters (key, used, cap) SELECT $1::text, $2::bigint, $3::bigint WHERE $2::bigint <= " +
          "$3::bigint ON CONFLICT (key) DO UPDATE SET used = counters.used + excluded.used, cap = excluded.cap " +
          "WHERE counters.used + excluded.used <= excluded.cap",
        [key, spend.amount, spend.limit],
      );
      if (r.rowCount !== 1)
        throw new SpendConflict(
          `counter ${key} would pass its limit of ${spend.limit}: another worker spent from it meanwhile`,
        );
    }
    if (this.dirty.size > 0) {
      const ids = [...this.dirty.keys()];
      await this.q(
        "save_states",
        "INSERT INTO users (user_id, state, updated_at) SELECT * FROM unnest($1::text[], $2::text[], " +
          "$3::bigint[]) ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = " +
          "excluded.updated_at",
        [ids, ids.map((u) => this.states.get(u)!), ids.map((u) => this.dirty.get(u)!)],
      );
      this.dirty.clear();
    }
    if (this.timers.size > 0) {
      const users = [...this.timers.keys()];
      const rows = [...this.timers].flatMap(([u, due]) => [...due].map(([j, at]) => [u, j, at] as const));
      await this.q("delete_timers", "DELETE FROM timers WHERE user_id = ANY($1::text[])", [users]);
      if (rows.length > 0)
        await this.q(
          "insert_timers",
          "INSERT INTO timers (user_id, journey_id, due_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])",
          [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
        );
      this.timers.clear();
    }
    if (this.outbox.length > 0) {
      const o = this.outbox.splice(0);
      await this.q(
        "insert_outbox",
        "INSERT INTO outbox (key, kind, user_id, journey_id, node_id, channel, payload, created_at, " +
          "next_attempt_at) SELECT k, ki, u, j, n, c, p, t, t FROM unnest($1::text[], $2::text[], $3::text[], " +
          "$4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) WITH ORDINALITY AS o(k, ki, u, j, n, " +
          "c, p, t, i) ORDER BY i ON CONFLICT (key) DO NOTHING",
        [
          o.map((r) => r.key),
          o.map((r) => r.kind),
          o.map((r) => r.userId),
          o.map((r) => r.journeyId),
          o.map((r) => r.nodeId),
          o.map((r) => r.channel),
          o.map((r) => r.payload),
          o.map((r) => r.createdAt),
        ],
      );
    }
    if (this.timeline.length > 0) {
      const t = this.timeline.splice(0);
      await this.q(
        "append_timeline",
        "INSERT INTO timeline (user_id, at, record, recorded_at) SELECT u, a, r, w FROM unnest($1::text[], " +
          "$2::bigint[], $3::text[], $4::bigint[]) WITH ORDINALITY AS t(u, a, r, w, i) ORDER BY i",
        [t.map((x) => x[0]), t.map((x) => x[1]), t.map((x) => x[2]), t.map((x) => x[3])],
      );
    }
  }
}

/** `?` placeholders (the shared read queries) to PostgreSQL's `$1, $2, …`. */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}
