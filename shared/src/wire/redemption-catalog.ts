import { z } from "zod";
import { UserId } from "../schema/event.ts";
import { ErrorBody } from "./errors.ts";

/**
 * The redemption catalog over HTTP (API routes /v1/catalog/items…): what points buy (a fee waiver,
 * a data plan, a video membership, a credit-limit coupon), its price in integer points, its stock
 * and how many one person may redeem. The API keeps the items and their stock; the points are the
 * engine's, spent through its idempotent redeem. The editor shows and edits the same shapes.
 */

/** An item's id: what a spend in the engine's ledger names as its `item`. */
export const CatalogItemId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "lower-case letters, digits, '_' or '-' (at most 64)");

const ItemName = z.string().trim().min(1, "must not be empty").max(100);
const Count = (max: number) => z.number().int().min(0).max(max);

/** POST /v1/catalog/items (with `id`), PUT /v1/catalog/items/{itemId} (without). */
export const CatalogItemFields = z.strictObject({
  name: z.strictObject({ en: ItemName, zh: ItemName }).meta({ description: "The item's name in English and Chinese." }),
  points: z.number().int().min(1).max(1_000_000_000).meta({ description: "Its price in points (an integer)." }),
  stock: Count(1_000_000_000)
    .nullable()
    .meta({ description: "How many are left to redeem; null: unlimited. Each redemption takes one." }),
  perPersonLimit: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullable()
    .meta({ description: "How many one person may redeem in all; null: no limit." }),
});
export type CatalogItemFields = z.infer<typeof CatalogItemFields>;

export const CatalogItemInput = CatalogItemFields.extend({ id: CatalogItemId });
export type CatalogItemInput = z.infer<typeof CatalogItemInput>;

export const CatalogItem = z.object({
  id: z.string(),
  name: z.object({ en: z.string(), zh: z.string() }),
  points: z.number().int(),
  stock: z.number().int().nullable(),
  perPersonLimit: z.number().int().nullable(),
  redeemed: z.number().int().min(0).meta({ description: "Redemptions settled so far." }),
  retiredAt: z.string().nullable().meta({ description: "When it was retired (nobody can redeem it since), or null." }),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

export const CatalogItemList = z.object({ items: z.array(CatalogItem) });
export type CatalogItemList = z.infer<typeof CatalogItemList>;

/** POST /v1/catalog/items/{itemId}/redeem */
export const CatalogRedeemRequest = z
  .strictObject({
    key: z
      .string()
      .min(1)
      .max(150)
      .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces")
      .meta({ description: "Idempotency key: the same key again answers the first redemption." }),
    userId: UserId,
  })
  .meta({ description: "Redeem one of the item for a person: its points are spent, one is taken from its stock." });
export type CatalogRedeemRequest = z.infer<typeof CatalogRedeemRequest>;

export const CatalogRedemption = z.object({
  key: z.string(),
  itemId: z.string(),
  userId: z.string(),
  points: z.number().int(),
  at: z.string().meta({ description: "When the engine spent the points." }),
  balance: z.number().int().min(0).meta({ description: "The person's balance after the spend." }),
  replayed: z.boolean().meta({ description: "True when an earlier request with this key redeemed." }),
});
export type CatalogRedemption = z.infer<typeof CatalogRedemption>;

/**
 * Why a redemption was refused whole (nothing spent, no stock taken by this request). `in_progress`: a
 * request with the same key is with the engine right now; send it again after Retry-After for its result.
 */
export const CATALOG_REFUSALS = [
  "insufficient_points",
  "out_of_stock",
  "limit_reached",
  "retired",
  "in_progress",
] as const;
export type CatalogRefusalCode = (typeof CATALOG_REFUSALS)[number];

/** 409: `error.code` is one of CATALOG_REFUSALS. */
export const CatalogRedeemRefused = ErrorBody.extend({
  balance: z.number().int().min(0).nullable().meta({ description: "The balance, when points were short." }),
  points: z.number().int(),
}).meta({ description: "Refused whole: nothing was spent and no stock taken." });
export type CatalogRedeemRefused = z.infer<typeof CatalogRedeemRefused>;
