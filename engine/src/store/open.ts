import { Outage } from "./outage.ts";
import type { SidecarStore } from "./port.ts";
import { PgStore } from "./pg/store.ts";
import { SqliteStore } from "./sqlite/store.ts";
import { unavailableReason } from "./unavailable.ts";

/** True for a setting that names PostgreSQL rather than a SQLite file. */
const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);

/**
 * The one setting that picks the store: a `postgres://…` URL opens PostgreSQL (this process joins
 * the workers sharing that database and leases its share of partitions); anything else is a SQLite file.
 */
export async function openStore(db: string, options: OpenOptions = {}): Promise<SidecarStore> {
  if (isPostgresUrl(db)) return openPostgres(db, options);
  return new SqliteStore({ path: db, backgroundCheckpoints: { log: options.log ?? ((line) => console.error(line)) } });
}

export interface OpenOptions {
  leaseTtlMs?: number;
  log?: (line: string) => void;
  now?: () => number;
  /**
   * PostgreSQL: how long start-up waits for an unavailable server before giving up (default 5 min; 0 = fail at once).
   */
  startWaitMs?: number;
}

/**
 * A worker that starts before its database (a deploy, a failover, a machine booting) waits for it
 * with capped backoff and one log line, instead of exiting for its supervisor to restart it in a
 * loop. Anything but an unavailable server (a wrong password, a bad URL) fails at once.
 */
async function openPostgres(url: string, options: OpenOptions): Promise<PgStore> {
  const log = options.log ?? (() => {});
  const outage = new Outage("connecting to PostgreSQL at start", log, {
    ...(options.now ? { now: options.now } : {}),
    capMs: 2_000,
    meanwhile: "waiting for it (with backoff, at most 2 s apart)",
  });
  const started = performance.now();
  const limit = options.startWaitMs ?? 300_000;
  for (;;) {
    try {
      const store = await PgStore.open({
        url,
        leases: { ttlMs: options.leaseTtlMs ?? 10_000 },
        log,
        ...(options.now ? { now: options.now } : {}),
      });
      outage.ok();
      return store;
    } catch (e) {
      if (unavailableReason(e) === null || performance.now() - started >= limit) throw e;
      const wait = outage.failed(e);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
