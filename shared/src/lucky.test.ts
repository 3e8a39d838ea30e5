import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawBetween, redPacketClaim, redPacketMaxClaim, type RedPacket } from "./lucky.ts";

/** Claims a packet to the end, one person per claim, as the engine does with its counters. */
function claimAll(p: RedPacket, seed: string): number[] {
  const claims: number[] = [];
  let paid = 0;
  for (let i = 0; ; i++) {
    const a = redPacketClaim(p, i, paid, `${seed}/u${i}#${i}`);
    if (a === null) return claims;
    claims.push(a);
    paid += a;
  }
}

const packets = fc
  .record({ count: fc.integer({ min: 1, max: 200 }), min: fc.integer({ min: 1, max: 10_000 }) })
  .chain(({ count, min }) =>
    fc.record({
      count: fc.constant(count),
      min: fc.constant(min),
      total: fc.integer({ min: count * min, max: count * min + 10_000_000 }),
    }),
  );

describe("random rewards", () => {
  it("draws within [min, max], both reachable, the same for the same seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.string(),
        (min, span, seed) => {
          const a = drawBetween(min, min + span, seed);
          expect(a).toBeGreaterThanOrEqual(min);
          expect(a).toBeLessThanOrEqual(min + span);
          expect(Number.isSafeInteger(a)).toBe(true);
          expect(drawBetween(min, min + span, seed)).toBe(a);
        },
      ),
    );
    const seen = new Set(Array.from({ length: 200 }, (_, i) => drawBetween(1, 3, `s${i}`)));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(drawBetween(7, 7, "x")).toBe(7);
    expect(() => drawBetween(5, 4, "x")).toThrow(RangeError);
  });

  it("spreads draws evenly: 10,000 seeds over 1..10 land within 10 % of 1,000 each", () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) counts[drawBetween(1, 10, `journey/node/u${i}/1`) - 1]! += 1;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
  });

  it("splits a red packet exactly: N claims, each within bounds, summing to the total; claim N+1 gets nothing", () => {
    fc.assert(
      fc.property(packets, fc.string(), (p, seed) => {
        const claims = claimAll(p, seed);
        expect(claims).toHaveLength(p.count);
        expect(claims.reduce((s, a) => s + a, 0)).toBe(p.total);
        for (const a of claims) {
          expect(Number.isSafeInteger(a)).toBe(true);
          expect(a).toBeGreaterThanOrEqual(p.min);
          expect(a).toBeLessThanOrEqual(redPacketMaxClaim(p));
        }
        expect(redPacketClaim(p, p.count, p.total, seed)).toBeNull();
      }),
    );
  });

  it("keeps an early claim within twice the mean of what is left", () => {
    fc.assert(
      fc.property(
        packets.filter((p) => p.count >= 2),
        fc.string(),
        (p, seed) => {
          const first = redPacketClaim(p, 0, 0, seed)!;
          expect(first).toBeLessThanOrEqual(2 * Math.floor(p.total / p.count));
        },
      ),
    );
  });

  it("gives the exact minimum to all when the total is N × min, and the whole total to a single claim", () => {
    expect(claimAll({ total: 500, count: 5, min: 100 }, "x")).toEqual([100, 100, 100, 100, 100]);
    expect(claimAll({ total: 888, count: 1, min: 1 }, "x")).toEqual([888]);
  });

  it("refuses a claim when what is left cannot cover the open claims' minimums", () => {
    expect(redPacketClaim({ total: 1000, count: 5, min: 100 }, 2, 800, "x")).toBeNull();
    expect(redPacketClaim({ total: 1000, count: 5, min: 100 }, 2, 700, "x")).toBe(100);
  });
});
