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
