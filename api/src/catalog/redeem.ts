/**
 * Redeeming a catalog item: one item from the API's stock and its points from the engine's wallet,
 * exactly once per key, both or neither.
 *
 * 1. Reserve (one API transaction): the item's row is updated first (stock − 1 only while stock is
 *    left and the item is not retired), which takes its row lock on PostgreSQL (SQLite has one
 *    writer), so the per-person count read next sees every earlier redemption of the item; then a
 *    `pending` row for the key. Over the limit, the transaction rolls back: no stock taken.
 * 2. Spend: POST /v1/wallet/redeem with the key `catalog:<key>` (the engine's own exactly-once). The
 *    row is claimed while the request is with the engine (`claimed_until`, past the engine timeout), so a
 *    second request with the key answers 409 `in_progress` (Retry-After) instead of asking alongside: two
 *    asking at once could see one refused (its release gives the stock back and deletes the row) while
 *    the other spends, points spent with no item taken.
 * 3. Settle: spent → the row is `done`. Refused (points short, key reused) or the engine not reached
 *    → the row is deleted and the stock given back by whoever deletes it (once). An answer lost
 *    after the request left (timeout, 5xx) keeps the row and its stock: the same key again asks the
 *    engine again, which replays its spend if it made one.
 */
import { and, count, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { CatalogRedeemRequest, CatalogRedemption, CatalogRefusalCode } from "@lifeloop/shared";
import type { Deps } from "../context.ts";
import { changes, type Store } from "../db/open.ts";
import { ApiError, notFound } from "../errors.ts";
import { ENGINE_TIMEOUT_MS, spendOnEngine } from "./engine-spend.ts";

/** The engine key of a catalog redemption: never one a host's direct redeem uses, for the prefix. */
const engineKey = (key: string) => `catalog:${key}`;
const RETRY_AFTER_S = 5;
const IN_PROGRESS_RETRY_S = 1;
const CLAIM_SLACK_MS = 5_000;

type Redemption = typeof import("../db/schema.ts").catalogRedemptions.$inferSelect;

function refusal(code: CatalogRefusalCode, message: string, points: number, balance: number | null) {
  return new ApiError(409, code, message, { fields: { balance, points } });
}

function keyReused(key: string, row: Redemption): ApiError {
  return new ApiError(
    422,
    "key_reused",
    `key "${key}" already redeemed "${row.itemId}" for ${row.userId}; a retry must send the same request, ` +
      "a new redemption a new key",
  );
}

/** Rolls the reservation back when its key turned out to be taken (another request got in first). */
class KeyTaken extends Error {}

/** A claim on a pending row: until the engine's answer is in, or the claim runs out (a request that died). */
interface Claim {
  now: string;
  until: string;
}

async function reserve(db: Store, itemId: string, r: CatalogRedeemRequest, claim: Claim): Promise<Redemption> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const rows = tx.t.catalogRedemptions;
        const existing = (await tx.q.select().from(rows).where(eq(rows.key, r.key)))[0];
        if (existing) {
          if (existing.itemId !== itemId || existing.userId !== r.userId) throw keyReused(r.key, existing);
          if (existing.status === "done") return existing;
          // Pending: an answer was lost (ask the engine again) or a request is with the engine now (wait).
          const claimed = await tx.q
            .update(rows)
            .set({ claimedUntil: claim.until })
            .where(
              and(
                eq(rows.key, r.key),
                eq(rows.status, "pending"),
                or(isNull(rows.claimedUntil), lte(rows.claimedUntil, claim.now)),
              ),
            );
          if (changes(claimed) === 0)
            throw new ApiError(
              409,
              "in_progress",
              `a request with key "${r.key}" is with the engine now: send this one again in ${IN_PROGRESS_RETRY_S} s ` +
                "for its result",
              {
                fields: { balance: null, points: existing.points },
                headers: { "Retry-After": String(IN_PROGRESS_RETRY_S) },
              },
            );
          return { ...existing, claimedUntil: claim.until };
        }
        const items = tx.t.catalogItems;
        const took = await tx.q
          .update(items)
          .set({ stock: sql`CASE WHEN ${items.stock} IS NULL THEN NULL ELSE ${items.stock} - 1 END` })
          .where(and(eq(items.id, itemId), isNull(items.retiredAt), or(isNull(items.stock), gt(items.stock, 0))));
        const item = (await tx.q.select().from(items).where(eq(items.id, itemId)))[0];
        if (!item) throw notFound(`catalog item "${itemId}"`);
        if (changes(took) === 0) {
          if (item.retiredAt !== null)
            throw refusal("retired", `"${itemId}" was retired at ${item.retiredAt}`, item.points, null);
          throw refusal("out_of_stock", `"${itemId}" is out of stock`, item.points, null);
        }
        if (item.perPersonLimit !== null) {
          const [mine] = await tx.q
            .select({ n: count() })
            .from(rows)
            .where(and(eq(rows.itemId, itemId), eq(rows.userId, r.userId)));
          if (Number(mine?.n ?? 0) >= item.perPersonLimit)
            throw refusal(
              "limit_reached",
              `${r.userId} has redeemed "${itemId}" ${item.perPersonLimit} times, its limit per person`,
              item.points,
              null,
            );
        }
        const row: Redemption = {
          key: r.key,
          itemId,
          userId: r.userId,
          points: item.points,
          status: "pending",
          createdAt: claim.now,
          spentAt: null,
          balance: null,
          claimedUntil: claim.until,
        };
        const inserted = await tx.q.insert(rows).values(row).onConflictDoNothing();
        if (changes(inserted) === 0) throw new KeyTaken();
        return row;
      });
    } catch (e) {
      // The key was inserted by a request that ran alongside: read it again (once is enough; the row stays).
      if (!(e instanceof KeyTaken) || attempt > 0) throw e;
    }
  }
}

/** Deletes a pending reservation and gives its item back, once: only the request that deletes the row does. */
async function release(db: Store, row: Redemption): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = tx.t.catalogRedemptions;
    const gone = await tx.q.delete(rows).where(and(eq(rows.key, row.key), eq(rows.status, "pending")));
    if (changes(gone) === 0) return;
    const items = tx.t.catalogItems;
    await tx.q
      .update(items)
      .set({ stock: sql`CASE WHEN ${items.stock} IS NULL THEN NULL ELSE ${items.stock} + 1 END` })
      .where(eq(items.id, row.itemId));
  });
}

export async function redeemItem(deps: Deps, itemId: string, r: CatalogRedeemRequest): Promise<CatalogRedemption> {
  const engine = deps.engine;
  if (!engine)
    throw new ApiError(
      503,
      "engine_not_configured",
      "no engine is configured: redemptions spend points through the engine (LIFELOOP_ENGINE_URL)",
    );
  const now = deps.clock().getTime();
  // The claim outlasts the engine call's own timeout, so it never runs out under a request still waiting.
  const claim = {
    now: new Date(now).toISOString(),
    until: new Date(now + (engine.timeoutMs ?? ENGINE_TIMEOUT_MS) + CLAIM_SLACK_MS).toISOString(),
  };
  const row = await reserve(deps.db, itemId, r, claim);
  const answer = (spentAt: string, balance: number, replayed: boolean): CatalogRedemption => ({
    key: r.key,
    itemId,
    userId: r.userId,
    points: row.points,
    at: spentAt,
    balance,
    replayed,
  });
  if (row.status === "done") return answer(row.spentAt!, row.balance!, true);

  const spent = await spendOnEngine(engine, {
    key: engineKey(r.key),
    userId: r.userId,
    points: row.points,
    item: itemId,
  });
  switch (spent.kind) {
    case "spent": {
      const rows = deps.db.t.catalogRedemptions;
      await deps.db.q
        .update(rows)
        .set({ status: "done", spentAt: spent.at, balance: spent.balance, claimedUntil: null })
        .where(eq(rows.key, r.key));
      return answer(spent.at, spent.balance, spent.replayed);
    }
    case "short":
      await release(deps.db, row);
      throw refusal("insufficient_points", spent.message, row.points, spent.balance);
    case "key_reused":
      await release(deps.db, row);
      throw new ApiError(422, "key_reused", `the engine refused the key: ${spent.message}`);
    case "not_spent":
      await release(deps.db, row);
      if (!spent.down) throw new ApiError(502, "engine_error", `nothing was redeemed: ${spent.reason}`);
      throw new ApiError(
        503,
        "engine_unavailable",
        `the engine at ${engine.url} did not answer (${spent.reason}): nothing was spent and no stock taken; ` +
          `try again in ${RETRY_AFTER_S} s with the same key`,
        { headers: { "Retry-After": String(RETRY_AFTER_S) } },
      );
    case "unknown": {
      // The same key may ask again at once: the engine spends at most once per key.
      const rows = deps.db.t.catalogRedemptions;
      await deps.db.q.update(rows).set({ claimedUntil: null }).where(eq(rows.key, r.key));
      throw new ApiError(
        503,
        "engine_unavailable",
        `the engine's answer was lost (${spent.reason}): the item stays reserved for this key; send the same ` +
          `request again in ${RETRY_AFTER_S} s to settle it (the engine spends at most once per key)`,
        { headers: { "Retry-After": String(RETRY_AFTER_S) } },
      );
    }
  }
}
