/**
 * The report's facts in a SQLite file of their own, beside the engine's (engine.sqlite ->
 * engine.facts.sqlite), with its own migrations (engine/drizzle-facts).
 *
 * Why a file: SQLite has one write lock per file. With the facts in the engine's file, the report
 * projector's batches and the engine's commits (ingest, the applier) took turns at that lock, ~70 %
 * of a flat-out load held; a projector on its own thread only moved the wait into SQLite's busy
 * handler. With a file each, the projector holds only the facts' lock and reads the timeline and
 * the log from the engine's file as a WAL reader, which never waits for a writer.
 *
 * A facts connection opens the facts file as `main` and ATTACHes the engine's file as `engine`, so
 * the projector's statements name `timeline`, `events` and the fact tables unqualified, on either
 * layout. Its transactions must be DEFERRED: BEGIN IMMEDIATE takes the write lock of every attached
 * file, the engine's included.
 *
 * In memory (tests, simulations) there is one database: the facts live in it, beside the rest.
 */
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as factSchema from "./facts-schema.ts";

const MIGRATIONS = fileURLToPath(new URL("../../../drizzle-facts", import.meta.url));
/** Its own name: in memory the facts' migrations share a database with the engine's. */
const MIGRATIONS_TABLE = "__drizzle_facts_migrations";

/** Every table the facts file keeps, from its drizzle schema. */
const FACT_TABLES: readonly string[] = Object.values(factSchema)
  .filter((v) => is(v, SQLiteTable))
  .map((t) => getTableConfig(t).name);

/** The facts file beside an engine file: engine.sqlite -> engine.facts.sqlite (data/x -> data/x.facts). */
export function factsPathOf(enginePath: string): string {
  const ext = extname(enginePath);
  return join(dirname(enginePath), `${basename(enginePath, ext)}.facts${ext}`);
}

/**
 * A connection to the facts file with the engine's file attached as `engine`. Facts are derived,
 * so its commits skip their fsync (synchronous=NORMAL): a power cut loses a batch and its cursor
 * together, and the batch is folded again; store.trimTimeline syncs them before deleting anything
 * they were folded from.
 */
export function openFactsConnection(enginePath: string, o: { busyTimeoutMs?: number } = {}): Database.Database {
  const db = new Database(factsPathOf(enginePath));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma(`busy_timeout = ${o.busyTimeoutMs ?? 1000}`);
    db.prepare("ATTACH DATABASE ? AS engine").run(enginePath);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Opens the engine's facts after its own migrations ran: migrates the facts file, then moves any
 * fact tables still in the engine's file into it (a file from before the move, 2026-12-07, has its
 * facts there; a new one has the empty tables its early migrations create). Returns the connection
 * reports and the projector use on this thread: `engine` itself when it is in memory.
 */
export function openFacts(engine: Database.Database): Database.Database {
  if (engine.memory) {
    // One database: the tables the engine's history made go, and the facts' migrations make them.
    dropLeftovers(engine, "main");
    migrate(drizzle(engine), { migrationsFolder: MIGRATIONS, migrationsTable: MIGRATIONS_TABLE });
    return engine;
  }
  const facts = openFactsConnection(engine.name);
  try {
    migrate(drizzle(facts), { migrationsFolder: MIGRATIONS, migrationsTable: MIGRATIONS_TABLE });
    moveLeftovers(facts);
    return facts;
  } catch (e) {
    facts.close();
    throw e;
  }
}

function leftovers(db: Database.Database, schema: "main" | "engine"): string[] {
  const here = new Set(
    db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table'`).pluck().all() as string[],
  );
  return FACT_TABLES.filter((t) => here.has(t));
}

function dropLeftovers(db: Database.Database, schema: "main" | "engine"): void {
  const tables = leftovers(db, schema);
  if (tables.length === 0) return;
  db.transaction(() => {
    for (const t of tables) db.exec(`DROP TABLE ${schema}.${t}`);
  }).immediate();
}

/**
 * Two commits, one per file (a transaction over attached WAL files is atomic per file only):
 * the rows into the facts file, replacing whatever an interrupted move left there, then the drop in
 * the engine's. Killed between them, the next open copies again from the tables still in place.
 */
function moveLeftovers(facts: Database.Database): void {
  const tables = leftovers(facts, "engine");
  if (tables.length === 0) return;
  facts
    .transaction(() => {
      for (const t of tables) {
        // By name: the engine's tables grew by ALTER, so their column order can differ from the new file's.
        const there = new Set(
          facts.prepare(`SELECT name FROM pragma_table_info(?, 'engine')`).pluck().all(t) as string[],
        );
        const columns = (facts.prepare(`SELECT name FROM pragma_table_info(?, 'main')`).pluck().all(t) as string[])
          .filter((c) => there.has(c))
          .map((c) => `"${c}"`)
          .join(", ");
        facts.exec(`DELETE FROM main.${t}`);
        facts.exec(`INSERT INTO main.${t} (${columns}) SELECT ${columns} FROM engine.${t}`);
      }
    })
    .deferred();
  dropLeftovers(facts, "engine");
}
