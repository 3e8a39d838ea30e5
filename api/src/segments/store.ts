/** Workspace segments in the database, and the resource the routes answer with. */
import { and, asc, count, eq, gt, or, type SQL } from "drizzle-orm";
import { contains } from "../db/search.ts";
import { z } from "zod";
import { Segment } from "@lifeloop/shared";
import { segments } from "../db/schema.ts";
import type { Store } from "../db/open.ts";
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

type Row = typeof segments.$inferSelect;

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

export function findSegment(db: Store, id: string): Row | undefined {
  return db.select().from(segments).where(eq(segments.id, id)).get();
}

export function getSegment(db: Store, id: string): Row {
  const row = findSegment(db, id);
  if (!row) throw notFound(`segment "${id}"`);
  return row;
}

export const segmentExists = (db: Store) => (id: string): boolean => findSegment(db, id) !== undefined;

/** Every segment's condition by id: what in_segment may reference. */
export function segmentRules(db: Store, except?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of db.select({ id: segments.id, condition: segments.condition }).from(segments).all()) {
    if (r.id !== except) out[r.id] = JSON.parse(r.condition);
  }
  return out;
}

export function insertSegment(db: Store, s: Segment, actor: Actor, now: Date): Row {
  const at = now.toISOString();
  const row = { id: s.id, name: s.name, description: s.description, condition: JSON.stringify(s.condition), revision: 1, createdAt: at, createdBy: actor.name, updatedAt: at, updatedBy: actor.name };
  if (db.insert(segments).values(row).onConflictDoNothing().run().changes === 0) {
    throw new ApiError(409, "already_exists", `a segment with id "${s.id}" already exists`);
  }
  return row;
}

export function updateSegment(db: Store, row: Row, s: Segment, actor: Actor, now: Date): Row {
  const set = { name: s.name, description: s.description, condition: JSON.stringify(s.condition), revision: row.revision + 1, updatedAt: now.toISOString(), updatedBy: actor.name };
  db.update(segments).set(set).where(eq(segments.id, row.id)).run();
  return { ...row, ...set };
}

export function listSegments(db: Store, q: { q: string | null; limit: number; cursor: string | null }): { items: SegmentResource[]; total: number; nextCursor: string | null } {
  const filters: SQL[] = [];
  if (q.q) {
    filters.push(or(contains(segments.name, q.q), contains(segments.id, q.q))!);
  }
  const where = and(...filters);
  const total = db.select({ n: count() }).from(segments).where(where).get()?.n ?? 0;
  const rows = db
    .select()
    .from(segments)
    .where(and(where, ...(q.cursor ? [gt(segments.id, q.cursor)] : [])))
    .orderBy(asc(segments.id))
    .limit(q.limit + 1)
    .all();
  const items = rows.slice(0, q.limit);
  return { items: items.map(toResource), total, nextCursor: rows.length > q.limit ? items[items.length - 1]!.id : null };
}
