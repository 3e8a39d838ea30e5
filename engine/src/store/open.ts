import type { SidecarStore } from "./port.ts";
import { PgStore } from "./pg/store.ts";
import { SqliteStore } from "./sqlite/store.ts";

/** True for a setting that names PostgreSQL rather than a SQLite file. */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);

/**
 * The one setting that picks the store: a `postgres://…` URL opens PostgreSQL (this process joins
 * the workers sharing that database and leases its share of partitions); anything else is a SQLite file.
 */
export async function openStore(db: string, options: { leaseTtlMs?: number; log?: (line: string) => void; now?: () => number } = {}): Promise<SidecarStore> {
  if (isPostgresUrl(db)) return PgStore.open({ url: db, leases: { ttlMs: options.leaseTtlMs ?? 10_000 }, ...(options.log ? { log: options.log } : {}), ...(options.now ? { now: options.now } : {}) });
  return new SqliteStore({ path: db });
}
