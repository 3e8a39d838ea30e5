/**
 * A circuit breaker for one receiver. After `threshold` failures in a row (connection refused,
 * timeouts, 408/429/5xx) the circuit opens: nothing is sent to the receiver for a cool-off that
 * doubles with each opening in a row (jittered, capped). When it ends, one delivery goes through as
 * a probe (half-open); its success closes the circuit, its failure opens it again for longer.
 * While the circuit is open, rows are not attempted at all, so they spend no attempts and no
 * backoff on a receiver that is known to be down, and a hanging receiver is not sent more work.
 *
 * State lives in memory, per process: a restart starts closed, which costs at most one pass of
 * failures. Time comes from the caller (the sidecar's injected clock).
 */

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitOptions {
  /** Failures in a row that open the circuit (default 5). */
  threshold: number;
  /** The first cool-off (default 10 s); doubles with each opening in a row. */
  coolOffMs: number;
  /** The cool-off never grows past this (default 5 min). */
  maxCoolOffMs: number;
  /** A fraction in [0, 1): shortens each cool-off by up to half of itself. */
  random: () => number;
}

export const DEFAULT_CIRCUIT = { threshold: 5, coolOffMs: 10_000, maxCoolOffMs: 300_000 } as const;

export interface CircuitSnapshot {
  receiver: string;
  state: CircuitState;
  /** Failures in a row so far (what opens it when closed). */
  failures: number;
  /** Openings in a row without a success (what grows the cool-off). */
  opens: number;
  /** Since when the receiver has been failing (epoch ms), while the circuit is not closed. */
  openedAt: number | null;
  /** When the next probe may go (epoch ms), while open. */
  probeAt: number | null;
  lastError: string | null;
}

export class Circuit {
  private mode: CircuitState = "closed";
  private failures = 0;
  private opens = 0;
  private openedAt: number | null = null;
  private openUntil = 0;
  private lastError: string | null = null;

  constructor(
    readonly receiver: string,
    private readonly options: CircuitOptions,
  ) {
    if (!(options.threshold >= 1)) throw new Error("circuit: threshold must be at least 1");
  }

  /** How many deliveries a pass may start now: all it likes (closed), one probe, or none. */
  allowance(now: number): "any" | "probe" | "none" {
    if (this.mode === "closed") return "any";
    if (this.mode === "open" && now >= this.openUntil) return "probe";
    return "none";
  }

  /** Takes a slot for one delivery: true when it may be sent. The probe slot is handed out once. */
  admit(now: number): boolean {
    const allowance = this.allowance(now);
    if (allowance === "probe") this.mode = "half-open";
    return allowance !== "none";
  }

  /** The receiver answered (2xx, or a 4xx that says the request is wrong: it is up either way). */
  succeeded(): void {
    this.mode = "closed";
    this.failures = 0;
    this.opens = 0;
    this.openedAt = null;
  }

  failed(now: number, error: string): void {
    this.lastError = error;
    this.failures++;
    if (this.mode === "half-open") return this.open(now);
    // A delivery that was already under way when the circuit opened does not open it again.
    if (this.mode === "closed" && this.failures >= this.options.threshold) this.open(now);
  }

  /** After a re-drive: let the next pass probe at once instead of waiting out the cool-off. */
  probeNow(now: number): void {
    if (this.mode === "open") this.openUntil = Math.min(this.openUntil, now);
  }

  snapshot(now: number): CircuitSnapshot {
    const open = this.mode === "open" && now < this.openUntil;
    return {
      receiver: this.receiver,
      state: this.mode === "closed" ? "closed" : open ? "open" : "half-open",
      failures: this.failures,
      opens: this.opens,
      openedAt: this.openedAt,
      probeAt: this.mode === "open" ? this.openUntil : null,
      lastError: this.lastError,
    };
  }

  private open(now: number): void {
    this.opens++;
    this.mode = "open";
    this.openedAt ??= now;
    this.openUntil = now + coolOff(this.opens, this.options);
  }
}

/** The cool-off after the `opens`-th opening in a row: doubling from coolOffMs, capped, jittered down into (½·d, d]. */
export function coolOff(opens: number, options: Pick<CircuitOptions, "coolOffMs" | "maxCoolOffMs" | "random">): number {
  const d = Math.min(options.coolOffMs * 2 ** Math.min(Math.max(opens, 1) - 1, 52), options.maxCoolOffMs);
  const r = options.random();
  const fraction = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.max(1, Math.ceil(d * (1 - fraction / 2)));
}
