/** Workspace segments in the database, and the resource the routes answer with. */
import { and, asc, count, eq, gt, or, type SQL } from "drizzle-orm";
import { contains } from "../db/search.ts";
import { z } from "zod";
import { Segment } from "@lifeloop/shared";
import { changes, forUpdate, type Store } from "../db/open.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor } from "../context.ts";
import { named } from "../openapi.ts";

export const SegmentResource = named(
  "SegmentResource",
  Segment.extend({
    revision: z.number().int(),
    etag: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
);
export type SegmentResource = z.infer<typeof SegmentResource>;

type Row = Store["t"]["segments"]["$inferSelect"];

export const segmentEtag = (row: Pick<Row, "revision">): string => `s${row.revision}`;

export function toResource(row: Row): SegmentResource {
  return {
    id: row.id as SegmentResource["id"],
    name: row.name,
    description: row.description,
    condition: JSON.parse(row.condition) as SegmentResource["condition"],
    revision: row.revision,
    etag: segmentEtag(row),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

async function findSegment(db: Store, id: string, lock = false): Promise<Row | undefined> {
  const { segments } = db.t;
  const query = db.q.select().from(segments).where(eq(segments.id, id)).limit(1);
  // SELECT … FOR UPDATE on PostgreSQL, so an If-Match check holds until the write commits.
  if (lock && db.dialect === "postgres") return (await forUpdate(query))[0];
  return (await query)[0];
}

export async function getSegment(db: Store, id: string, lock = false): Promise<Row> {
  const row = await findSegment(db, id, lock);
  if (!row) throw notFound(`segment "${id}"`);
  return row;
}

export const segmentExists =
  (db: Store) =>
  async (id: string): Promise<boolean> =>
    (await findSegment(db, id)) !== undefined;

/** Every segment's condition by id: what in_segment may reference. */
export async function segmentRules(db: Store, except?: string): Promise<Record<string, unknown>> {
  const { segments } = db.t;
  const out: Record<string, unknown> = {};
  for (const r of await db.q.select({ id: segments.id, condition: segments.condition }).from(segments)) {
    if (r.id !== except) out[r.id] = JSON.parse(r.condition);
  }
  return out;
}

export async function insertSegment(db: Store, s: Segment, actor: Actor, now: Date): Promise<Row> {
  const at = now.toISOString();
  const row = {
    id: s.id,
    name: s.name,
    description: s.description,
    condition: JSON.stringify(s.condition),
    revision: 1,
    createdAt: at,
    createdBy: actor.name,
    updatedAt: at,
    updatedBy: actor.name,
  };
  if (changes(await db.q.insert(db.t.segments).values(row).onConflictDoNothing()) === 0) {
    throw new ApiError(409, "already_exists", `a segment with id "${s.id}" already exists`);
  }
  return row;
}

export async function updateSegment(db: Store, row: Row, s: Segment, actor: Actor, now: Date): Promise<Row> {
  const set = {
    name: s.name,
    description: s.description,
    condition: JSON.stringify(s.condition),
    revision: row.revision + 1,
    updatedAt: now.toISOString(),
    updatedBy: actor.name,
  };
  await db.q.update(db.t.segments).set(set).where(eq(db.t.segments.id, row.id));
  return { ...row, ...set };
}

export async function listSegments(
  db: Store,
  q: { q: string | null; limit: number; cursor: string | null },
): Promise<{ items: SegmentResource[]; total: number; nextCursor: string | null }> {
  const { segments } = db.t;
  const filters: SQL[] = [];
  if (q.q) {
    filters.push(or(contains(db, segments.name, q.q), contains(db, segments.id, q.q))!);
  }
  const where = and(...filters);
  const total = (await db.q.select({ n: count() }).from(segments).where(where))[0]?.n ?? 0;
  const rows = await db.q
    .select()
    .from(segments)
    .where(and(where, ...(q.cursor ? [gt(segments.id, q.cursor)] : [])))
    .orderBy(asc(segments.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return {
    items: items.map(toResource),
    total,
    nextCursor: rows.length > q.limit ? items[items.length - 1]!.id : null,
  };
}
