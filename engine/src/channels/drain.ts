import type { SqliteStore } from "../store/sqlite/store.ts";
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
export async function drainOutbox(store: SqliteStore, channel: Channel, options: DrainOptions = {}): Promise<{ tried: number; delivered: number; dead: number }> {
  const now = options.now ?? Date.now;
  const rows = store.pendingOutbox(now(), options.batch ?? 100);
  let delivered = 0;
  let dead = 0;
  const max = options.maxAttempts ?? 8;
  const results = await Promise.all(rows.map((row) => channel.deliver(row)));
  // One transaction (one fsync) records the whole pass, not one per row.
  store.db.transaction(() => {
    rows.forEach((row, i) => {
      const result = results[i]!;
      if (result.ok) {
        store.markDelivered(row.seq, now());
        delivered++;
        return;
      }
      const attempts = row.attempts + 1;
      const isDead = !result.retry || attempts >= max;
      const delay = Math.min((options.backoffMs ?? 1000) * 2 ** (attempts - 1), options.maxBackoffMs ?? 3_600_000);
      store.markAttemptFailed(row.seq, result.error, now() + delay, isDead);
      if (isDead) dead++;
    });
  })();
  return { tried: rows.length, delivered, dead };
}
