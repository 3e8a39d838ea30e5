import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JourneyId } from "@lifeloop/shared";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { DurableEngine } from "../../runtime/durable.ts";
import { toCoreEvent } from "../../simulate.ts";
import { SqliteStore } from "../../store/sqlite/store.ts";
import { sampleEvents, sampleWorld } from "../../testing/samples.ts";
import { Reports } from "../index.ts";
import { reportThreadWanted } from "../../server/sidecar.ts";
import { reportsAfter } from "../routes.ts";
import { ProjectorThread } from "./projector-thread.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-projector-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const world = sampleWorld("win-back");
const FACTS = ["fact_entries", "fact_visits", "fact_node_days", "fact_grants", "fact_spend", "fact_activity"];

function facts(db: Database.Database) {
  return Object.fromEntries(
    FACTS.map((t) => [
      t,
      (db.prepare(`SELECT * FROM ${t}`).all() as Array<Record<string, unknown>>)
        .map(({ seq: _seq, ...r }) => JSON.stringify(r))
        .sort(),
    ]),
  );
}

/** The win-back sample's month applied into a real file, nothing projected yet. */
async function appliedFile(name: string): Promise<{ store: SqliteStore; now: number }> {
  const store = new SqliteStore({ path: join(dir, name) });
  const events = sampleEvents("win-back");
  const now = Date.parse(events[events.length - 1]!.at) + 3_600_000;
  const engine = new DurableEngine(store, world, { now: () => now });
  for (let i = 0; i < events.length; i += 500) await engine.ingest(events.slice(i, i + 500).map(toCoreEvent));
  return { store, now };
}

describe("the report projector on its own thread", () => {
  it("folds what the engine committed into the same facts as the projector on the main thread", async () => {
    const { store, now } = await appliedFile("a.sqlite");
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    store.facts.pragma("wal_checkpoint(TRUNCATE)");
    copyFileSync(join(dir, "a.sqlite"), join(dir, "a-copy.sqlite"));
    copyFileSync(join(dir, "a.facts.sqlite"), join(dir, "a-copy.facts.sqlite"));
    const lines: string[] = [];
    const thread = new ProjectorThread({
      path: join(dir, "a.sqlite"),
      batch: 2,
      world: () => world,
      log: (l) => lines.push(l),
    });
    // One batch at a time, as the sidecar's background passes ask, then the rest.
    const first = await thread.catchUp({ maxBatches: 1 });
    expect(first).toMatchObject({ batches: 1, timelineRows: 2, more: true });
    const rest = await thread.catchUp();
    expect(rest.more).toBe(false);
    expect(rest.timelineRows + rest.events).toBeGreaterThan(0);

    const copy = new SqliteStore({ path: join(dir, "a-copy.sqlite") });
    const here = new Reports(
      copy.facts,
      () => world,
      () => now,
    );
    const id = JourneyId.parse("win-back");
    const expected = here.report(id);
    expect(facts(store.facts)).toEqual(facts(copy.facts));
    // Reports read on this thread's connection, after the thread caught up.
    const live = reportsAfter(
      new Reports(
        store.facts,
        () => world,
        () => now,
      ),
      () => thread.catchUp(),
    );
    expect(await live.report(id, {})).toEqual(expected);
    expect(expected!.totals.entered).toBeGreaterThan(0);
    await thread.stop();
    await expect(thread.catchUp()).rejects.toThrow("stopped");
    expect(lines).toEqual([]);
    await copy.close();
    await store.close();
  });

  it("answers a pass that fails with its error and SQLite code, and goes on working", async () => {
    const path = join(dir, "empty.sqlite");
    new Database(path).close();
    const thread = new ProjectorThread({ path, batch: 100, world: () => world, log: () => {} });
    const error = await thread.catchUp().then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.message).toMatch(/^report projector: no such table/);
    expect(error?.code).toBe("SQLITE_ERROR");
    // The tables appear (the store migrates the file): the same thread folds.
    const store = new SqliteStore({ path });
    expect(await thread.catchUp()).toMatchObject({ batches: 0, more: false });
    await thread.stop();
    await store.close();
  });

  it("answers a file it cannot open with that error, per pass", async () => {
    // A folder is no database.
    const lines: string[] = [];
    const thread = new ProjectorThread({ path: dir, batch: 100, world: () => world, log: (l) => lines.push(l) });
    await expect(thread.catchUp()).rejects.toThrow(/^report projector: .*(directory|unable to open)/i);
    await expect(thread.catchUp()).rejects.toThrow(/^report projector: .*(directory|unable to open)/i);
    // The thread itself lived on.
    expect(lines).toEqual([]);
    await thread.stop();
  });
});

describe("where the sidecar runs the projector", () => {
  it("runs it on a thread when asked, or on its own when the machine has a second core", () => {
    expect(reportThreadWanted("thread", 1)).toBe(true);
    expect(reportThreadWanted("loop", 16)).toBe(false);
    expect(reportThreadWanted("auto", 1)).toBe(false);
    expect(reportThreadWanted("auto", 2)).toBe(true);
  });
});
