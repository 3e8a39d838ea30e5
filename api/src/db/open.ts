import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import type { RunResult } from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema>;
/** The database or a transaction on it: store functions take either, so callers choose the transaction. */
export type Store = BaseSQLiteDatabase<"sync", RunResult, typeof schema>;

export interface OpenDatabase {
  db: Db;
  sqlite: Sqlite.Database;
  file: string;
  close(): void;
}

const MIGRATIONS = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * Opens (creating if needed) the SQLite file and brings it to the current schema by applying the
 * migrations drizzle-kit generated, in order, each once. WAL lets the feed and reads proceed while a
 * write commits; foreign keys are off by default in SQLite and versions rely on them.
 */
export function openDatabase(file: string): OpenDatabase {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Sqlite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return { db, sqlite, file, close: () => sqlite.close() };
}
