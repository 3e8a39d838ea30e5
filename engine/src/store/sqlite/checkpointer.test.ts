import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { Checkpointer } from "./checkpointer.ts";
import { factsPathOf } from "./facts.ts";
import { SqliteStore } from "./store.ts";

const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), "lifeloop-ckpt-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** ~4 MB of timeline rows in 40 commits, far past SQLite's own 1,000-page checkpoint threshold. */
async function write(store: SqliteStore): Promise<void> {
  const row = "x".repeat(1000);
  for (let t = 0; t < 40; t++)
    await store.transaction(async () => {
      const insert = store.db.prepare("INSERT INTO timeline (user_id, at, record, recorded_at) VALUES (?, ?, ?, ?)");
      for (let i = 0; i < 100; i++) insert.run(`u${i}`, t, row, t);
    });
}

describe("WAL checkpoints on their own thread", () => {
  it("the store's connection never checkpoints; the thread moves the WAL into the file", async () => {
    const path = join(scratch(), "e.sqlite");
    const lines: string[] = [];
    const store = new SqliteStore({ path, backgroundCheckpoints: { log: (l) => lines.push(l), intervalMs: 20 } });
    expect(store.db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = statSync(path).size;
    await write(store);
    // Nothing but the thread copies pages into the database file.
    await until(() => statSync(path).size > before + 3_000_000);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(lines).toEqual([]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM timeline").pluck().get()).toBe(4000);
    db.close();
  });

  it("the facts' file has a thread of its own: the projector's commits on the loop only append", async () => {
    const path = join(scratch(), "e.sqlite");
    const lines: string[] = [];
    const store = new SqliteStore({ path, backgroundCheckpoints: { log: (l) => lines.push(l), intervalMs: 20 } });
    expect(store.facts.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const factsPath = factsPathOf(path);
    const before = statSync(factsPath).size;
    // ~4 MB in 40 commits on the facts' connection, as a projector folding on the loop would make.
    store.facts.exec("CREATE TABLE filler (x TEXT NOT NULL)");
    const insert = store.facts.prepare("INSERT INTO filler (x) VALUES (?)");
    const commit = store.facts.transaction(() => {
      for (let i = 0; i < 100; i++) insert.run("x".repeat(1000));
    });
    for (let t = 0; t < 40; t++) commit();
    await until(() => statSync(factsPath).size > before + 3_000_000);
    await store.close();
    expect(existsSync(`${factsPath}-wal`)).toBe(false);
    expect(lines).toEqual([]);
  });

  it("a store without it keeps SQLite's own checkpoints, inside its commits", async () => {
    const path = join(scratch(), "e.sqlite");
    const store = new SqliteStore({ path });
    expect(store.db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(store.facts.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await store.close();
  });

  it("a thread that fails hands checkpoints back to the connection, and says so", async () => {
    const dir = scratch();
    const db = new Database(join(dir, "own.sqlite"));
    db.pragma("journal_mode = WAL");
    const lines: string[] = [];
    // The thread cannot open a file in a folder that does not exist: it fails at once.
    const c = new Checkpointer(db, join(dir, "missing", "x.sqlite"), (l) => lines.push(l), 20);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    await until(() => lines.length > 0);
    expect(lines[0]).toMatch(
      /checkpoint thread of x\.sqlite failed: .*; the store checkpoints on its own connection again/,
    );
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await c.stop();
    db.close();
  });
});
