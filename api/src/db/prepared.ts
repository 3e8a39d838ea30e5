/**
 * Prepared statements for the hot reads (a journey by id, the feed revision), built once per
 * database handle (SQLite only: on PostgreSQL the callers query directly). drizzle otherwise rebuilds and re-prepares
 * the SQL on every call, which is most
 * of the cost of reading a journey. Transactions are short-lived handles: they prepare as usual.
 */
import type { Store } from "./open.ts";

const cache = new WeakMap<Store, Map<string, unknown>>();

export function prepared<T>(db: Store, key: string, build: () => T): T {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let s = statements.get(key) as T | undefined;
  if (s === undefined) {
    s = build();
    statements.set(key, s);
  }
  return s;
}
