import { z } from "zod";
import { UserId } from "../schema/event.ts";
import { ErrorBody } from "./errors.ts";

/**
 * The points wallet over HTTP (engine routes /v1/wallet/…): a person's balance, lots and next
 * expiry, and the redeem request with its answers. Points are integers; the balance is derived
 * from the engine's ledger (granted − spent − expired) and is never negative.
 */

const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });
const Points = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** Keys and items come from the host: short, printable. */
const Text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20), "no control characters");

/** POST /v1/wallet/redeem */
export const RedeemRequest = z
  .strictObject({
    key: Text(200).meta({ description: "Idempotency key: the same key again answers the first spend." }),
    userId: UserId,
    points: Points,
    item: Text(200).meta({ description: "What the points buy (a catalog item id), kept with the spend." }),
  })
  .meta({ description: "Spend points from a person's wallet, whole or not at all." });
export type RedeemRequest = z.infer<typeof RedeemRequest>;

/** 200: the points were spent (now, or by the first request with this key). */
export const Redeemed = z.object({
  key: z.string(),
  userId: z.string(),
  points: Points,
  item: z.string(),
  at: Instant.meta({ description: "When the spend happened (the engine's clock, or the person's if later)." }),
  balance: z.number().int().min(0).meta({ description: "The person's balance now." }),
  replayed: z.boolean().meta({ description: "True when an earlier request with this key made the spend." }),
});
export type Redeemed = z.infer<typeof Redeemed>;

/** 409 insufficient_points: nothing was spent; the balance says how far short it fell. */
export const RedeemRefused = ErrorBody.extend({
  balance: z.number().int().min(0),
  points: Points,
}).meta({ description: "Refused: the balance is less than the points asked for. Nothing was spent." });
export type RedeemRefused = z.infer<typeof RedeemRefused>;

/** GET /v1/wallet/{userId}, and `wallet` in GET /v1/users/{id}. */
export const WalletView = z.object({
  balance: z.number().int().min(0).meta({ description: "granted − spent − expired, from the ledger." }),
  granted: z.number().int().min(0),
  spent: z.number().int().min(0),
  expired: z.number().int().min(0),
  lots: z
    .array(
      z.object({
        lot: z.string().meta({ description: "The grant (its grant key)." }),
        journeyId: z.string(),
        nodeId: z.string(),
        grantedAt: Instant,
        points: Points.meta({ description: "Points granted." }),
        left: Points.meta({ description: "Points not spent nor expired yet." }),
        expiresAt: Instant.nullable(),
      }),
    )
    .meta({ description: "Grants with points left, oldest first: spends and expiries take from the first." }),
  nextExpiry: z
    .object({ at: Instant, points: Points })
    .nullable()
    .meta({ description: "The next time points expire and how many; null when none will." }),
});
export type WalletView = z.infer<typeof WalletView>;
