/**
 * The redemption catalog's items in the API's database: list, create, update, retire. The stock
 * column is also written by redemptions (redeem.ts), so an update that sets it restocks to that
 * number; everything else about an item is the marketer's.
 */
import { and, asc, count, eq } from "drizzle-orm";
import type { CatalogItem, CatalogItemFields, CatalogItemInput } from "@lifeloop/shared";
import type { Actor } from "../context.ts";
import type { Store } from "../db/open.ts";

type Row = typeof import("../db/schema.ts").catalogItems.$inferSelect;

function toItem(row: Row, redeemed: number): CatalogItem {
  return {
    id: row.id,
    name: { en: row.nameEn, zh: row.nameZh },
    points: row.points,
    stock: row.stock,
    perPersonLimit: row.perPersonLimit,
    redeemed,
    retiredAt: row.retiredAt,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/** Settled redemptions per item. */
async function redeemedCounts(db: Store): Promise<Map<string, number>> {
  const r = db.t.catalogRedemptions;
  const rows = await db.q
    .select({ itemId: r.itemId, n: count() })
    .from(r)
    .where(eq(r.status, "done"))
    .groupBy(r.itemId);
  return new Map(rows.map((x) => [x.itemId, Number(x.n)]));
}

export async function listItems(db: Store): Promise<CatalogItem[]> {
  const t = db.t.catalogItems;
  const rows = await db.q.select().from(t).orderBy(asc(t.createdAt), asc(t.id));
  const counts = await redeemedCounts(db);
  return rows.map((row) => toItem(row, counts.get(row.id) ?? 0));
}

export async function readItem(db: Store, id: string): Promise<CatalogItem | null> {
  const t = db.t.catalogItems;
  const row = (await db.q.select().from(t).where(eq(t.id, id)))[0];
  if (!row) return null;
  const r = db.t.catalogRedemptions;
  const [done] = await db.q
    .select({ n: count() })
    .from(r)
    .where(and(eq(r.itemId, id), eq(r.status, "done")));
  return toItem(row, Number(done?.n ?? 0));
}

const columns = (f: CatalogItemFields) => ({
  nameEn: f.name.en,
  nameZh: f.name.zh,
  points: f.points,
  stock: f.stock,
  perPersonLimit: f.perPersonLimit,
});

export async function insertItem(db: Store, input: CatalogItemInput, actor: Actor, at: string): Promise<void> {
  await db.q.insert(db.t.catalogItems).values({
    id: input.id,
    ...columns(input),
    retiredAt: null,
    createdAt: at,
    createdBy: actor.name,
    updatedAt: at,
    updatedBy: actor.name,
  });
}

export async function updateItem(db: Store, id: string, f: CatalogItemFields, actor: Actor, at: string) {
  const t = db.t.catalogItems;
  await db.q
    .update(t)
    .set({ ...columns(f), updatedAt: at, updatedBy: actor.name })
    .where(eq(t.id, id));
}

export async function retireItem(db: Store, id: string, actor: Actor, at: string): Promise<void> {
  const t = db.t.catalogItems;
  await db.q.update(t).set({ retiredAt: at, updatedAt: at, updatedBy: actor.name }).where(eq(t.id, id));
}
