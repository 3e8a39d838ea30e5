import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EventId, UserId } from "@lifeloop/shared";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { zonesOf } from "../../report/index.ts";
import { ReportProjector } from "../../report/project.ts";
import { DurableEngine } from "../../runtime/durable.ts";
import { toCoreEvent } from "../../simulate.ts";
import { sampleEvents, sampleWorld } from "../../testing/samples.ts";
import { factsPathOf } from "./facts.ts";
import { SqliteStore } from "./store.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-facts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database, schema = "main") =>
  db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
const rows = (db: Database.Database, sql: string) => db.prepare(sql).all();

/**
 * An engine file as the store wrote it up to migration 0013, the facts inside it: the engine's
 * migrations run from a copy of the folder whose journal stops there.
 */
function fileFromBeforeTheMove(path: string): void {
  const folder = join(dir, `drizzle-${path.replace(/\W/g, "")}`);
  cpSync(fileURLToPath(new URL("../../../drizzle", import.meta.url)), folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith("0013_"));
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(drizzle(db), { migrationsFolder: folder });
  db.exec(`
    INSERT INTO report_cursors (source, seq) VALUES ('timeline', 41), ('events', 17);
    INSERT INTO fact_activity (time_zone, user_id, day) VALUES ('Asia/Shanghai', 'u1', 20400), ('UTC', 'u2', 20401);
    INSERT INTO fact_node_days (journey_id, version, node_id, handle, day, n) VALUES ('j', 1, 'n', '', 20400, 3);
  `);
  db.close();
}

describe("the report's facts in a file of their own", () => {
  it("lives beside the engine's file, with the fact tables and cursors there and none left in the engine's", () => {
    expect(factsPathOf("/data/engine.sqlite")).toBe("/data/engine.facts.sqlite");
    expect(factsPathOf("/data/lifeloop")).toBe("/data/lifeloop.facts");
    const store = new SqliteStore({ path: join(dir, "new.sqlite") });
    expect(existsSync(join(dir, "new.facts.sqlite"))).toBe(true);
    expect(tables(store.db).filter((t) => t.startsWith("fact_") || t === "report_cursors")).toEqual([]);
    expect(tables(store.facts)).toContain("fact_entries");
    expect(tables(store.facts)).toContain("report_cursors");
    // The engine's file is attached to the facts connection: the projector reads the timeline through it.
    expect(tables(store.facts, "engine")).toContain("timeline");
    store.close();
  });

  it("moves the facts of a file from before the move into the new file, rows and cursors, once", () => {
    const path = join(dir, "old.sqlite");
    fileFromBeforeTheMove(path);
    const store = new SqliteStore({ path });
    expect(tables(store.db)).not.toContain("fact_activity");
    expect(tables(store.db)).not.toContain("report_cursors");
    expect(rows(store.facts, "SELECT source, seq FROM report_cursors ORDER BY source")).toEqual([
      { source: "events", seq: 17 },
      { source: "timeline", seq: 41 },
    ]);
    expect(rows(store.facts, "SELECT user_id AS u, day FROM fact_activity ORDER BY 1")).toEqual([
      { u: "u1", day: 20400 },
      { u: "u2", day: 20401 },
    ]);
    expect(rows(store.facts, "SELECT n FROM fact_node_days")).toEqual([{ n: 3 }]);
    store.close();
    // Opened again, nothing moves twice.
    const again = new SqliteStore({ path });
    expect(rows(again.facts, "SELECT count(*) AS n FROM fact_activity")).toEqual([{ n: 2 }]);
    again.close();
  });

  it("copies again, once, when a move was cut off after the copy and before the drop", () => {
    const path = join(dir, "cut.sqlite");
    fileFromBeforeTheMove(path);
    // The copy committed, the engine's file untouched: what a kill between the two commits leaves.
    new SqliteStore({ path: join(dir, "scratch.sqlite") }).close();
    cpSync(join(dir, "scratch.facts.sqlite"), factsPathOf(path));
    const half = new Database(factsPathOf(path));
    half.prepare("ATTACH DATABASE ? AS engine").run(path);
    half.exec("INSERT INTO main.fact_activity SELECT * FROM engine.fact_activity");
    half.exec("INSERT INTO main.report_cursors SELECT * FROM engine.report_cursors");
    half.close();
    const store = new SqliteStore({ path });
    expect(rows(store.facts, "SELECT count(*) AS n FROM fact_activity")).toEqual([{ n: 2 }]);
    expect(rows(store.facts, "SELECT count(*) AS n FROM report_cursors")).toEqual([{ n: 2 }]);
    expect(tables(store.db)).not.toContain("fact_activity");
    store.close();
  });

  it("folds a batch without the engine file's write lock: an applier commits while the batch is open", async () => {
    const world = sampleWorld("win-back");
    const events = sampleEvents("win-back").map(toCoreEvent);
    const path = join(dir, "lock.sqlite");
    const store = new SqliteStore({ path });
    const engine = new DurableEngine(store, world, { now: () => events[events.length - 1]!.at });
    await engine.ingest(events.slice(0, 40));
    // Another connection to the engine's file, as the main thread is to a projector on its thread:
    // it may not wait at all for the lock.
    const other = new Database(path);
    other.pragma("busy_timeout = 0");
    const committed: number[] = [];
    const projector = new ReportProjector(store.facts, {
      ...zonesOf(() => world),
      batch: 5,
      beforeCommit: (_source, n) => {
        other
          .prepare("INSERT INTO events (id, user_id, type, at, props, received_at) VALUES (?, ?, 'login', 0, '{}', 0)")
          .run(EventId.parse(`during-${n}`), UserId.parse("someone"));
        committed.push(n);
      },
    });
    const r = projector.catchUp({ maxBatches: 3 });
    expect(r.batches).toBe(3);
    expect(committed).toEqual([0, 1, 2]);
    expect(other.prepare("SELECT count(*) FROM events WHERE id LIKE 'during-%'").pluck().get()).toBe(3);
    other.close();
    store.close();
  });

  it("commits the facts with a sync before a trim deletes the timeline rows they came from", async () => {
    const world = sampleWorld("win-back");
    const events = sampleEvents("win-back").map(toCoreEvent);
    const path = join(dir, "trim.sqlite");
    const store = new SqliteStore({ path });
    const last = events[events.length - 1]!.at;
    const engine = new DurableEngine(store, world, { now: () => last });
    await engine.ingest(events.slice(0, 4));
    // Another connection's data_version moves whenever the facts file takes a commit.
    const watcher = new Database(factsPathOf(path), { readonly: true });
    const version = () => watcher.pragma("data_version", { simple: true });
    const synchronous = () => store.facts.pragma("synchronous", { simple: true });
    const cursor = (source: string) =>
      store.facts.prepare("SELECT seq FROM report_cursors WHERE source = ?").pluck().get(source);
    const timeline = store.db.prepare("SELECT count(*) FROM timeline").pluck();
    expect(synchronous()).toBe(1); // NORMAL: the projector's own commits skip their fsync (facts.ts).

    const project = () =>
      new ReportProjector(
        store.facts,
        zonesOf(() => world),
      ).catchUp();
    // What a trim deleted, and whether the facts file took a commit meanwhile.
    const trim = async () => {
      const before = version();
      const deleted = await store.trimTimeline(last + 1);
      return { deleted, committed: version() !== before };
    };

    // Nothing folded yet: nothing is deleted, and the facts file is left alone.
    expect(await trim()).toEqual({ deleted: 0, committed: false });

    project();
    const recorded = timeline.get();
    expect(recorded).toBeGreaterThan(0);
    // The trim's own commit, with the cursor it made durable; then back to skipping the fsync.
    expect(await trim()).toEqual({ deleted: recorded, committed: true });
    expect(cursor("timeline-synced")).toBe(cursor("timeline"));
    expect(synchronous()).toBe(1);

    // Nothing folded since: already durable, so no commit.
    expect(await trim()).toEqual({ deleted: 0, committed: false });

    // More folded: synced again, to the new cursor.
    await engine.ingest(events.slice(4));
    project();
    const more = timeline.get();
    expect(more).toBeGreaterThan(0);
    expect(await trim()).toEqual({ deleted: more, committed: true });
    expect(cursor("timeline-synced")).toBe(cursor("timeline"));
    expect(timeline.get()).toBe(0);
    watcher.close();
    store.close();
  });
});
