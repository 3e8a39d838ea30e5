/**
 * Random rewards that replay: every draw is a hash of a seed string (the grant's key, and for a red
 * packet the claim's index), never Math.random or the clock, so simulate, live and a replay agree.
 * Pure integer arithmetic on UTF-16 code units: the same in every process and in the browser.
 */

function fnv1a(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finaliser: FNV alone leaves the low bits (the ones `%` keeps) poorly mixed.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 53-bit unsigned integer from the seed: two differently based 32-bit hashes side by side. */
function luckyHash(seed: string): number {
  const high = fnv1a(seed, 0x811c9dc5) >>> 11; // 21 bits
  const low = fnv1a(seed, 0x050c5d1f); // 32 bits
  return high * 2 ** 32 + low;
}

/**
 * An integer in [min, max], both included, drawn from the seed. The modulo bias is below 2^-20 for
 * any span a reward can have (spans are far below 2^33 minor units in practice), which is no
 * operator's concern; exactness of the bounds is what matters, and that is exact.
 */
export function drawBetween(min: number, max: number, seed: string): number {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
    throw new RangeError(`drawBetween needs whole min ≤ max, got ${min} and ${max}`);
  }
  return min + (luckyHash(seed) % (max - min + 1));
}

export interface RedPacket {
  /** What the N claims add up to, exactly, in minor units (or points). */
  total: number;
  /** How many claims share the total. */
  count: number;
  /** Least any claim gets. */
  min: number;
}

/**
 * The amount of claim `index` (0-based) when `paid` has gone to the claims before it: the red-packet
 * ("拼手气红包") algorithm. Each claim but the last draws between the minimum and twice the mean of
 * what is left (the "double mean" rule, so early claimers cannot drain it), never so much that a
 * later claim would get less than the minimum; the last claim takes the remainder. So every claim is
 * ≥ min and the N claims sum to the total exactly, whoever claims in whatever order.
 * Null when there is nothing to claim: all N claimed, or a paid amount that leaves too little for the
 * claims still open (a version that lowered the total after people claimed).
 */
export function redPacketClaim(p: RedPacket, index: number, paid: number, seed: string): number | null {
  const left = p.count - index;
  const remaining = p.total - paid;
  if (left <= 0 || remaining < p.min * left) return null;
  if (left === 1) return remaining;
  // remaining ≥ min·left, so both bounds are ≥ min: floor(remaining/left) ≥ min, and what must stay
  // for the others, min·(left−1), leaves at least min for this claim.
  const upper = Math.min(2 * Math.floor(remaining / left), remaining - p.min * (left - 1));
  return drawBetween(p.min, upper, seed);
}

/**
 * The most one claim of a red packet can ever be: everything but the others' minimums (the last
 * claim, when every claim before it drew the minimum).
 */
export function redPacketMaxClaim(p: RedPacket): number {
  return p.total - p.min * (p.count - 1);
}
