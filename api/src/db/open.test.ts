import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openSqlite } from "./open.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const migrations = readdirSync(new URL("../../drizzle/", import.meta.url)).filter((f) => f.endsWith(".sql"));

describe("openSqlite", () => {
  it("creates the file (and its directory) and applies every migration to it", async () => {
    const file = join(dir, "nested", "deeper", "api.sqlite");
    const { close } = openSqlite(file);
    await close();
    expect(statSync(file).size).toBeGreaterThan(0);
    const db = new Sqlite(file, { readonly: true });
    try {
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
      ).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          "api_keys",
          "audit_log",
          "journey_versions",
          "journeys",
          "profile_events",
          "profiles",
          "segments",
          "workspace",
        ]),
      );
      const applied = db.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
      expect(migrations.length).toBeGreaterThan(0);
      expect(applied.n).toBe(migrations.length);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("applies nothing twice when opened again, and keeps the data", async () => {
    const file = join(dir, "again.sqlite");
    const first = openSqlite(file);
    first
      .sqlite!.prepare(
        "INSERT INTO segments (id, name, condition, revision, created_at, created_by, updated_at, " +
          "updated_by) VALUES ('s', 's', 'true', 1, 'x', 'x', 'x', 'x')",
      )
      .run();
    await first.close();
    const second = openSqlite(file);
    try {
      expect(second.sqlite!.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual({
        n: migrations.length,
      });
      expect(second.sqlite!.prepare("SELECT id FROM segments").all()).toEqual([{ id: "s" }]);
      expect(second.sqlite!.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      await second.close();
    }
  });
});
