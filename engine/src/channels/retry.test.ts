import { describe, expect, it } from "vitest";
import { afterFailure, backoffDelay, DEFAULT_RETRY, HOUR, type RetryPolicy } from "./retry.ts";

const fixed = (r: number) => () => r;
const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...DEFAULT_RETRY, random: fixed(0), ...over });

describe("backoff", () => {
  it("doubles from 1 s per attempt", () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, policy()))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 512_000,
    ]);
  });

  it("is capped at 1 h by default, and at whatever cap is set", () => {
    expect(backoffDelay(12, policy())).toBe(2_048_000); // 2^11 s, still under the hour
    expect(backoffDelay(13, policy())).toBe(HOUR); // 2^12 s would be over it
    expect(backoffDelay(500, policy())).toBe(HOUR); // no overflow to Infinity or NaN
    expect(backoffDelay(10, policy({ maxBackoffMs: 5000 }))).toBe(5000);
  });

  it("jitters down by up to half, never past the cap, never to 0", () => {
    expect(backoffDelay(1, policy({ random: fixed(0.5) }))).toBe(750);
    expect(backoffDelay(1, policy({ random: fixed(0.999999) }))).toBe(501);
    expect(backoffDelay(40, policy({ random: fixed(0.5) }))).toBe(0.75 * HOUR);
    expect(backoffDelay(1, policy({ backoffMs: 1, random: fixed(0.999) }))).toBe(1);
    // A broken random source cannot make a delay longer than the cap or negative.
    for (const r of [-5, 7, Number.NaN]) {
      const d = backoffDelay(3, policy({ random: fixed(r) }));
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it("spreads rows that failed together (a real spread of random values)", () => {
    let x = 0.1;
    const lcg = () => (x = (x * 9301 + 49297) % 233280) / 233280;
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy({ random: lcg }))));
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) {
      expect(d).toBeGreaterThan(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });
});

describe("the retry window", () => {
  const created = Date.parse("2026-11-06T00:00:00Z");

  it("retries a failure while the window runs, backed off", () => {
    expect(afterFailure(1, created, created + 10, policy())).toEqual({
      dead: false,
      nextAttemptAt: created + 10 + 1000,
    });
    expect(afterFailure(20, created, created + 24 * HOUR, policy())).toEqual({
      dead: false,
      nextAttemptAt: created + 25 * HOUR,
    });
  });

  it("does not count attempts: the 8th, 50th or 500th failure inside the window is retried", () => {
    for (const n of [8, 50, 500]) expect(afterFailure(n, created, created + HOUR, policy()).dead).toBe(false);
  });

  it("makes the last attempt at the window's end, then gives up", () => {
    const end = created + DEFAULT_RETRY.windowMs;
    expect(afterFailure(30, created, end - 60_000, policy())).toEqual({ dead: false, nextAttemptAt: end });
    expect(afterFailure(31, created, end, policy())).toEqual({ dead: true });
    expect(afterFailure(1, created, end + 1, policy())).toEqual({ dead: true });
  });

  it("defaults to 72 h (Stripe retries for 3 days; at least a day)", () => {
    expect(DEFAULT_RETRY.windowMs).toBe(72 * HOUR);
    expect(afterFailure(1, created, created + 71 * HOUR, policy()).dead).toBe(false);
  });

  it("runs from the window start given (a re-drive's), not the row's creation", () => {
    const redriven = created + 100 * HOUR;
    expect(afterFailure(1, redriven, redriven + 71 * HOUR, policy()).dead).toBe(false);
  });

  it("a receiver down for 2 minutes dead-letters nothing (it did before: 8 attempts in about 4 min)", () => {
    let at = created;
    let attempts = 0;
    for (;;) {
      attempts++;
      const d = afterFailure(attempts, created, at, policy());
      if (d.dead) throw new Error("dead-lettered during a 2-minute outage");
      at = d.nextAttemptAt;
      if (at > created + 120_000) break;
    }
    expect(attempts).toBe(7); // 1+2+4+8+16+32+64 s: the 8th attempt, after 127 s, finds the receiver back
  });
});
