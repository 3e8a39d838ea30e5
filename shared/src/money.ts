/**
 * Integer arithmetic on minor units. A rebate of `bps` basis points of an amount is rounded down
 * to a whole minor unit, computed in BigInt so large amounts never lose precision.
 */
export function rebateAmount(amountMinor: number, bps: number, maxMinor?: number | null): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) return 0;
  if (!Number.isSafeInteger(bps) || bps <= 0) return 0;
  const raw = Number((BigInt(amountMinor) * BigInt(bps)) / 10_000n);
  return maxMinor != null ? Math.min(raw, maxMinor) : raw;
}
