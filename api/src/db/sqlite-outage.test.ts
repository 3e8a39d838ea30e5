/**
 * The API on SQLite when the file cannot take a write: locked by another process (SQLITE_BUSY), on a
 * full disk (SQLITE_FULL, a real 2 MB tmpfs), or opened read-only (SQLITE_READONLY). Clients see 503
 * with Retry-After in the usual error shape, never 500; reads go on where SQLite allows them; the
 * refused write is not half there; once the cause is gone the same process writes again.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type Reply } from "../testing/harness.ts";
import { databaseUnavailable } from "./unavailable.ts";

function expectUnavailable(r: Reply, retryAfter: string) {
  expect(r.status, r.text).toBe(503);
  expect(r.headers.get("retry-after")).toBe(retryAfter);
  expect(r.body.error.code).toBe("unavailable");
  expect(r.body.error.message).toMatch(/^the database is unavailable: /);
}

describe("a database locked by another process", () => {
  it(
    "answers writes 503 + Retry-After within the busy timeout, keeps reading, and writes again once the lock " + "goes",
    async () => {
      const s = await startServer({ busyTimeoutMs: 150 });
      const locker = new Sqlite(s.dbFile);
      try {
        expect((await s.call("POST", "/v1/journeys", { json: journeyDoc("before") })).status).toBe(201);
        locker.exec("BEGIN EXCLUSIVE");
        const started = performance.now();
        const refused = await s.call("POST", "/v1/journeys", { json: journeyDoc("while-locked") });
        const took = performance.now() - started;
        expectUnavailable(refused, "1");
        expect(refused.body.error.message).toContain("locked");
        expect(took).toBeLessThan(2_000);
        // WAL: readers are not blocked by a writer.
        expect((await s.call("GET", "/v1/journeys/before")).status).toBe(200);
        const ready = await fetch(`${s.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(ready.headers.get("retry-after")).toBe("1");
        expect(await ready.json()).toEqual({ ready: false, reason: "the database is locked by another writer" });
        expect((await fetch(`${s.url}/health`)).status).toBe(200);

        locker.exec("ROLLBACK");
        expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
        expect((await s.call("POST", "/v1/journeys", { json: journeyDoc("while-locked") })).status).toBe(201);
        expect((await s.counts()).journeys).toBe(2);
      } finally {
        if (locker.inTransaction) locker.exec("ROLLBACK");
        locker.close();
        await s.close();
      }
    },
  );
});

/** A real full disk: a 2 MB tmpfs, mounted for this test (needs root; skipped loudly where mounting is not allowed). */
function mountTinyDisk(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-full-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})`;
  }
  return {
    dir,
    unmount() {
      spawnSync("umount", [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const disk = mountTinyDisk();
if (typeof disk === "string") {
  const line = "!".repeat(100);
  console.warn(
    `\n${line}\n[api] SKIPPING the full-disk test: ${disk}. It needs root (or CAP_SYS_ADMIN) to mount a 2 MB ` +
      `tmpfs.\n${line}\n`,
  );
}
afterAll(() => {
  if (typeof disk !== "string") disk.unmount();
});

describe.skipIf(typeof disk === "string")("a full disk", () => {
  it(
    "answers 503 + Retry-After instead of 500, loses no acknowledged write, stores none of the refused ones, " +
      "and recovers when space is freed",
    async () => {
      const { dir } = disk as { dir: string };
      const data = join(dir, "api");
      mkdirSync(data);
      const s = await startServer({ dir: data });
      const ballast = join(dir, "ballast");
      const acknowledged: string[] = [];
      const refused: string[] = [];
      try {
        for (const id of ["kept-0", "kept-1", "kept-2"]) {
          expect((await s.call("POST", "/v1/journeys", { json: journeyDoc(id) })).status).toBe(201);
          acknowledged.push(id);
        }
        // Take every byte that is left.
        const fd = openSync(ballast, "w");
        const chunk = Buffer.alloc(16 * 1024, 7);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (e) {
          expect((e as NodeJS.ErrnoException).code).toBe("ENOSPC");
        } finally {
          closeSync(fd);
        }
        // SQLite may still have room in pages it holds; write until it has none (bounded).
        for (let i = 0; i < 300 && refused.length < 3; i++) {
          const id = `full-${i}`;
          const r = await s.call("POST", "/v1/journeys", { json: journeyDoc(id, { description: "x".repeat(9_000) }) });
          if (r.status === 201) acknowledged.push(id);
          else {
            expectUnavailable(r, "5");
            expect(r.body.error.message).toContain("disk");
            refused.push(id);
          }
        }
        expect(refused.length, "the disk never filled up").toBe(3);
        expect((await fetch(`${s.url}/health`)).status).toBe(200);

        rmSync(ballast);
        expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
        expect((await s.call("POST", "/v1/journeys", { json: journeyDoc("after-space-freed") })).status).toBe(201);
        for (const id of acknowledged) expect((await s.call("GET", `/v1/journeys/${id}`)).status, id).toBe(200);
        for (const id of refused) expect((await s.call("GET", `/v1/journeys/${id}`)).status, id).toBe(404);
        expect((await s.counts()).journeys).toBe(acknowledged.length + 1);
      } finally {
        await s.close();
      }
    },
  );
});

describe("which errors mean the database is unavailable", () => {
  it("counts SQLite's BUSY, FULL, IOERR and READONLY (extended codes too), and nothing a request did wrong", () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-readonly-"));
    const file = join(dir, "a.sqlite");
    try {
      const rw = new Sqlite(file);
      rw.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
      rw.close();
      const ro = new Sqlite(file, { readonly: true });
      let readonlyError: unknown;
      try {
        ro.exec("INSERT INTO t VALUES (1)");
      } catch (e) {
        readonlyError = e;
      } finally {
        ro.close();
      }
      expect((readonlyError as { code: string }).code).toBe("SQLITE_READONLY");
      expect(databaseUnavailable(readonlyError)?.retryAfter).toBe(5);
      // drizzle wraps driver errors: the cause chain is followed.
      expect(databaseUnavailable(new Error("Failed query: insert …", { cause: readonlyError }))?.reason).toBe(
        "the database can only be read right now",
      );
      for (const code of [
        "SQLITE_BUSY",
        "SQLITE_BUSY_SNAPSHOT",
        "SQLITE_FULL",
        "SQLITE_IOERR_WRITE",
        "SQLITE_READONLY_DBMOVED",
      ])
        expect(databaseUnavailable(Object.assign(new Error(code), { code })), code).not.toBeNull();

      const rw2 = new Sqlite(file);
      let constraint: unknown;
      try {
        rw2.exec("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)");
      } catch (e) {
        constraint = e;
      } finally {
        rw2.close();
      }
      expect((constraint as { code: string }).code).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
      expect(databaseUnavailable(constraint)).toBeNull();
      expect(databaseUnavailable(new TypeError("x is undefined"))).toBeNull();
      // PostgreSQL: a unique violation is the request's problem; a shutdown or a refused connection is not.
      expect(databaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBeNull();
      expect(
        databaseUnavailable(
          Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
        ),
      ).not.toBeNull();
      expect(
        databaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })),
      ).not.toBeNull();
      expect(databaseUnavailable(new Error("Connection terminated unexpectedly"))).not.toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
