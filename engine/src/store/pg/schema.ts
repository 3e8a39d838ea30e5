import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The engine's durable state on PostgreSQL, in one file: the same tables as SQLite
 * (store/sqlite/schema.ts) with the same guarantees, plus what several workers need to share the
 * work — a partition column on the rows workers claim, partition leases and worker heartbeats.
 * Migrations in engine/drizzle-pg are generated from this by drizzle-kit
 * (`pnpm --filter @lifeloop/engine db:generate:pg`) and applied on start.
 *
 * Times are epoch milliseconds (bigint read back as numbers); amounts are integers in minor units.
 */

/** How many hash partitions of the user id space workers lease. Fixed: it is in the schema. */
export const PARTITIONS = 32;

/** The partition of a person, computed by the database from the user id (the same for every row of theirs). */
const part = () => smallint("part").generatedAlwaysAs(sql`(hashtext(user_id) & 2147483647) % 32`).notNull();
const ms = (name: string) => bigint(name, { mode: "number" });

export const events = pgTable(
  "events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    type: text("type").notNull(),
    at: ms("at").notNull(),
    props: text("props").notNull(),
    receivedAt: ms("received_at").notNull(),
    status: text("status").notNull().default("applied"),
    error: text("error"),
    /** 1: sent for a test person (the editor's test event): it runs, and the reports leave it out. */
    test: integer("test").notNull().default(0),
    /**
     * The transaction that appended the event (pg_current_xact_id, as a number). Appliers read a
     * partition in (xid, seq) order and only below the oldest transaction still running, so a row
     * can never appear behind their cursor (sequence values commit out of order; transactions
     * below the snapshot's xmin have all ended).
     */
    xid: bigint("xid", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text::bigint)`),
    part: part(),
  },
  (t) => [
    uniqueIndex("events_id").on(t.id),
    index("events_user").on(t.userId, t.seq),
    index("events_part_xid").on(t.part, t.xid, t.seq),
  ],
);

/**
 * Per partition of hash(person): the last event applied, as (xid, seq). Every event of the partition
 * at or below it is applied, its effects committed in the transaction that moved the cursor. The
 * partition's lease holder applies it; the row is locked FOR UPDATE by each applier batch, so two
 * workers that both believe they hold it (a lease changing hands) take turns and never apply twice.
 */
export const applierCursors = pgTable("applier_cursors", {
  part: smallint("part").primaryKey(),
  xid: bigint("xid", { mode: "number" }).notNull(),
  seq: bigint("seq", { mode: "number" }).notNull(),
});

export const users = pgTable("users", {
  userId: text("user_id").primaryKey(),
  state: text("state").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const timers = pgTable(
  "timers",
  {
    userId: text("user_id").notNull(),
    journeyId: text("journey_id").notNull(),
    dueAt: ms("due_at").notNull(),
    part: part(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.journeyId] }),
    index("timers_due").on(t.dueAt),
    index("timers_part_due").on(t.part, t.dueAt),
  ],
);

/** As on SQLite (sqlite/schema.ts): grants, and the points wallet's spends and expiries (`entry`). */
export const ledger = pgTable(
  "ledger",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    grantKey: text("grant_key").notNull(),
    entry: text("entry").notNull().default("grant"),
    userId: text("user_id").notNull(),
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    type: text("type").notNull(),
    amount: bigint("amount", { mode: "number" }),
    code: text("code"),
    unit: text("unit").notNull(),
    budgetId: text("budget_id"),
    at: ms("at").notNull(),
  },
  (t) => [
    uniqueIndex("ledger_grant_key").on(t.grantKey),
    index("ledger_user").on(t.userId, t.seq),
    index("ledger_journey").on(t.journeyId, t.seq),
  ],
);

export const counters = pgTable("counters", {
  key: text("key").primaryKey(),
  used: bigint("used", { mode: "number" }).notNull(),
  cap: bigint("cap", { mode: "number" }).notNull(),
});

export const couponPoolCodes = pgTable(
  "coupon_pool_codes",
  {
    pool: text("pool").notNull(),
    idx: bigint("idx", { mode: "number" }).notNull(),
    code: text("code").notNull(),
    addedAt: bigint("added_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pool, t.idx] }), uniqueIndex("coupon_pool_code").on(t.pool, t.code)],
);

export const outbox = pgTable(
  "outbox",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    userId: text("user_id").notNull(),
    journeyId: text("journey_id").notNull(),
    nodeId: text("node_id").notNull(),
    channel: text("channel").notNull(),
    payload: text("payload").notNull(),
    createdAt: ms("created_at").notNull(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ms("next_attempt_at").notNull(),
    lastError: text("last_error"),
    deliveredAt: ms("delivered_at"),
    /** The last re-drive: the retry window runs from here instead of created_at. */
    redrivenAt: ms("redriven_at"),
    part: part(),
  },
  (t) => [
    uniqueIndex("outbox_key").on(t.key),
    index("outbox_pending").on(t.status, t.part, t.nextAttemptAt),
    index("outbox_user").on(t.userId, t.seq),
  ],
);

export const timeline = pgTable(
  "timeline",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    userId: text("user_id").notNull(),
    at: ms("at").notNull(),
    record: text("record").notNull(),
    /**
     * When the engine committed the step (its clock): retention trims by this, not by `at`, so a replay of old events
     * keeps its "why".
     */
    recordedAt: ms("recorded_at").notNull().default(0),
  },
  (t) => [
    index("timeline_user").on(t.userId, t.seq),
    index("timeline_at").on(t.at),
    index("timeline_recorded").on(t.recordedAt),
  ],
);

/** One row the readiness check rewrites: /readyz is ready only while a write can commit. */
export const probe = pgTable("probe", {
  id: integer("id").primaryKey(),
  at: ms("at").notNull(),
});

export const feed = pgTable("feed", {
  id: integer("id").primaryKey(),
  etag: text("etag"),
  body: text("body").notNull(),
  fetchedAt: ms("fetched_at").notNull(),
});

export const schedules = pgTable("schedules", {
  key: text("key").primaryKey(),
  nextAt: ms("next_at"),
  cursor: text("cursor"),
});

/**
 * Which worker holds each partition, until when (database clock, epoch ms). A lease not renewed expires and moves on.
 */
export const leases = pgTable("leases", {
  part: smallint("part").primaryKey(),
  owner: text("owner"),
  expiresAt: ms("expires_at").notNull().default(0),
});

/** Worker heartbeats: how many are alive decides each one's fair share of partitions. */
export const workers = pgTable("workers", {
  id: text("id").primaryKey(),
  seenAt: ms("seen_at").notNull(),
});

// The report facts (the same tables as sqlite/facts-schema.ts on SQLite; see docs/reports.md). Times and
// amounts are bigint (epoch ms, integer minor units), days are local day numbers.

/**
 * How far the projector got in each source: every row with seq ≤ `seq` is folded. Rows above it
 * that are already folded are in report_folded (sequence values commit out of order on
 * PostgreSQL). `fence_seq`/`fence_xid`: the next low-water mark, final once every transaction
 * that could still commit a row at or below it has ended (report/pg.ts).
 */
export const reportCursors = pgTable("report_cursors", {
  source: text("source").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  fenceSeq: bigint("fence_seq", { mode: "number" }),
  fenceXid: bigint("fence_xid", { mode: "number" }),
});

/** Rows above the cursor already folded (each once): what a later-committing lower seq is told apart from. */
export const reportFolded = pgTable(
  "report_folded",
  { source: text("source").notNull(), seq: bigint("seq", { mode: "number" }).notNull() },
  (t) => [primaryKey({ columns: [t.source, t.seq] })],
);

export const factEntries = pgTable(
  "fact_entries",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    version: integer("version").notNull(),
    runVersion: integer("run_version").notNull(),
    enteredAt: ms("entered_at").notNull(),
    cohortDay: integer("cohort_day").notNull(),
    convertedAt: ms("converted_at"),
    exitReason: text("exit_reason"),
    exitedAt: ms("exited_at"),
    nodeId: text("node_id").notNull(),
    handle: text("handle").notNull(),
    visits: integer("visits").notNull(),
    timeZone: text("time_zone").notNull().default(""),
    activeD1: integer("active_d1").notNull().default(0),
    activeD7: integer("active_d7").notNull().default(0),
    activeD30: integer("active_d30").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.userId, t.entry] }),
    index("fact_entries_user_day").on(t.userId, t.timeZone, t.cohortDay),
    index("fact_entries_cohort").on(t.journeyId, t.version, t.cohortDay),
    index("fact_entries_state").on(t.journeyId, t.exitReason, t.nodeId),
    index("fact_entries_converted").on(t.journeyId, t.convertedAt),
  ],
);

/** People the workspace holdout kept out of a journey (sqlite/facts-schema.ts says what each column is). */
export const factHoldouts = pgTable(
  "fact_holdouts",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    heldAt: ms("held_at").notNull(),
    convertedAt: ms("converted_at"),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.userId] }), index("fact_holdouts_held").on(t.journeyId, t.heldAt)],
);

export const factEntryAttributes = pgTable(
  "fact_entry_attributes",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    name: text("name").notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.userId, t.entry, t.name] }),
    index("fact_entry_attributes_value").on(t.journeyId, t.name, t.value),
  ],
);

export const factVisits = pgTable(
  "fact_visits",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    nodeId: text("node_id").notNull(),
    version: integer("version").notNull(),
    ord: integer("ord").notNull(),
    at: ms("at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.userId, t.entry, t.nodeId] }),
    index("fact_visits_node").on(t.journeyId, t.nodeId, t.userId, t.entry, t.ord),
  ],
);

export const factNodeDays = pgTable(
  "fact_node_days",
  {
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    handle: text("handle").notNull(),
    day: integer("day").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId, t.handle, t.day] })],
);

export const factArms = pgTable(
  "fact_arms",
  {
    journeyId: text("journey_id").notNull(),
    nodeId: text("node_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    version: integer("version").notNull(),
    arm: text("arm").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.nodeId, t.userId, t.entry] }),
    index("fact_arms_arm").on(t.journeyId, t.nodeId, t.arm),
  ],
);

export const factGrants = pgTable(
  "fact_grants",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    at: ms("at").notNull(),
    day: integer("day").notNull(),
    type: text("type").notNull(),
    unit: text("unit").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    budgetId: text("budget_id"),
    returnedAt: ms("returned_at"),
    /** As on SQLite (sqlite/facts-schema.ts): a coupon's redemption or lapse. */
    redeemedAt: ms("redeemed_at"),
    expiredAt: ms("expired_at"),
  },
  (t) => [
    index("fact_grants_entry").on(t.journeyId, t.userId, t.entry),
    index("fact_grants_node").on(t.journeyId, t.nodeId, t.type),
    index("fact_grants_open").on(t.userId, t.returnedAt, t.at),
  ],
);

export const factSpend = pgTable(
  "fact_spend",
  {
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    day: integer("day").notNull(),
    unit: text("unit").notNull(),
    budgetId: text("budget_id").notNull(),
    grants: bigint("grants", { mode: "number" }).notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId, t.day, t.unit, t.budgetId] })],
);

export const factRefusals = pgTable(
  "fact_refusals",
  {
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    day: integer("day").notNull(),
    reason: text("reason").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId, t.day, t.reason] })],
);

export const factActivity = pgTable(
  "fact_activity",
  {
    timeZone: text("time_zone").notNull(),
    userId: text("user_id").notNull(),
    day: integer("day").notNull(),
  },
  (t) => [primaryKey({ columns: [t.timeZone, t.userId, t.day] })],
);

export const factSegmentMoves = pgTable(
  "fact_segment_moves",
  {
    journeyId: text("journey_id").notNull(),
    week: integer("week").notNull(),
    fromSegment: text("from_segment").notNull(),
    toSegment: text("to_segment").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.week, t.fromSegment, t.toSegment] })],
);
