/**
 * Readiness: the database answers and a write commits. One row in `readiness` is written in a
 * transaction of its own (on SQLite that takes the write lock, so a file locked by another process,
 * a full disk or a read-only file all show here; on PostgreSQL it needs a live primary that can
 * write its WAL). /health stays a liveness check that touches nothing.
 */
import type { Store } from "./open.ts";
import { databaseUnavailable } from "./unavailable.ts";

export type Readiness = { ready: true } | { ready: false; reason: string; retryAfter: number };

/** How long the check may take before it counts as not ready (a server that accepts connections and then hangs). */
const READY_TIMEOUT_MS = 3_000;

export async function checkReady(db: Store, now: Date, timeoutMs = READY_TIMEOUT_MS): Promise<Readiness> {
  const { readiness } = db.t;
  const write = db.transaction(async (tx) => {
    const checkedAt = now.toISOString();
    await tx.q
      .insert(readiness)
      .values({ id: 1, checkedAt })
      .onConflictDoUpdate({ target: readiness.id, set: { checkedAt } });
  });
  // Settled either way, so a write that fails after the deadline is still handled (and ignored: the answer went out).
  const settled = write.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), timeoutMs)));
  try {
    const outcome = await Promise.race([settled, late]);
    if (outcome === "late")
      return { ready: false, reason: `the database did not commit a write within ${timeoutMs} ms`, retryAfter: 2 };
    if (outcome.ok) return { ready: true };
    const down = databaseUnavailable(outcome.error);
    if (down) return { ready: false, reason: down.reason, retryAfter: down.retryAfter };
    throw outcome.error;
  } finally {
    clearTimeout(timer);
  }
}
