import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The engine's durable state, in one file. Migrations in engine/drizzle are generated from this by
 * drizzle-kit (`pnpm --filter @lifeloop/engine db:generate`) and applied on start.
 */

/**
 * The event log: every accepted event, once (the unique id makes ingest idempotent), in the order
 * it was acknowledged. An event is applied once the applier's cursor (applier_cursors) has passed
 * its seq; `status` says only whether the core threw on it when it was applied.
 */
export const events = sqliteTable(
  "events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    type: text("type").notNull(),
    at: integer("at").notNull(),
    props: text("props").notNull(),
    receivedAt: integer("received_at").notNull(),
    /**
     * "applied" (also while still waiting above the applier's cursor), or "failed" when the core threw on it (kept for
     * replay; see error).
     */
    status: text("status").notNull().default("applied"),
    error: text("error"),
    /** 1: sent for a test person (the editor's test event): it runs, and the reports leave it out. */
    test: integer("test").notNull().default(0),
  },
  (t) => [uniqueIndex("events_id").on(t.id), index("events_user").on(t.userId, t.seq)],
);

/**
 * How far the applier got through the log: every event with seq at or below `seq` is applied, its
 * effects committed in the same transaction that moved the cursor. The same table as on
 * PostgreSQL, with one partition (0) and `xid` always 0: the one writer hands out seq in commit order.
 */
export const applierCursors = sqliteTable("applier_cursors", {
  part: integer("part").primaryKey(),
  xid: integer("xid").notNull().default(0),
  seq: integer("seq").notNull(),
});

/** Each person's state as the core keeps it (JSON): profile, aggregates, segments, runs, caps. */
export const users = sqliteTable("users", {
  userId: text("user_id").primaryKey(),
  state: text("state").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** When each person next needs the clock, per journey ("" for segment re-checks); read by due time. */
export const timers = sqliteTable(
  "timers",
  {
    userId: text("user_id").notNull(),
    journeyId: text("journey_id").notNull(),
    dueAt: integer("due_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.journeyId] }), index("timers_due").on(t.dueAt)],
);

/**
 * Append-only: a grant key appears at most once. Besides grants (`entry` "grant"), the points wallet
 * writes its spends ("spend", key `spend:<redeem key>`, the item in `code`) and expiries ("expire",
 * key `expire:<grant key>`): a person's balance is the sum of their points grants less the rest.
 */
export const ledger = sqliteTable(
  "ledger",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    grantKey: text("grant_key").notNull(),
    entry: text("entry").notNull().default("grant"),
    userId: text("user_id").notNull(),
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    type: text("type").notNull(),
    amount: integer("amount"),
    code: text("code"),
    unit: text("unit").notNull(),
    budgetId: text("budget_id"),
    at: integer("at").notNull(),
  },
  (t) => [
    uniqueIndex("ledger_grant_key").on(t.grantKey),
    index("ledger_user").on(t.userId, t.seq),
    index("ledger_journey").on(t.journeyId, t.seq),
  ],
);

/** Budgets and entry limits: `used` only grows, and never past `cap` (guarded in the grant's transaction). */
export const counters = sqliteTable("counters", {
  key: text("key").primaryKey(),
  used: integer("used").notNull(),
  cap: integer("cap").notNull(),
});

/**
 * Coupon pools' codes, numbered in import order per pool: a grant takes the code at the pool's counter
 * (`coupon_pool/<pool>` in counters), so the codes below it are the ones handed out.
 */
export const couponPoolCodes = sqliteTable(
  "coupon_pool_codes",
  {
    pool: text("pool").notNull(),
    idx: integer("idx").notNull(),
    code: text("code").notNull(),
    addedAt: integer("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pool, t.idx] }), uniqueIndex("coupon_pool_code").on(t.pool, t.code)],
);

/** Messages and rewards to deliver, written in the same transaction as the state that caused them. */
export const outbox = sqliteTable(
  "outbox",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    userId: text("user_id").notNull(),
    journeyId: text("journey_id").notNull(),
    nodeId: text("node_id").notNull(),
    channel: text("channel").notNull(),
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
    /**
     * pending → delivered, or dead (a 4xx refusal, or its retry window passed); a re-drive makes a dead row pending
     * again.
     */
    status: text("status").notNull().default("pending"),
    /** Attempts in the current retry window. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at"),
    /** The last re-drive: the retry window runs from here instead of created_at. */
    redrivenAt: integer("redriven_at"),
  },
  (t) => [
    uniqueIndex("outbox_key").on(t.key),
    index("outbox_pending").on(t.status, t.nextAttemptAt),
    index("outbox_user").on(t.userId, t.seq),
  ],
);

/** What happened to each person and why: effects and trace notes, newest kept. */
export const timeline = sqliteTable(
  "timeline",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    userId: text("user_id").notNull(),
    at: integer("at").notNull(),
    record: text("record").notNull(),
    /**
     * When the engine committed the step (its clock): retention trims by this, not by `at`, so a replay of old events
     * keeps its "why".
     */
    recordedAt: integer("recorded_at").notNull().default(0),
  },
  (t) => [
    index("timeline_user").on(t.userId, t.seq),
    index("timeline_at").on(t.at),
    index("timeline_recorded").on(t.recordedAt),
  ],
);

/** One row the readiness check rewrites: /readyz is ready only while a write can commit (a full disk fails it). */
export const probe = sqliteTable("probe", {
  id: integer("id").primaryKey(),
  at: integer("at").notNull(),
});

/** The last journey feed seen, so the engine keeps running when the API is down. */
export const feed = sqliteTable("feed", {
  id: integer("id").primaryKey(),
  etag: text("etag"),
  body: text("body").notNull(),
  fetchedAt: integer("fetched_at").notNull(),
});

/**
 * Scheduled triggers: the next time each fires, and how far through the people it got — written
 * in the same transaction as each batch of entries, so a crash mid-audience resumes, never repeats.
 */
export const schedules = sqliteTable("schedules", {
  key: text("key").primaryKey(),
  nextAt: integer("next_at"),
  cursor: text("cursor"),
});
