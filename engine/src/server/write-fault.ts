/**
 * The last write that failed for want of the store (a full disk, a database away), for /readyz.
 * Its own probe is a one-row write, and in WAL mode a row that small still fits in space the log
 * already holds while a batch of events does not: the probe alone would say "ready" to a load
 * balancer while every ingest answers 503. So readiness also holds a real write's failure, until a
 * real write succeeds or the hold runs out (then the probe decides again, and traffic comes back to
 * find out; a failure starts the hold again).
 */
export class WriteFault {
  private last: { reason: string; at: number } | null = null;

  constructor(
    private readonly now: () => number,
    /** How long a failure keeps the engine out of rotation without another one. */
    private readonly holdMs: number,
  ) {}

  failed(reason: string): void {
    this.last = { reason, at: this.now() };
  }

  /** A real write committed: the store takes writes again. */
  ok(): void {
    this.last = null;
  }

  /** Why the engine is not ready, while a failure is within the hold; null otherwise. */
  current(): string | null {
    if (!this.last) return null;
    const ago = this.now() - this.last.at;
    if (ago >= this.holdMs) return null;
    return `${this.last.reason} (a write failed ${(Math.max(0, ago) / 1000).toFixed(1)} s ago)`;
  }
}
