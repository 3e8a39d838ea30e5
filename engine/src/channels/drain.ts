import type { DeliveryResult, OutboxRecord, SidecarStore } from "../store/port.ts";
import type { Circuit } from "./circuit.ts";
import { afterFailure, DEFAULT_RETRY } from "./retry.ts";
import type { Channel, Delivery } from "./types.ts";

export interface DrainOptions {
  now?: () => number;
  /** Jitter source, a fraction in [0, 1) (default Math.random; tests pass a fixed one). */
  random?: () => number;
  /** A failed delivery is retried until this long after its row was created or re-driven (default 72 h). */
  retryWindowMs?: number;
  /** First retry delay; doubles per attempt, up to maxBackoffMs (defaults 1 s and 1 h), jittered. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Rows claimed per pass (default 100). */
  batch?: number;
  /** Deliveries under way at once (default 8): a hanging receiver holds at most this many. */
  concurrency?: number;
  /** The receiver's circuit (kept by the caller across passes); without one, every due row is tried. */
  circuit?: Circuit;
}

export interface DrainResult {
  /** Deliveries attempted. */
  tried: number;
  delivered: number;
  /** Dead-lettered by an attempt: refused with a 4xx, or failed after the retry window. */
  dead: number;
  /** Dead-lettered without an attempt: their window passed while the receiver's circuit was open. */
  expired: number;
  /** Claimed but not attempted because the circuit opened during the pass (due again at once). */
  released: number;
  /** Worth another pass right away: a full batch went through, or a probe just closed the circuit. */
  more: boolean;
}

const EXPIRE_BATCH = 1000;
const EXPIRE_BATCHES = 10;

/**
 * One delivery pass: claims due outbox rows and delivers them through the channel, a few at a
 * time, at least once, and records every outcome in one transaction. A failure is retried with
 * capped, jittered exponential backoff until the row's retry window has passed, then the row is
 * dead; a 4xx refusal is dead at once. Dead rows keep their last error and wait for a re-drive.
 *
 * With a circuit: nothing is claimed while it is open, one row while it lets a probe through, and
 * the pass stops taking rows the moment it opens (the rest are released untouched). When the
 * circuit opens, rows whose window has passed meanwhile are dead-lettered with the receiver's error.
 */
export async function drainOutbox(
  store: SidecarStore,
  channel: Channel,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const now = options.now ?? Date.now;
  const policy = {
    windowMs: options.retryWindowMs ?? DEFAULT_RETRY.windowMs,
    backoffMs: options.backoffMs ?? DEFAULT_RETRY.backoffMs,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULT_RETRY.maxBackoffMs,
    random: options.random ?? Math.random,
  };
  const circuit = options.circuit;
  const batch = options.batch ?? 100;
  const result: DrainResult = { tried: 0, delivered: 0, dead: 0, expired: 0, released: 0, more: false };

  const allowance = circuit ? circuit.allowance(now()) : "any";
  if (allowance === "none") return result;
  const probing = allowance === "probe";
  const rows = await store.claimOutbox(now(), probing ? 1 : batch);

  const outcomes: Array<DeliveryResult | undefined> = new Array(rows.length);
  let next = 0;
  let stopped = false;
  const deliverOne = async (row: OutboxRecord): Promise<DeliveryResult> => {
    let delivery: Delivery;
    try {
      delivery = await channel.deliver(row);
    } catch (e) {
      // A channel should answer, not throw; if one does, the row is retried like any failure.
      delivery = { ok: false, retry: true, error: (e as Error).message };
    }
    const at = now();
    if (delivery.ok) {
      circuit?.succeeded();
      return { seq: row.seq, delivered: true, at };
    }
    if (!delivery.retry) {
      // The receiver answered (it is up), and said this request will never work.
      circuit?.succeeded();
      return { seq: row.seq, delivered: false, error: delivery.error, nextAttemptAt: at, dead: true };
    }
    circuit?.failed(at, delivery.error);
    const decision = afterFailure(row.attempts + 1, row.windowStart, at, policy);
    return decision.dead
      ? { seq: row.seq, delivered: false, error: delivery.error, nextAttemptAt: at, dead: true }
      : { seq: row.seq, delivered: false, error: delivery.error, nextAttemptAt: decision.nextAttemptAt, dead: false };
  };
  const worker = async (): Promise<void> => {
    while (!stopped && next < rows.length) {
      if (circuit && !circuit.admit(now())) {
        stopped = true;
        return;
      }
      const i = next++;
      outcomes[i] = await deliverOne(rows[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 8), rows.length) }, worker));

  const recorded: DeliveryResult[] = [];
  const released: number[] = [];
  rows.forEach((row, i) => {
    const o = outcomes[i];
    if (o === undefined) released.push(row.seq);
    else recorded.push(o);
  });
  await store.recordDeliveries(recorded);
  if (released.length > 0) await store.releaseOutbox(released, now());
  for (const o of recorded) {
    if (o.delivered) result.delivered++;
    else if (o.dead) result.dead++;
  }
  result.tried = recorded.length;
  result.released = released.length;

  const after = circuit?.snapshot(now());
  if (after && after.state === "open") {
    // The receiver has just been confirmed failing (the circuit opened, or a probe failed): rows
    // whose retry window has passed meanwhile are given up now rather than never tried again.
    const error = `receiver unavailable (circuit open): ${after.lastError ?? "failing"}`;
    for (let i = 0; i < EXPIRE_BATCHES; i++) {
      const n = await store.expireOutbox(now() - policy.windowMs, error, EXPIRE_BATCH);
      result.expired += n;
      if (n < EXPIRE_BATCH) break;
    }
  }
  result.more =
    (after === undefined || after.state === "closed") &&
    released.length === 0 &&
    (rows.length === batch || (probing && result.delivered + result.dead > 0));
  return result;
}
