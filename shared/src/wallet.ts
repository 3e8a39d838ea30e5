/**
 * What rules and templates read of a person's points wallet, as `wallet.<field>`: the balance,
 * the points of the next expiry and when it is, and the points that expire within a few fixed
 * windows (`expiring_3d`: within 72 hours of now). The engine fills them (engine/src/core/wallet.ts);
 * validation accepts exactly these.
 */
export const EXPIRING_WITHIN_DAYS = [1, 3, 7, 14, 30] as const;

export const WALLET_FIELDS: readonly string[] = [
  "balance",
  "expiring",
  "expiring_at",
  ...EXPIRING_WITHIN_DAYS.map((d) => `expiring_${d}d`),
];

/**
 * Events the engine makes from the wallet itself, which journeys trigger on like any other:
 * `points_redeemed` when a redeem spends (props key, item, points, balance), and `points_expiring`
 * a number of days before points expire (props points, expires_at, days), for each lead a live
 * journey's trigger asks for. Hosts cannot send them (the engine refuses these types on ingest).
 */
export const POINTS_REDEEMED_EVENT = "points_redeemed";
export const POINTS_EXPIRING_EVENT = "points_expiring";
export const WALLET_EVENTS: readonly string[] = [POINTS_REDEEMED_EVENT, POINTS_EXPIRING_EVENT];
/** The most days ahead a `points_expiring` trigger may ask (a year of notice helps nobody). */
export const MAX_EXPIRING_DAYS = 90;
