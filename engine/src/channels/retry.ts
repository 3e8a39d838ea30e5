/**
 * When a failed delivery is tried again, and when it is given up: the pure half of delivery (no
 * I/O, no clock, the random source passed in), so the arithmetic is tested on its own.
 *
 * A delivery is retried for a window of time from its row's creation (or from its last re-drive),
 * not for a number of attempts: a receiver that is down for an hour or a weekend gets everything
 * once it is back. Stripe retries for 3 days; so does the engine by default.
 */

export const HOUR = 3_600_000;

export interface RetryPolicy {
  /** How long after the window starts a failed delivery is still retried (default 72 h). */
  windowMs: number;
  /** First retry delay; doubles per attempt (default 1 s). */
  backoffMs: number;
  /** The delay never grows past this (default 1 h). */
  maxBackoffMs: number;
  /**
   * A fraction in [0, 1): the delay is shortened by up to half of itself, so rows failed together do not retry
   * together.
   */
  random: () => number;
}

export const DEFAULT_RETRY = { windowMs: 72 * HOUR, backoffMs: 1000, maxBackoffMs: HOUR } as const;

/**
 * The delay after the `attempts`-th failed attempt (1 for the first): `backoffMs · 2^(attempts-1)`,
 * capped at `maxBackoffMs`, then jittered down into (½·d, d] — never longer than the cap.
 */
export function backoffDelay(
  attempts: number,
  policy: Pick<RetryPolicy, "backoffMs" | "maxBackoffMs" | "random">,
): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 52);
  const delay = Math.min(policy.backoffMs * 2 ** exponent, policy.maxBackoffMs);
  const r = policy.random();
  const fraction = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  // Rounded up so a delay is never 0 ms: a retry always waits for the clock to move.
  return Math.max(1, Math.ceil(delay * (1 - fraction / 2)));
}

export type RetryDecision = { dead: true } | { dead: false; nextAttemptAt: number };

/**
 * After a retryable failure at `at` of a row whose retry window started at `windowStart`: dead when
 * the window has ended, otherwise the next attempt — backed off, but never past the window's end,
 * so the last attempt is made right at the end of the window rather than skipped.
 */
export function afterFailure(attempts: number, windowStart: number, at: number, policy: RetryPolicy): RetryDecision {
  const end = windowStart + policy.windowMs;
  if (at >= end) return { dead: true };
  return { dead: false, nextAttemptAt: Math.min(at + backoffDelay(attempts, policy), end) };
}
