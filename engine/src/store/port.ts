import type { JourneyId, NodeId, UserId } from "@lifeloop/shared";
import type { CoreEvent, JourneyOrNone, Spend, TimerOwner, UserState } from "../core/index.ts";

/** A value now (SQLite answers synchronously) or later (PostgreSQL answers over the network). */
type Awaitable<T> = T | Promise<T>;

/**
 * What a ledger row records: a grant (of any reward), or the points wallet's spend or expiry
 * (runtime/wallet-ledger.ts). A person's points balance is their points grants less their spends and expiries.
 */
/** "redeem": a coupon's redemption (runtime/coupon-ledger.ts); "expire": lapsed points or a lapsed coupon. */
export type LedgerEntry = "grant" | "spend" | "expire" | "redeem";

/** A ledger row: a grant, or a wallet spend or expiry (`entry`). */
export interface GrantRow {
  grantKey: string;
  entry: LedgerEntry;
  userId: UserId;
  /** "" on a spend: the host redeemed, no journey did (runtime/wallet-ledger.ts). */
  journeyId: JourneyOrNone;
  version: number;
  nodeId: NodeId | "";
  type: string;
  amount: number | null;
  code: string | null;
  unit: string;
  budgetId: string | null;
  at: number;
}

/** A points row of the ledger, as a wallet is seeded from it. */
export interface PointsLedgerRow {
  userId: UserId;
  grantKey: string;
  entry: LedgerEntry;
  /** As in GrantRow: the engine wrote them from branded ids; "" on a spend. */
  journeyId: JourneyOrNone;
  version: number;
  nodeId: NodeId | "";
  amount: number;
  at: number;
}

export interface OutboxRow {
  key: string;
  kind: "message" | "reward";
  userId: UserId;
  journeyId: JourneyId;
  nodeId: NodeId;
  channel: string;
  payload: string;
  createdAt: number;
}

/** An outbox row as delivery reads it back. */
export interface OutboxRecord extends Omit<OutboxRow, "createdAt"> {
  seq: number;
  /** Attempts since the retry window started (a re-drive starts a new one). */
  attempts: number;
  /** When the row's retry window started: its creation, or its last re-drive (epoch ms). */
  windowStart: number;
}

/** A dead delivery as a re-drive found it, before moving it back to pending. */
export interface DeadDelivery {
  seq: number;
  key: string;
  kind: "message" | "reward";
  userId: UserId;
  journeyId: JourneyId;
  nodeId: NodeId;
  attempts: number;
  lastError: string | null;
}

/** Which dead deliveries a re-drive moves back to pending. */
export type RedriveSelector = { all: true } | { journeyId: JourneyId } | { ids: readonly number[] };

export type DeliveryResult =
  | { seq: number; delivered: true; at: number }
  | { seq: number; delivered: false; error: string; nextAttemptAt: number; dead: boolean };

/** A delivery as GET /v1/messages lists it (times in epoch ms). */
export interface DeliveryRow {
  seq: number;
  key: string;
  kind: string;
  userId: UserId;
  journeyId: JourneyId;
  nodeId: NodeId;
  channel: string;
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  redrivenAt: number | null;
}

/** An event as the log holds it, for an applier. */
export interface LoggedEvent extends CoreEvent {
  seq: number;
  /** PostgreSQL: the appending transaction (the applier's order is (xid, seq) per partition); 0 on SQLite. */
  xid: number;
  /** PostgreSQL: the event's partition of hash(person); 0 on SQLite. */
  part: number;
}

/**
 * Everything one applier batch writes, in one transaction, one statement per table where the store
 * can: each person's state once, their timers when they changed, ledger rows (a grant key already
 * there is skipped, and so is its outbox row), outbox and timeline rows in the order they happened,
 * each counter's total spend as one guarded update, and the events the core threw on.
 */
export interface BatchWrites {
  now: number;
  states: UserState[];
  /** Per person, their timers as they are now (an empty map: none). */
  timers: Map<UserId, Map<TimerOwner, number>>;
  grants: GrantRow[];
  /** In the order they happened; a row with a grant key is written only if that grant was new. */
  outbox: Array<{ grantKey: string | null; row: OutboxRow }>;
  timeline: Array<{ userId: UserId; at: number; record: string }>;
  /** Per counter: the batch's total, and the limit each spend was checked against (the smallest). */
  spends: Map<string, { amount: number; limit: number }>;
  failedEvents: Array<{ id: string; error: string }>;
}

/** How far behind the log the appliers are. */
export interface ApplyLag {
  /** Events acknowledged and not applied yet. */
  pending: number;
  /** When the oldest of them was received (epoch ms, the engine's clock), or null when none. */
  oldestReceivedAt: number | null;
}

export interface DueUser {
  userId: UserId;
  dueAt: number;
}

export interface ScheduleState {
  nextAt: number | null;
  cursor: UserId | null;
}

/**
 * What the durable runtime needs from storage inside one transaction. Every method runs in the
 * caller's transaction: all of a batch commits, or none of it. Methods may answer synchronously
 * (SQLite) or with a promise (PostgreSQL); the runtime awaits either.
 */
export interface StoreTx {
  /**
   * Serialises work on these people against every other transaction that touches them, until
   * this one ends (PostgreSQL: per-user advisory locks taken in one global order, so two batches
   * never wait on each other in a cycle). A no-op where there is one writer (SQLite).
   */
  lockUsers(userIds: readonly UserId[]): Awaitable<void>;
  /**
   * Appends a batch of events to the log in order; per event, false when its id was seen before
   * (in an earlier batch or earlier in this one): idempotent ingest.
   */
  insertEvents(events: readonly CoreEvent[], receivedAt: number): Awaitable<boolean[]>;
  markEventFailed(id: string, error: string): Awaitable<void>;
  loadState(userId: UserId): Awaitable<UserState | null>;
  saveState(state: UserState, now: number): Awaitable<void>;
  replaceTimers(userId: UserId, due: Map<TimerOwner, number>): Awaitable<void>;
  /**
   * A shared counter's value as this transaction sees it (with its own spends). Exact with one
   * writer (SQLite); on PostgreSQL read without a lock, so possibly stale — values only grow, and the
   * guarded spend at commit refuses what no longer fits (the transaction is then re-run).
   */
  counterUsed(key: string): Awaitable<number>;
  /** Up to `count` codes of a coupon pool from `from` (0-based, in import order): fewer at the pool's end. */
  poolCodes(pool: string, from: number, count: number): Awaitable<readonly string[]>;
  /** Applies `used += amount` only if it stays within `limit`; false means nothing changed. */
  applySpend(spend: Spend): Awaitable<boolean>;
  /** False when the grant key is already in the ledger. */
  insertGrant(row: GrantRow): Awaitable<boolean>;
  /** These people's points rows of the ledger (grants, spends, expiries), oldest first: seeds a wallet. */
  pointsLedger(userIds: readonly UserId[]): Awaitable<PointsLedgerRow[]>;
  /** The ledger row of this key (a grant, a spend, an expiry), or null. */
  ledgerEntry(grantKey: string): Awaitable<(GrantRow & { seq: number }) | null>;
  insertOutbox(row: OutboxRow): Awaitable<void>;
  /**
   * `at` is the step's own time (the person's clock); `recordedAt` the engine's clock at commit, which retention goes
   * by.
   */
  appendTimeline(userId: UserId, at: number, record: string, recordedAt: number): Awaitable<void>;
  /** Moves all of a person's timers to `until` (after a failed step). */
  postponeTimers(userId: UserId, until: number): Awaitable<void>;
  /**
   * Claims people with a timer due at or before `now`, earliest first (each once), skipping paused
   * journeys, and locks them as lockUsers does. PostgreSQL: rows `FOR UPDATE SKIP LOCKED` in this
   * worker's leased partitions, people whose lock another transaction holds are left for later.
   */
  claimDue(now: number, paused: readonly JourneyId[], limit: number): Awaitable<DueUser[]>;
  /** A scheduled trigger's progress (locked until this transaction ends), or null the first time. */
  scheduleState(key: string): Awaitable<ScheduleState | null>;
  saveScheduleState(key: string, state: ScheduleState): Awaitable<void>;
  /** People in id order after `cursor`: a scheduled trigger's audience, a batch at a time. */
  usersAfter(cursor: UserId | null, limit: number): Awaitable<UserId[]>;

  // The applier's side (runtime/applier.ts): a batch reads, steps in memory, writes once.

  /**
   * The next events after the applier's cursor, in the order they are applied (at most `limit`),
   * with the cursor locked until this transaction ends. SQLite: by seq. PostgreSQL: in this
   * worker's leased partitions, in (xid, seq) order, only rows of transactions that have all ended.
   */
  readLog(limit: number): Awaitable<LoggedEvent[]>;
  /** Moves the cursor past `events` (what readLog returned): committed with the batch's writes, or not at all. */
  advanceLog(events: readonly LoggedEvent[]): Awaitable<void>;
  /** The stored states of these people (JSON), locked as lockUsers does; absent: none yet. */
  loadStates(userIds: readonly UserId[]): Awaitable<Map<UserId, string>>;
  /** Writes one batch's effects (see BatchWrites); throws SpendConflict when a guarded counter refuses. */
  writeBatch(writes: BatchWrites): Awaitable<void>;
}

/**
 * Thrown when a guarded counter refused a spend the core's view allowed: another writer got there first. The
 * transaction is retried.
 */
export class SpendConflict extends Error {
  readonly retryable = true;
}

export interface LedgerQuery {
  userId?: UserId;
  journeyId?: JourneyId;
  nodeId?: NodeId;
  after?: number;
  limit: number;
}

/** A person's points ledger, summed: the balance is granted − spent − expired. */
export interface WalletTotals {
  granted: number;
  spent: number;
  expired: number;
}

export interface MessageQuery {
  userId?: UserId;
  journeyId?: JourneyId;
  status?: string;
  kind?: string;
  after?: number;
  limit: number;
}

/** Which recorded events GET /v1/events/log reads: `at` in [since, until), after a position in the log. */
export interface EventLogQuery {
  since: number;
  until: number;
  /** The position of the last event already read: (xid, seq); (0, 0) from the start. */
  after: { xid: number; seq: number };
  limit: number;
}

/** A recorded event as it is read back for a replay, with its position in the applied order (xid 0 on SQLite). */
export interface EventLogRow {
  seq: number;
  xid: number;
  id: string;
  userId: string;
  type: string;
  at: number;
  props: Record<string, unknown>;
}

/** A coupon pool as the store counts it: its codes, and how many of them grants handed out. */
export interface CouponPoolCount {
  pool: string;
  codes: number;
  handed: number;
}

/** What an import of codes into a pool did: codes new to the pool, ones it already had (or the file twice). */
export interface CouponPoolImport {
  added: number;
  duplicates: number;
  /** The pool's codes after the import. */
  codes: number;
}

export interface Store {
  /**
   * Runs `fn` in one transaction: all of it commits or none of it. A store may re-run `fn` after a conflict it can
   * retry.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Everything the sidecar reads and writes besides the step's transaction. */
export interface SidecarStore extends Store {
  readonly kind: "sqlite" | "postgres";
  /** Transactions run again after a deadlock, serialization failure or spend conflict (always 0 on SQLite). */
  readonly retries: number;
  /** Claims due outbox rows for delivery (PostgreSQL: SKIP LOCKED, hidden from other workers for a while). */
  claimOutbox(now: number, limit: number): Promise<OutboxRecord[]>;
  /** Records the results of one delivery pass in one transaction. */
  recordDeliveries(results: DeliveryResult[]): Promise<void>;
  /** Claimed rows a pass did not attempt (its circuit opened): due again at `at`, attempts untouched. */
  releaseOutbox(seqs: readonly number[], at: number): Promise<void>;
  /**
   * Dead-letters pending rows whose retry window started at or before `windowStartAtOrBefore`
   * (their window has passed while their receiver kept failing), at most `limit`; a row without an
   * error of its own gets `error`. PostgreSQL: in this worker's partitions. Returns how many.
   */
  expireOutbox(windowStartAtOrBefore: number, error: string, limit: number): Promise<number>;
  /**
   * Moves up to `limit` dead rows matching `selector` back to pending, due at `now`, with a fresh
   * retry window from `now` and their attempts reset (their last error kept until the next
   * attempt), and appends `record(row)` to each one's person's timeline at `now`: all in one
   * transaction. Returns the rows as they were.
   */
  redriveOutbox(
    selector: RedriveSelector,
    now: number,
    limit: number,
    record: (row: DeadDelivery) => string,
  ): Promise<DeadDelivery[]>;
  /** Commits one tiny write (the readiness check): rejects while writes cannot commit. */
  probeWrite(now: number): Promise<void>;
  saveFeed(etag: string, body: string, now: number): Promise<void>;
  loadFeed(): Promise<{ etag: string | null; body: string; fetchedAt: number } | null>;
  /**
   * Drops timeline entries the engine recorded before `before` (retention, by the engine's clock), a bounded batch at a
   * time.
   */
  trimTimeline(before: number, limit?: number): Promise<number>;
  userState(userId: UserId): Promise<UserState | null>;
  /** The newest `limit` timeline rows of a person, newest first: each row one step's records, decoded. */
  timelineRows(userId: UserId, limit: number): Promise<Array<Array<Record<string, unknown>>>>;
  ledger(q: LedgerQuery): Promise<Array<GrantRow & { seq: number }>>;
  /** A person's points granted, spent and expired, summed from the ledger. */
  walletTotals(userId: UserId): Promise<WalletTotals>;
  messages(q: MessageQuery): Promise<DeliveryRow[]>;
  timerStats(): Promise<{ pending: number; oldest: number | null }>;
  /** How many events wait for the appliers, and since when. */
  applyLag(): Promise<ApplyLag>;
  /** This person's events not applied yet. */
  pendingFor(userId: UserId): Promise<number>;
  /**
   * Of these event ids (in the log), how many are not applied yet and which ones failed when they
   * were: what `?wait=applied` waits on and answers.
   */
  eventsApplied(ids: readonly string[]): Promise<{ pending: number; failed: string[] }>;
  outboxDepth(): Promise<Array<{ status: string; n: number }>>;
  /** Recorded events of a window in the order they are applied ((xid, seq)), at most `limit`. Read-only. */
  eventLog(q: EventLogQuery): Promise<EventLogRow[]>;
  /**
   * Appends codes to a pool in the order given, after the ones it has (a code it has, or one given twice,
   * is counted as a duplicate and skipped), in one transaction. PostgreSQL: imports to one pool queue.
   */
  importPoolCodes(pool: string, codes: readonly string[], now: number): Promise<CouponPoolImport>;
  /** Every coupon pool with its codes and how many were handed out. */
  couponPools(): Promise<CouponPoolCount[]>;
  /** The newest `limit` events in the log, newest first (what GET /v1/observed/events reads). */
  recentEvents(limit: number): Promise<Array<{ type: string; props: string }>>;
}
