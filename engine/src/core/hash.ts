/**
 * Experiment assignment: a stable hash of (experiment key, person) into 0..9999. Pure arithmetic on
 * the UTF-16 code units, so it is the same in every process, replay and restart, and in the browser.
 * FNV-1a spreads the input; murmur3's finaliser mixes the high bits into the low ones before `%`.
 */
export function bucketOf(experimentKey: string, userId: string): number {
  const text = `${experimentKey}\u0000${userId}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 10_000;
}
