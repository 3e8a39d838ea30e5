/**
 * The API's database, SQLite (a file, the default) or PostgreSQL (a postgres:// URL), behind one
 * small interface: store functions build queries with drizzle's query builder on `store.q` from the
 * tables in `store.t` and await them, and open transactions with `store.transaction`. Where the two
 * dialects disagree (search, row locks, prepared statements) the store functions branch on
 * `store.dialect`.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import type { RunResult } from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema.ts";
import * as pgSchema from "./schema.pg.ts";
import { databaseUnavailable } from "./unavailable.ts";

/** The tables, typed as SQLite's: on PostgreSQL they are schema.pg.ts's, whose rows have the same shape. */
type Tables = typeof schema;
/**
 * The query builder, typed as SQLite's (the builders agree on select/insert/update/delete,
 * onConflict…, orderBy, limit). Await built queries: selects give rows on both; writes give a result
 * whose row count `changes()` reads. Never call .get()/.all()/.run() outside `dialect === "sqlite"`.
 */
type Q = BaseSQLiteDatabase<"sync", RunResult, typeof schema>;

export interface Store {
  readonly dialect: "sqlite" | "postgres";
  readonly q: Q;
  readonly t: Tables;
  /** Whether this handle is a transaction (nested `transaction` calls run in it). */
  readonly inTransaction: boolean;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
}
/** The database handle (not in a transaction). */
export type Db = Store;

/**
 * A PostgreSQL select as `SELECT … FOR UPDATE` (its rows locked until the transaction ends). Call it
 * only where `dialect === "postgres"`: SQLite has one writer already, and no FOR UPDATE.
 */
export function forUpdate<T>(query: PromiseLike<T>): PromiseLike<T> {
  // Q is typed as SQLite's builder, which has no .for(); on PostgreSQL the query is PostgreSQL's, which has.
  return (query as unknown as { for(strength: "update"): PromiseLike<T> }).for("update");
}

/** Rows a write touched: better-sqlite3's `changes`, node-postgres's `rowCount`. */
export function changes(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  if (typeof r.changes === "number") return r.changes;
  if (typeof r.rowCount === "number") return r.rowCount;
  throw new Error("a write returned no row count");
}

export interface OpenDatabase {
  db: Store;
  dialect: Store["dialect"];
  /** The SQLite file, or the PostgreSQL URL with its password hidden. */
  location: string;
  /** The SQLite connection (null on PostgreSQL): tests read counts through it. */
  sqlite: Sqlite.Database | null;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL("../../drizzle", import.meta.url));
const MIGRATIONS_PG = fileURLToPath(new URL("../../drizzle-pg", import.meta.url));

const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

export interface OpenOptions {
  /** SQLite: how long a write waits for a lock another process holds before it is answered 503 (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** Opens the database at `location` (a file, ":memory:", or a postgres:// URL) and applies the migrations. */
export async function openDatabase(location: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  return isPostgresUrl(location) ? openPostgres(location) : openSqlite(location, options);
}

class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  readonly t = schema;
  constructor(
    readonly q: Q,
    private readonly sqlite: Sqlite.Database,
    readonly inTransaction: boolean,
    private readonly lock: { tail: Promise<void> },
  ) {}

  /**
   * One connection, one writer: transactions queue behind each other here, and run as BEGIN
   * IMMEDIATE … COMMIT. Their bodies await only SQLite queries, which better-sqlite3 answers at
   * once, so no other request's statements run on the connection in between.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const previous = this.lock.tail;
    let release!: () => void;
    this.lock.tail = new Promise((r) => (release = r));
    await previous;
    try {
      this.sqlite.exec("BEGIN IMMEDIATE");
      try {
        const out = await fn(new SqliteStore(this.q, this.sqlite, true, this.lock));
        this.sqlite.exec("COMMIT");
        return out;
      } catch (e) {
        if (this.sqlite.inTransaction) this.sqlite.exec("ROLLBACK");
        throw e;
      }
    } finally {
      release();
    }
  }
}

/**
 * Opens (creating if needed) the SQLite file and brings it to the current schema by applying the
 * migrations drizzle-kit generated, in order, each once. WAL lets the feed and reads proceed while a
 * write commits; foreign keys are off by default in SQLite and versions rely on them.
 */
export function openSqlite(file: string, options: OpenOptions = {}): OpenDatabase {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Sqlite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // Waiting blocks the process (better-sqlite3 is synchronous), so the wait is bounded and then 503.
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  const store = new SqliteStore(db, sqlite, false, { tail: Promise.resolve() });
  return { db: store, dialect: "sqlite", location: file, sqlite, close: async () => void sqlite.close() };
}

/** PostgreSQL error codes worth running a transaction again for: serialization failure, deadlock. */
const RETRY = new Set(["40001", "40P01"]);
const ATTEMPTS = 5;

type PgDb = ReturnType<typeof drizzlePg<typeof pgSchema>>;

class PgStore implements Store {
  readonly dialect = "postgres" as const;
  // Typed as SQLite's tables (see Tables): the PostgreSQL ones have the same columns and rows.
  readonly t = pgSchema as unknown as Tables;
  constructor(
    private readonly raw: PgDb,
    readonly inTransaction: boolean,
    private readonly pool: pg.Pool | null,
  ) {}
  get q(): Q {
    // Typed as SQLite's builder (see Q): the calls routes make agree on both.
    return this.raw as unknown as Q;
  }

  /**
   * READ COMMITTED with row locks where a decision depends on a read (see lockJourney); run again on serialization
   * failure or deadlock.
   */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction || !this.pool) return fn(this);
    for (let attempt = 1; ; attempt++) {
      // The client is checked out here, not by drizzle: drizzle's pool transaction never releases a
      // client whose BEGIN failed (the connection broke while BEGIN was on the wire, as in a restart
      // under load), and ten of those would leave the pool empty for good (pg-pool.pg.test.ts). A client whose
      // connection broke is handed back as broken, so the
      // pool closes it instead of lending it out again.
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        // A transaction has the database's query API (PgTransaction extends PgDatabase), not its $client.
        return await drizzlePg(client, { schema: pgSchema }).transaction((tx) =>
          fn(new PgStore(tx as unknown as PgDb, true, null)),
        );
      } catch (e) {
        if (databaseUnavailable(e)) broken = e as Error;
        const code =
          (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
        if (attempt >= ATTEMPTS || code === undefined || !RETRY.has(code)) throw e;
      } finally {
        client.release(broken);
      }
    }
  }
}

/**
 * How long a request waits for a connection before it is answered 503 (the server is down or every connection is busy).
 */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * The pool, hardened for a server that restarts: every connection has an 'error' listener for its
 * whole life (node-postgres removes the pool's own while a client is checked out, and an 'error'
 * with no listener ends the process); connecting gives up after CONNECT_TIMEOUT_MS. A request that
 * meets a broken connection fails, and is answered 503 with Retry-After (errors.ts); the pool drops
 * broken connections and opens new ones, so the API recovers when the server is back.
 */
function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // Both listeners see an idle connection's error; this set has each error logged once.
  const logged = new WeakSet<Error>();
  const report = (e: Error) => {
    if (logged.has(e)) return;
    logged.add(e);
    console.error(`[api] PostgreSQL connection lost (the next requests may answer 503 until it is back): ${e.message}`);
  };
  pool.on("error", report);
  pool.on("connect", (client) => client.on("error", report));
  return pool;
}

async function openPostgres(url: string): Promise<OpenDatabase> {
  const pool = openPool(url);
  const raw = drizzlePg(pool, { schema: pgSchema });
  try {
    await migratePg(raw, { migrationsFolder: MIGRATIONS_PG });
  } catch (e) {
    await pool.end();
    throw new Error(`could not migrate the PostgreSQL database: ${(e as Error).message}`, { cause: e });
  }
  const u = new URL(url);
  if (u.password) u.password = "***";
  return {
    db: new PgStore(raw, false, pool),
    dialect: "postgres",
    location: u.toString(),
    sqlite: null,
    close: async () => {
      await pool.end();
    },
  };
}
