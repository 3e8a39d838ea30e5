/**
 * The API's tables, in one file so drizzle-kit can generate migrations from it. JSON documents are
 * stored as text exactly as they will be served: reads stream them out without re-serialising.
 * Instants are ISO-8601 UTC strings from the injected clock, except event times, which are epoch ms
 * because aggregates compare them as numbers.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** One row: facts about this database as a whole. */
export const workspace = sqliteTable("workspace", {
  id: integer("id").primaryKey(),
  /** Random at creation, so feed etags of two databases never coincide. */
  workspaceId: text("workspace_id").notNull(),
  /** Bumped by every change to what the engine feed serves; the feed's etag is built from it. */
  feedRevision: integer("feed_revision").notNull().default(0),
  createdAt: text("created_at").notNull(),
  samplesLoadedAt: text("samples_loaded_at"),
  /** Four eyes: a publish request waits for a second person with the approver role (see approvals). */
  requireApproval: integer("require_approval", { mode: "boolean" }).notNull().default(false),
  /** Text every message tagged as investment promotion must carry; null: none is required. */
  riskNotice: text("risk_notice"),
});

export const journeys = sqliteTable(
  "journeys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** draft (never published) | live | paused | archived. */
    status: text("status", { enum: ["draft", "live", "paused", "archived"] }).notNull(),
    /** Whether the journey is paused, kept apart from status so archiving and restoring keeps it. */
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    draft: text("draft").notNull(),
    /** Bumped on every write to the draft: the ETag of optimistic concurrency. */
    revision: integer("revision").notNull(),
    /** The compiler's issues and cost for the draft, stored at save time so reads never compile. */
    issues: text("issues").notNull(),
    cost: text("cost"),
    errorCount: integer("error_count").notNull(),
    warningCount: integer("warning_count").notNull(),
    nodeCount: integer("node_count").notNull(),
    liveVersion: integer("live_version"),
    /** The draft revision the latest version was published from: equal to revision = no unpublished changes. */
    publishedRevision: integer("published_revision"),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    updatedAt: text("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
    archivedAt: text("archived_at"),
  },
  (t) => [index("journeys_status_updated").on(t.status, t.updatedAt), index("journeys_updated").on(t.updatedAt)],
);

/** Published versions: immutable once written. */
export const journeyVersions = sqliteTable(
  "journey_versions",
  {
    journeyId: text("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    document: text("document").notNull(),
    executable: text("executable").notNull(),
    cost: text("cost").notNull(),
    /** Warnings the compiler had at publish time (errors block publishing). */
    issues: text("issues").notNull(),
    note: text("note").notNull().default(""),
    inFlight: text("in_flight", { enum: ["keep", "migrate"] }).notNull(),
    publishedAt: text("published_at").notNull(),
    publishedBy: text("published_by").notNull(),
    draftRevision: integer("draft_revision").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.version] })],
);

/** Workspace segments: a library of named conditions, previewed over stored profiles. */
export const segments = sqliteTable("segments", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  condition: text("condition").notNull(),
  revision: integer("revision").notNull(),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  updatedAt: text("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** People as the segment preview sees them: attributes folded from identify events. */
export const profiles = sqliteTable("profiles", {
  userId: text("user_id").primaryKey(),
  attributes: text("attributes").notNull(),
  eventCount: integer("event_count").notNull(),
  firstSeenAt: integer("first_seen_at").notNull(),
  lastSeenAt: integer("last_seen_at").notNull(),
});

/** Every event ingested for profiles: windowed aggregates in previews are computed from these. */
export const profileEvents = sqliteTable(
  "profile_events",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    type: text("type").notNull(),
    at: integer("at").notNull(),
    props: text("props").notNull(),
  },
  (t) => [index("profile_events_user_type_at").on(t.userId, t.type, t.at)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role", { enum: ["viewer", "editor", "publisher", "approver", "engine", "key-admin"] }).notNull(),
    /** sha-256 of the token, hex: the token itself is shown once and never stored. */
    hash: text("hash").notNull(),
    /**
     * bootstrap (made at start: no key-admin was active) | env (LIFELOOP_ENGINE_KEY) | env-editor (LIFELOOP_EDITOR_KEY)
     * | env-admin (LIFELOOP_ADMIN_KEY) | api | cli.
     */
    source: text("source").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.hash)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    detail: text("detail").notNull().default(sql`'{}'`),
  },
  (t) => [index("audit_subject").on(t.subjectType, t.subjectId, t.id), index("audit_action").on(t.action, t.id)],
);

/** The wording lint's list: phrases message text may not contain, each with the rule it breaks. */
export const forbiddenPhrases = sqliteTable(
  "forbidden_phrases",
  {
    id: text("id").primaryKey(),
    phrase: text("phrase").notNull(),
    rule: text("rule").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    updatedAt: text("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [uniqueIndex("forbidden_phrases_phrase").on(t.phrase)],
);

/**
 * Publish requests waiting for, or decided by, an approver: the version exactly as it would be
 * published (document and draft revision at request time), over which live version.
 */
export const approvals = sqliteTable(
  "approvals",
  {
    id: text("id").primaryKey(),
    journeyId: text("journey_id")
      .notNull()
      .references(() => journeys.id, { onDelete: "cascade" }),
    /** pending | approved | rejected | superseded (a newer request for the same journey). */
    status: text("status", { enum: ["pending", "approved", "rejected", "superseded"] }).notNull(),
    /** The live version the request was made over (its diff is against it); null: never published. */
    baseVersion: integer("base_version"),
    document: text("document").notNull(),
    draftRevision: integer("draft_revision").notNull(),
    /** The compiler's worst-case cost of this document, as at request time. */
    cost: text("cost").notNull(),
    note: text("note").notNull().default(""),
    inFlight: text("in_flight", { enum: ["keep", "migrate"] }).notNull(),
    requestedAt: text("requested_at").notNull(),
    requestedById: text("requested_by_id").notNull(),
    requestedBy: text("requested_by").notNull(),
    decidedAt: text("decided_at"),
    decidedById: text("decided_by_id"),
    decidedBy: text("decided_by"),
    reason: text("reason"),
    /** The version an approval published. */
    version: integer("version"),
  },
  (t) => [index("approvals_status").on(t.status, t.requestedAt), index("approvals_journey").on(t.journeyId, t.status)],
);

/**
 * One row that GET /readyz writes in a transaction it commits: readiness means a write can commit,
 * not only that a read answers.
 */
export const readiness = sqliteTable("readiness", {
  id: integer("id").primaryKey(),
  checkedAt: text("checked_at").notNull(),
});

/**
 * The redemption catalog: what points buy. Points are the engine's (its ledger); the stock is here,
 * taken by a conditional update under the row's lock (api/src/catalog/redeem.ts). stock and
 * per_person_limit null: unlimited.
 */
export const catalogItems = sqliteTable("catalog_items", {
  id: text("id").primaryKey(),
  nameEn: text("name_en").notNull(),
  nameZh: text("name_zh").notNull(),
  points: integer("points").notNull(),
  stock: integer("stock"),
  perPersonLimit: integer("per_person_limit"),
  retiredAt: text("retired_at"),
  createdAt: text("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  updatedAt: text("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/**
 * One row per redemption key: `pending` from the moment its stock is taken until the engine's
 * answer settles it (`done`), so a retry with the key takes no second item and spends nothing twice.
 */
export const catalogRedemptions = sqliteTable(
  "catalog_redemptions",
  {
    key: text("key").primaryKey(),
    itemId: text("item_id")
      .notNull()
      .references(() => catalogItems.id),
    userId: text("user_id").notNull(),
    points: integer("points").notNull(),
    status: text("status", { enum: ["pending", "done"] }).notNull(),
    createdAt: text("created_at").notNull(),
    /** The engine's answer once done: when it spent, the balance after. */
    spentAt: text("spent_at"),
    balance: integer("balance"),
    /**
     * While a request with this key is with the engine (ISO instant, past its timeout): a second request
     * with the key then waits its turn (409 in_progress) instead of asking the engine alongside.
     */
    claimedUntil: text("claimed_until"),
  },
  (t) => [index("catalog_redemptions_item_user").on(t.itemId, t.userId)],
);
