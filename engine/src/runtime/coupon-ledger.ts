import type { UserId } from "@lifeloop/shared";
import type { Effect } from "../core/index.ts";
import type { GrantRow } from "../store/port.ts";

/**
 * A coupon's life in the ledger: issued is the reward's own row (entry "grant", type "coupon");
 * its redemption and its expiry are rows of their own (entry "redeem", "expire"), written with the
 * state change that closed it, in the same transaction. Their keys name the grant they close, so
 * a coupon is redeemed or expired once, and never collides with a points lot's expiry (a lot's key
 * is a points grant's, a coupon's a coupon grant's: one grant is never both).
 */
const couponRedeemKey = (grantKey: string) => `redeem:${grantKey}`;
const couponExpireKey = (grantKey: string) => `expire:${grantKey}`;

/** The ledger row a coupon's redemption or expiry writes: its value as the grant had it. */
export function couponLedgerRow(
  e: Extract<Effect, { kind: "coupon_redeem" | "coupon_expire" }>,
  userId: UserId,
): GrantRow {
  const redeemed = e.kind === "coupon_redeem";
  return {
    grantKey: redeemed ? couponRedeemKey(e.lot) : couponExpireKey(e.lot),
    entry: redeemed ? "redeem" : "expire",
    userId,
    journeyId: e.journeyId,
    version: e.version,
    nodeId: e.nodeId ?? "",
    type: "coupon",
    amount: e.amount,
    code: e.code,
    unit: e.unit,
    budgetId: null,
    at: e.at,
  };
}
