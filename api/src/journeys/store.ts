/**
 * Journeys and their versions in the database. Functions take a Store (the database or a
 * transaction) so each route decides what happens atomically; none of them commits on its own.
 */
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { contains } from "../db/search.ts";
import { prepared } from "../db/prepared.ts";
import type { journeys, journeyVersions } from "../db/schema.ts";
import { changes, forUpdate, type Store } from "../db/open.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor } from "../context.ts";
import type { CheckedDocument } from "./document.ts";
import type { JourneyStatus, JourneySummary, VersionSummary } from "@lifeloop/shared";

export type JourneyRow = typeof journeys.$inferSelect;
export type VersionRow = typeof journeyVersions.$inferSelect;

export const etagOf = (row: Pick<JourneyRow, "revision">): string => `r${row.revision}`;

async function findJourney(db: Store, id: string): Promise<JourneyRow | undefined> {
  const { journeys } = db.t;
  if (db.dialect === "sqlite") {
    return prepared(db, "findJourney", () =>
      db.q
        .select()
        .from(journeys)
        .where(eq(journeys.id, sql.placeholder("id")))
        .prepare(),
    ).get({ id });
  }
  return (await db.q.select().from(journeys).where(eq(journeys.id, id)))[0];
}

export async function getJourney(db: Store, id: string): Promise<JourneyRow> {
  const row = await findJourney(db, id);
  if (!row) throw notFound(`journey "${id}"`);
  return row;
}

/**
 * The journey, locked for the rest of the transaction: writes whose outcome depends on what they
 * read (the If-Match check, the next version number) take this first, so on PostgreSQL two of them
 * on one journey run one after the other (SELECT … FOR UPDATE). SQLite has one writer already.
 */
export async function lockJourney(tx: Store, id: string): Promise<JourneyRow> {
  if (tx.dialect === "sqlite") return getJourney(tx, id);
  if (!tx.inTransaction) throw new Error("lockJourney needs a transaction");
  const { journeys } = tx.t;
  const row = (await forUpdate(tx.q.select().from(journeys).where(eq(journeys.id, id))))[0];
  if (!row) throw notFound(`journey "${id}"`);
  return row;
}

export const journeyExists =
  (db: Store) =>
  async (id: string): Promise<boolean> =>
    (await db.q.select({ id: db.t.journeys.id }).from(db.t.journeys).where(eq(db.t.journeys.id, id)).limit(1)).length >
    0;

export function toSummary(row: JourneyRow): JourneySummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    paused: row.paused,
    liveVersion: row.liveVersion,
    revision: row.revision,
    etag: etagOf(row),
    hasUnpublishedChanges: row.publishedRevision === null || row.publishedRevision !== row.revision,
    problems: { errors: row.errorCount, warnings: row.warningCount },
    nodeCount: row.nodeCount,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    archivedAt: row.archivedAt,
  };
}

/**
 * The full journey as JSON text. The stored draft, issues and cost are already JSON: they are
 * spliced in rather than parsed and re-serialised, which is most of the cost of a read.
 */
export function detailJson(row: JourneyRow): string {
  const head = JSON.stringify(toSummary(row));
  return `${head.slice(0, -1)},"document":${row.draft},"issues":${row.issues},"cost":${row.cost ?? "null"}}`;
}

function draftColumns(doc: CheckedDocument) {
  return {
    name: doc.document.name,
    description: doc.document.description,
    draft: doc.text,
    issues: JSON.stringify(doc.issues),
    cost: doc.cost ? JSON.stringify(doc.cost) : null,
    errorCount: doc.issues.filter((i) => i.severity === "error").length,
    warningCount: doc.issues.filter((i) => i.severity === "warning").length,
    nodeCount: doc.document.nodes.length,
  };
}

export async function insertJourney(db: Store, doc: CheckedDocument, actor: Actor, now: Date): Promise<JourneyRow> {
  const at = now.toISOString();
  const row = {
    id: doc.document.id,
    status: "draft" as const,
    paused: false,
    revision: 1,
    liveVersion: null,
    publishedRevision: null,
    createdAt: at,
    createdBy: actor.name,
    updatedAt: at,
    updatedBy: actor.name,
    archivedAt: null,
    ...draftColumns(doc),
  };
  const inserted = await db.q.insert(db.t.journeys).values(row).onConflictDoNothing();
  if (changes(inserted) === 0)
    throw new ApiError(409, "already_exists", `a journey with id "${row.id}" already exists`);
  return row;
}

/** Writes a new draft if the row is still at `expectedRevision`; the caller has checked If-Match. */
export async function writeDraft(
  db: Store,
  row: JourneyRow,
  doc: CheckedDocument,
  actor: Actor,
  now: Date,
): Promise<JourneyRow> {
  const { journeys } = db.t;
  const next = {
    ...draftColumns(doc),
    revision: row.revision + 1,
    updatedAt: now.toISOString(),
    updatedBy: actor.name,
  };
  const res = await db.q
    .update(journeys)
    .set(next)
    .where(and(eq(journeys.id, row.id), eq(journeys.revision, row.revision)));
  if (changes(res) === 0) throw staleWrite(await getJourney(db, row.id));
  return { ...row, ...next };
}

export async function updateJourney(db: Store, row: JourneyRow, set: Partial<JourneyRow>): Promise<JourneyRow> {
  await db.q.update(db.t.journeys).set(set).where(eq(db.t.journeys.id, row.id));
  return { ...row, ...set };
}

function staleWrite(current: JourneyRow): ApiError {
  return new ApiError(
    409,
    "conflict",
    `the journey changed since you read it: it is at revision ${current.revision} (ETag ` +
      `"${etagOf(current)}"); reload or merge, then save with the new ETag`,
    {
      current: JSON.parse(detailJson(current)),
      headers: { ETag: `"${etagOf(current)}"` },
    },
  );
}

/**
 * Optimistic concurrency: writes must say which revision they were made against. `*` means "any",
 * for tools that deliberately overwrite; a missing header is refused so nobody overwrites by accident.
 */
export function checkIfMatch(row: JourneyRow, header: string | undefined, required: boolean): void {
  if (header === undefined) {
    if (!required) return;
    throw new ApiError(
      428,
      "precondition_required",
      `send If-Match: "${etagOf(row)}" (the ETag you read) so a save cannot overwrite someone else's; ` +
        `If-Match: * overwrites deliberately`,
    );
  }
  const tags = header.split(",").map((t) => t.trim());
  if (tags.includes("*")) return;
  if (!tags.some((t) => t === `"${etagOf(row)}"`)) throw staleWrite(row);
}

type SortKey = "updated" | "created" | "name";

export interface ListQuery {
  statuses: JourneyStatus[] | null;
  q: string | null;
  sort: SortKey;
  limit: number;
  cursor: string | null;
}

const SORTS: Record<SortKey, (db: Store) => { column: SQL; dir: "asc" | "desc" }> = {
  updated: ({ t }) => ({ column: sql`${t.journeys.updatedAt}`, dir: "desc" }),
  created: ({ t }) => ({ column: sql`${t.journeys.createdAt}`, dir: "desc" }),
  // COLLATE "C" on PostgreSQL: SQLite's byte order whatever the database's collation, so names sort
  // alike on both (the cursor compares with the same expression it sorts by).
  name: ({ t, dialect }) => ({
    column: dialect === "postgres" ? sql`lower(${t.journeys.name}) COLLATE "C"` : sql`lower(${t.journeys.name})`,
    dir: "asc",
  }),
};

/** Keyset paging: the cursor is the last item's sort value and id, so pages never skip or repeat under writes. */
export async function listJourneys(
  db: Store,
  q: ListQuery,
): Promise<{ items: JourneySummary[]; total: number; nextCursor: string | null }> {
  const { journeys } = db.t;
  const filters: SQL[] = [];
  if (q.statuses) filters.push(inArray(journeys.status, q.statuses));
  else filters.push(isNull(journeys.archivedAt));
  if (q.q) {
    filters.push(
      or(contains(db, journeys.name, q.q), contains(db, journeys.id, q.q), contains(db, journeys.description, q.q))!,
    );
  }
  const where = and(...filters);
  const total = (await db.q.select({ n: count() }).from(journeys).where(where))[0]?.n ?? 0;

  const sort = SORTS[q.sort](db);
  const page: SQL[] = [];
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    const beyond = sort.dir === "desc" ? lt(sort.column, value) : gt(sort.column, value);
    page.push(or(beyond, and(eq(sort.column, value), gt(journeys.id, id)))!);
  }
  const rows = await db.q
    .select()
    .from(journeys)
    .where(and(where, ...page))
    .orderBy(sort.dir === "desc" ? desc(sort.column) : asc(sort.column), asc(journeys.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const sortValue = (r: JourneyRow) =>
    q.sort === "updated" ? r.updatedAt : q.sort === "created" ? r.createdAt : r.name.toLowerCase();
  return {
    items: items.map(toSummary),
    total,
    nextCursor:
      rows.length > q.limit && last
        ? Buffer.from(JSON.stringify([sortValue(last), last.id])).toString("base64url")
        : null,
  };
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // Falls through to the one error below: a cursor is opaque, and any damage means the same thing.
  }
  throw new ApiError(400, "invalid_cursor", "cursor is not one this API returned", {
    issues: [{ path: "query.cursor", message: "not a cursor from nextCursor" }],
  });
}

// Versions

export async function listVersions(db: Store, journey: JourneyRow): Promise<VersionSummary[]> {
  const { journeyVersions } = db.t;
  const rows = await db.q
    .select()
    .from(journeyVersions)
    .where(eq(journeyVersions.journeyId, journey.id))
    .orderBy(desc(journeyVersions.version));
  return rows.map((v) => versionSummary(v, journey));
}

export async function findVersion(db: Store, journeyId: string, version: number): Promise<VersionRow | undefined> {
  const { journeyVersions } = db.t;
  return (
    await db.q
      .select()
      .from(journeyVersions)
      .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)))
      .limit(1)
  )[0];
}

export async function getVersion(db: Store, journeyId: string, version: number): Promise<VersionRow> {
  const v = await findVersion(db, journeyId, version);
  if (!v) throw notFound(`version ${version} of journey "${journeyId}"`);
  return v;
}

export async function latestVersion(db: Store, journeyId: string): Promise<VersionRow | undefined> {
  const { journeyVersions } = db.t;
  return (
    await db.q
      .select()
      .from(journeyVersions)
      .where(eq(journeyVersions.journeyId, journeyId))
      .orderBy(desc(journeyVersions.version))
      .limit(1)
  )[0];
}

function versionSummary(v: VersionRow, journey: Pick<JourneyRow, "liveVersion">): VersionSummary {
  return {
    journeyId: v.journeyId,
    version: v.version,
    publishedAt: v.publishedAt,
    publishedBy: v.publishedBy,
    note: v.note,
    inFlight: v.inFlight,
    draftRevision: v.draftRevision,
    cost: JSON.parse(v.cost) as VersionSummary["cost"],
    warnings: (JSON.parse(v.issues) as unknown[]).length,
    live: journey.liveVersion === v.version,
  };
}

export function versionJson(v: VersionRow, journey: Pick<JourneyRow, "liveVersion">): string {
  const head = JSON.stringify(versionSummary(v, journey));
  return `${head.slice(0, -1)},"document":${v.document},"executable":${v.executable},"issues":${v.issues}}`;
}

export async function insertVersion(db: Store, row: typeof journeyVersions.$inferInsert): Promise<void> {
  await db.q.insert(db.t.journeyVersions).values(row);
}

/** Status follows from three facts; computed in one place so every transition agrees. */
export function statusOf(row: Pick<JourneyRow, "archivedAt" | "liveVersion" | "paused">): JourneyStatus {
  if (row.archivedAt !== null) return "archived";
  if (row.liveVersion === null) return "draft";
  return row.paused ? "paused" : "live";
}

export function refuseArchived(row: JourneyRow): void {
  if (row.archivedAt !== null)
    throw new ApiError(409, "archived", `journey "${row.id}" is archived; unarchive it first`);
}
