/**
 * Journeys and their versions in the database. Functions take a Store (the database or a
 * transaction) so each route decides what happens atomically; none of them commits on its own.
 */
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { contains } from "../db/search.ts";
import { prepared } from "../db/prepared.ts";
import { journeys, journeyVersions } from "../db/schema.ts";
import type { Store } from "../db/open.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor } from "../context.ts";
import type { CheckedDocument } from "./document.ts";
import type { JourneyStatus, JourneySummary, VersionSummary } from "./resources.ts";

export type JourneyRow = typeof journeys.$inferSelect;
export type VersionRow = typeof journeyVersions.$inferSelect;

export const etagOf = (row: Pick<JourneyRow, "revision">): string => `r${row.revision}`;

export function findJourney(db: Store, id: string): JourneyRow | undefined {
  return prepared(db, "findJourney", () => db.select().from(journeys).where(eq(journeys.id, sql.placeholder("id"))).prepare()).get({ id });
}

export function getJourney(db: Store, id: string): JourneyRow {
  const row = findJourney(db, id);
  if (!row) throw notFound(`journey "${id}"`);
  return row;
}

export const journeyExists = (db: Store) => (id: string): boolean =>
  db.select({ id: journeys.id }).from(journeys).where(eq(journeys.id, id)).get() !== undefined;

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

export function insertJourney(db: Store, doc: CheckedDocument, actor: Actor, now: Date): JourneyRow {
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
  const inserted = db.insert(journeys).values(row).onConflictDoNothing().run();
  if (inserted.changes === 0) throw new ApiError(409, "already_exists", `a journey with id "${row.id}" already exists`);
  return row;
}

/** Writes a new draft if the row is still at `expectedRevision`; the caller has checked If-Match. */
export function writeDraft(db: Store, row: JourneyRow, doc: CheckedDocument, actor: Actor, now: Date): JourneyRow {
  const next = { ...draftColumns(doc), revision: row.revision + 1, updatedAt: now.toISOString(), updatedBy: actor.name };
  const res = db
    .update(journeys)
    .set(next)
    .where(and(eq(journeys.id, row.id), eq(journeys.revision, row.revision)))
    .run();
  if (res.changes === 0) throw staleWrite(getJourney(db, row.id));
  return { ...row, ...next };
}

export function updateJourney(db: Store, row: JourneyRow, set: Partial<JourneyRow>): JourneyRow {
  db.update(journeys).set(set).where(eq(journeys.id, row.id)).run();
  return { ...row, ...set };
}

export function staleWrite(current: JourneyRow): ApiError {
  return new ApiError(409, "conflict", `the journey changed since you read it: it is at revision ${current.revision} (ETag "${etagOf(current)}"); reload or merge, then save with the new ETag`, {
    current: JSON.parse(detailJson(current)),
    headers: { ETag: `"${etagOf(current)}"` },
  });
}

/**
 * Optimistic concurrency: writes must say which revision they were made against. `*` means "any",
 * for tools that deliberately overwrite; a missing header is refused so nobody overwrites by accident.
 */
export function checkIfMatch(row: JourneyRow, header: string | undefined, required: boolean): void {
  if (header === undefined) {
    if (!required) return;
    throw new ApiError(428, "precondition_required", `send If-Match: "${etagOf(row)}" (the ETag you read) so a save cannot overwrite someone else's; If-Match: * overwrites deliberately`);
  }
  const tags = header.split(",").map((t) => t.trim());
  if (tags.includes("*")) return;
  if (!tags.some((t) => t === `"${etagOf(row)}"`)) throw staleWrite(row);
}

export type SortKey = "updated" | "created" | "name";

export interface ListQuery {
  statuses: JourneyStatus[] | null;
  q: string | null;
  sort: SortKey;
  limit: number;
  cursor: string | null;
}

const SORTS: Record<SortKey, { column: SQL; dir: "asc" | "desc" }> = {
  updated: { column: sql`${journeys.updatedAt}`, dir: "desc" },
  created: { column: sql`${journeys.createdAt}`, dir: "desc" },
  name: { column: sql`lower(${journeys.name})`, dir: "asc" },
};

/** Keyset paging: the cursor is the last item's sort value and id, so pages never skip or repeat under writes. */
export function listJourneys(db: Store, q: ListQuery): { items: JourneySummary[]; total: number; nextCursor: string | null } {
  const filters: SQL[] = [];
  if (q.statuses) filters.push(inArray(journeys.status, q.statuses));
  else filters.push(isNull(journeys.archivedAt));
  if (q.q) {
    filters.push(or(contains(journeys.name, q.q), contains(journeys.id, q.q), contains(journeys.description, q.q))!);
  }
  const where = and(...filters);
  const total = db.select({ n: count() }).from(journeys).where(where).get()?.n ?? 0;

  const sort = SORTS[q.sort];
  const page: SQL[] = [];
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    const beyond = sort.dir === "desc" ? lt(sort.column, value) : gt(sort.column, value);
    page.push(or(beyond, and(eq(sort.column, value), gt(journeys.id, id)))!);
  }
  const rows = db
    .select()
    .from(journeys)
    .where(and(where, ...page))
    .orderBy(sort.dir === "desc" ? desc(sort.column) : asc(sort.column), asc(journeys.id))
    .limit(q.limit + 1)
    .all();
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const sortValue = (r: JourneyRow) => (q.sort === "updated" ? r.updatedAt : q.sort === "created" ? r.createdAt : r.name.toLowerCase());
  return {
    items: items.map(toSummary),
    total,
    nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([sortValue(last), last.id])).toString("base64url") : null,
  };
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // Falls through to the one error below: a cursor is opaque, and any damage means the same thing.
  }
  throw new ApiError(400, "invalid_cursor", "cursor is not one this API returned", { issues: [{ path: "query.cursor", message: "not a cursor from nextCursor" }] });
}

// Versions

export function listVersions(db: Store, journey: JourneyRow): VersionSummary[] {
  return db
    .select()
    .from(journeyVersions)
    .where(eq(journeyVersions.journeyId, journey.id))
    .orderBy(desc(journeyVersions.version))
    .all()
    .map((v) => versionSummary(v, journey));
}

export function findVersion(db: Store, journeyId: string, version: number): VersionRow | undefined {
  return db
    .select()
    .from(journeyVersions)
    .where(and(eq(journeyVersions.journeyId, journeyId), eq(journeyVersions.version, version)))
    .get();
}

export function getVersion(db: Store, journeyId: string, version: number): VersionRow {
  const v = findVersion(db, journeyId, version);
  if (!v) throw notFound(`version ${version} of journey "${journeyId}"`);
  return v;
}

export function latestVersion(db: Store, journeyId: string): VersionRow | undefined {
  return db
    .select()
    .from(journeyVersions)
    .where(eq(journeyVersions.journeyId, journeyId))
    .orderBy(desc(journeyVersions.version))
    .limit(1)
    .get();
}

export function versionSummary(v: VersionRow, journey: Pick<JourneyRow, "liveVersion">): VersionSummary {
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

export function insertVersion(db: Store, row: typeof journeyVersions.$inferInsert): void {
  db.insert(journeyVersions).values(row).run();
}

/** Status follows from three facts; computed in one place so every transition agrees. */
export function statusOf(row: Pick<JourneyRow, "archivedAt" | "liveVersion" | "paused">): JourneyStatus {
  if (row.archivedAt !== null) return "archived";
  if (row.liveVersion === null) return "draft";
  return row.paused ? "paused" : "live";
}

export function refuseArchived(row: JourneyRow): void {
  if (row.archivedAt !== null) throw new ApiError(409, "archived", `journey "${row.id}" is archived; unarchive it first`);
}
