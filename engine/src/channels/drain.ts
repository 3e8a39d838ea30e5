import type { SidecarStore } from "../store/port.ts";
import type { Channel } from "./types.ts";

export interface DrainOptions {
  /** After this many failed attempts a row is dead-lettered. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  batch?: number;
  now?: () => number;
}

/** Delivers due outbox rows through the channel; returns how many rows it tried. At-least-once. */
export async function drainOutbox(store: SidecarStore, channel: Channel, options: DrainOptions = {}): Promise<{ tried: number; delivered: number; dead: number }> {
  const now = options.now ?? Date.now;
  const rows = await store.claimOutbox(now(), options.batch ?? 100);
  let delivered = 0;
  let dead = 0;
  const max = options.maxAttempts ?? 8;
  const results = await Promise.all(rows.map((row) => channel.deliver(row)));
  await store.recordDeliveries(
    rows.map((row, i) => {
      const result = results[i]!;
      if (result.ok) {
        delivered++;
        return { seq: row.seq, delivered: true as const, at: now() };
      }
      const attempts = row.attempts + 1;
      const isDead = !result.retry || attempts >= max;
      const delay = Math.min((options.backoffMs ?? 1000) * 2 ** (attempts - 1), options.maxBackoffMs ?? 3_600_000);
      if (isDead) dead++;
      return { seq: row.seq, delivered: false as const, error: result.error, nextAttemptAt: now() + delay, dead: isDead };
    }),
  );
  return { tried: rows.length, delivered, dead };
}
