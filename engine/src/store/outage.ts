import { unavailableReason } from "./unavailable.ts";

export interface OutageOptions {
  /** First wait after a failure; doubles per failure in a row (default 100 ms). */
  baseMs?: number;
  /** The longest wait between attempts (default 5 s). */
  capMs?: number;
  /** Injected clock, for "works again after N s" (without it the line counts attempts only). */
  now?: () => number;
  /** What happens meanwhile, for the log line (default: "retrying with backoff (at most N s apart)"). */
  meanwhile?: string;
}

/**
 * One piece of background work (lease renewal, the timer and outbox pass, the report projector…)
 * while its store is unavailable: it keeps trying with capped exponential backoff, and says so in
 * one line when the outage starts and one when it is over — not a line per attempt. Errors that
 * are not an unavailable store (a bug, a bad row) are logged every time: backoff limits their rate.
 */
export class Outage {
  private failures = 0;
  /** Failures ever: an attempt that began before the latest one proves nothing when it succeeds. */
  private generation = 0;
  private reported = false;
  private since: number | null = null;

  constructor(
    private readonly what: string,
    private readonly log: (line: string) => void,
    private readonly options: OutageOptions = {},
  ) {}

  /** True between a failure and the next success. */
  get down(): boolean {
    return this.failures > 0;
  }

  /**
   * An attempt failed: logs it if it starts an outage (or is not one), and returns how long to wait before the next
   * attempt.
   */
  failed(e: unknown): number {
    this.failures++;
    this.generation++;
    const reason = unavailableReason(e);
    if (reason === null) {
      this.log(`lifeloop engine: ${this.what} failed: ${e instanceof Error ? e.message : String(e)}`);
    } else if (!this.reported) {
      this.reported = true;
      this.since = this.options.now?.() ?? null;
      this.log(
        `lifeloop engine: ${this.what} failing: ${reason}` +
          `; ${this.options.meanwhile ?? `retrying with backoff (at most ${(this.cap / 1000).toFixed(1)} s apart)`}` +
          "; one more line when it works again",
      );
    }
    return this.delay();
  }

  /**
   * Taken when an attempt starts, for `ok(ticket)`: when attempts run side by side (transactions
   * on a pool), one that began before the outage and committed just as it started says nothing
   * about whether the database is back.
   */
  ticket(): number {
    return this.generation;
  }

  /** An attempt worked: ends the outage (one line if one was reported), unless it began before the latest failure. */
  ok(ticket?: number): void {
    if (this.failures === 0) return;
    if (ticket !== undefined && ticket !== this.generation) return;
    if (this.reported) {
      const now = this.options.now?.();
      const took = now !== undefined && this.since !== null ? ` after ${((now - this.since) / 1000).toFixed(1)} s` : "";
      this.log(`lifeloop engine: ${this.what} works again${took} (${this.failures} failed attempt(s))`);
    }
    this.failures = 0;
    this.reported = false;
    this.since = null;
  }

  /**
   * The wait before the next attempt: base × 2^(failures − 1), capped, with ±25 % jitter (never past the cap) so
   * workers do not retry in step.
   */
  delay(): number {
    if (this.failures === 0) return 0;
    const base = this.options.baseMs ?? 100;
    const plain = Math.min(this.cap, base * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(Math.min(this.cap, plain * (0.75 + Math.random() * 0.5)));
  }

  private get cap(): number {
    return this.options.capMs ?? 5_000;
  }
}
