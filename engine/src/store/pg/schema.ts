import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, pgTable, primaryKey, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";

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
  },
  (t) => [uniqueIndex("events_id").on(t.id), index("events_user").on(t.userId, t.seq)],
);

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
  (t) => [primaryKey({ columns: [t.userId, t.journeyId] }), index("timers_due").on(t.dueAt), index("timers_part_due").on(t.part, t.dueAt)],
);

export const ledger = pgTable(
  "ledger",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    grantKey: text("grant_key").notNull(),
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
  (t) => [uniqueIndex("ledger_grant_key").on(t.grantKey), index("ledger_user").on(t.userId, t.seq), index("ledger_journey").on(t.journeyId, t.seq)],
);

export const counters = pgTable("counters", {
  key: text("key").primaryKey(),
  used: bigint("used", { mode: "number" }).notNull(),
  cap: bigint("cap", { mode: "number" }).notNull(),
});

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
    part: part(),
  },
  (t) => [uniqueIndex("outbox_key").on(t.key), index("outbox_pending").on(t.status, t.part, t.nextAttemptAt), index("outbox_user").on(t.userId, t.seq)],
);

export const timeline = pgTable(
  "timeline",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    userId: text("user_id").notNull(),
    at: ms("at").notNull(),
    record: text("record").notNull(),
  },
  (t) => [index("timeline_user").on(t.userId, t.seq), index("timeline_at").on(t.at)],
);

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

/** Which worker holds each partition, until when (database clock, epoch ms). A lease not renewed expires and moves on. */
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
