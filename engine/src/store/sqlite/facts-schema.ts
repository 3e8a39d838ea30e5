import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The measurement facts on SQLite: what the report projector (report/project.ts) derives from the
 * engine's timeline and event log, in a file of their own beside the engine's, with its own
 * migrations (engine/drizzle-facts; facts.ts opens it). On PostgreSQL the same tables are in the
 * engine's database (store/pg/schema.ts). Days are local day numbers in the journey's time zone:
 * whole days since 1970-01-01. Every query in report/queries.ts reads one journey's slice of these
 * through an index.
 */

/**
 * How far the projector got in each source, saved in the same transaction as the rows it wrote; and
 * 'timeline-synced', how far of the timeline's facts a trim's synced commit made durable (store.ts).
 */
export const reportCursors = sqliteTable("report_cursors", {
  source: text("source").primaryKey(),
  seq: integer("seq").notNull(),
});

/** One row per entry: when, into which version, converted when, left how — and where the run is now. */
export const factEntries = sqliteTable(
  "fact_entries",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    /** The version entered (a report per version counts the entry here). */
    version: integer("version").notNull(),
    /** The version the run is on now (a migration moves it). */
    runVersion: integer("run_version").notNull(),
    enteredAt: integer("entered_at").notNull(),
    cohortDay: integer("cohort_day").notNull(),
    convertedAt: integer("converted_at"),
    exitReason: text("exit_reason"),
    exitedAt: integer("exited_at"),
    /** The node the run is at (while it runs) or ended at. */
    nodeId: text("node_id").notNull(),
    /** The handle the run leaves its node by, as far as the records so far say (fold state). */
    handle: text("handle").notNull(),
    /** Visits so far in this entry (fold state: the order of first visits for funnels). */
    visits: integer("visits").notNull(),
    /** The journey's time zone when the entry was folded: its local days, and the activity it is matched with. */
    timeZone: text("time_zone").notNull().default(""),
    /**
     * 1 once the person was active on local day 1, 7 or 30 after the entry day (retention), set as activity is folded.
     */
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

/**
 * The profile attributes each entry's person had when they entered (the `enter` record's bounded
 * snapshot, core/entry-attributes.ts): a breakdown groups entries by one of them.
 */
export const factEntryAttributes = sqliteTable(
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

/** First arrival of an entry at a node, with its order in the entry (funnels along a path). */
export const factVisits = sqliteTable(
  "fact_visits",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    nodeId: text("node_id").notNull(),
    version: integer("version").notNull(),
    ord: integer("ord").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.userId, t.entry, t.nodeId] }),
    index("fact_visits_node").on(t.journeyId, t.nodeId, t.userId, t.entry, t.ord),
  ],
);

/** Counters per node and local day: "" = entries that reached it (first visit), else runs that left by that handle. */
export const factNodeDays = sqliteTable(
  "fact_node_days",
  {
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    handle: text("handle").notNull(),
    day: integer("day").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId, t.handle, t.day] })],
);

/** Experiment assignments: the arm each entry got at each experiment node. */
export const factArms = sqliteTable(
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

/** One row per grant (the ledger's facts, per entry): arm cost and win-back returns. */
export const factGrants = sqliteTable(
  "fact_grants",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    userId: text("user_id").notNull(),
    entry: integer("entry").notNull(),
    at: integer("at").notNull(),
    day: integer("day").notNull(),
    type: text("type").notNull(),
    unit: text("unit").notNull(),
    amount: integer("amount").notNull(),
    budgetId: text("budget_id"),
    /** Coupons: the first activity after the grant within the win-back window (set by the activity pass). */
    returnedAt: integer("returned_at"),
    /** Coupons: when it was redeemed, or when it lapsed unredeemed (core/coupons.ts); null while open. */
    redeemedAt: integer("redeemed_at"),
    expiredAt: integer("expired_at"),
  },
  (t) => [
    index("fact_grants_entry").on(t.journeyId, t.userId, t.entry),
    index("fact_grants_node").on(t.journeyId, t.nodeId, t.type),
    index("fact_grants_open").on(t.userId, t.returnedAt, t.at),
  ],
);

/** Spend per journey, version, node, local day, unit and budget: grants and amount. */
export const factSpend = sqliteTable(
  "fact_spend",
  {
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    day: integer("day").notNull(),
    unit: text("unit").notNull(),
    budgetId: text("budget_id").notNull(),
    grants: integer("grants").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId, t.day, t.unit, t.budgetId] })],
);

/** Refusals per journey, version, node, local day and reason (cap, budget, claimed, no_amount). */
export const factRefusals = sqliteTable(
  "fact_refusals",
  {
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    nodeId: text("node_id").notNull(),
    day: integer("day").notNull(),
    reason: text("reason").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version, t.nodeId, t.day, t.reason] })],
);

/** Distinct local days each person was active on (any event but identify), per time zone in use. */
export const factActivity = sqliteTable(
  "fact_activity",
  {
    timeZone: text("time_zone").notNull(),
    userId: text("user_id").notNull(),
    day: integer("day").notNull(),
  },
  (t) => [primaryKey({ columns: [t.timeZone, t.userId, t.day] })],
);

/** Segment (tier) moves per journey and local week (its Monday): from → to ("" = none), how many. */
export const factSegmentMoves = sqliteTable(
  "fact_segment_moves",
  {
    journeyId: text("journey_id").notNull(),
    week: integer("week").notNull(),
    fromSegment: text("from_segment").notNull(),
    toSegment: text("to_segment").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.week, t.fromSegment, t.toSegment] })],
);

/**
 * One row per person the workspace holdout kept out of a journey: when first (a `not_entered`
 * holdout note) and when they first did the goal event within a held-out window (`holdout_convert`).
 * The exposed side of the incrementality report is fact_entries.
 */
export const factHoldouts = sqliteTable(
  "fact_holdouts",
  {
    journeyId: text("journey_id").notNull(),
    userId: text("user_id").notNull(),
    heldAt: integer("held_at").notNull(),
    convertedAt: integer("converted_at"),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.userId] }), index("fact_holdouts_held").on(t.journeyId, t.heldAt)],
);
