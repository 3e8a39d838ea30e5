import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  await s.call("POST", "/v1/journeys", { json: journeyDoc("roles") });
});
afterAll(async () => s?.close());

type Case = [method: string, path: string, body?: unknown];
const writes: Case[] = [
  ["POST", "/v1/journeys", journeyDoc("by-viewer")],
  ["PUT", "/v1/journeys/roles/draft", journeyDoc("roles")],
  ["POST", "/v1/journeys/roles/duplicate", {}],
  ["DELETE", "/v1/journeys/roles"],
  ["POST", "/v1/journeys/import", journeyDoc("imp")],
  ["POST", "/v1/segments", { id: "s", name: "s", condition: true }],
  ["POST", "/v1/profiles/events", []],
];
const publishing: Case[] = [
  ["POST", "/v1/journeys/roles/publish", {}],
  ["POST", "/v1/journeys/roles/pause"],
  ["POST", "/v1/journeys/roles/resume"],
];
const keyManagement: Case[] = [
  ["GET", "/v1/keys"],
  ["POST", "/v1/keys", { name: "x", role: "viewer" }],
  ["POST", "/v1/keys", { name: "y", role: "key-admin" }],
  ["DELETE", "/v1/keys/key_nothing"],
];

const call = (key: string, [method, path, body]: Case) =>
  s.call(method, path, { key, ...(body !== undefined ? { json: body } : {}), headers: { "if-match": "*" } });

describe("roles", () => {
  it("lets a viewer read but not write", async () => {
    for (const path of [
      "/v1/journeys",
      "/v1/journeys/roles",
      "/v1/journeys/roles/versions",
      "/v1/journeys/roles/export",
      "/v1/segments",
      "/v1/audit",
      "/v1/profiles",
      "/v1/workspace/export",
    ]) {
      expect((await s.call("GET", path, { key: s.keys.viewer })).status, path).toBe(200);
    }
    for (const c of [...writes, ...publishing, ...keyManagement]) {
      const r = await call(s.keys.viewer, c);
      expect(r.status, `${c[0]} ${c[1]}`).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
      expect(r.body.error.message).toContain("viewer");
    }
  });

  it("lets an editor write but not publish, pause or manage keys", async () => {
    for (const c of [...publishing, ...keyManagement]) {
      const r = await call(s.keys.editor, c);
      expect(r.status, `${c[0]} ${c[1]}`).toBe(403);
    }
    const save = await call(s.keys.editor, writes[1]!);
    expect(save.status).toBe(200);
    expect((await s.counts()).journey_versions).toBe(0);
  });

  it("lets a publisher publish, but not list, create or revoke keys (403 naming the key-admin role)", async () => {
    expect((await call(s.keys.publisher, publishing[0]!)).status).toBe(201);
    expect((await call(s.keys.publisher, publishing[1]!)).status).toBe(200);
    const before = (await s.counts()).api_keys;
    for (const c of keyManagement) {
      const r = await call(s.keys.publisher, c);
      expect(r.status, `${c[0]} ${c[1]}`).toBe(403);
      expect(r.body.error).toMatchObject({ code: "forbidden" });
      expect(r.body.error.message).toContain("key-admin role");
    }
    expect((await s.counts()).api_keys).toBe(before);
  });

  it("lets a key-admin key manage keys and nothing else: no reads, no writes, no feed", async () => {
    const admin = s.keys["key-admin"];
    expect((await s.call("GET", "/v1/keys", { key: admin })).status).toBe(200);
    for (const path of [
      "/v1/journeys",
      "/v1/journeys/roles",
      "/v1/segments",
      "/v1/audit",
      "/v1/engine/feed",
      "/v1/workspace/export",
    ]) {
      expect((await s.call("GET", path, { key: admin })).status, path).toBe(403);
    }
    for (const c of [...writes, ...publishing]) expect((await call(admin, c)).status, `${c[0]} ${c[1]}`).toBe(403);
  });

  it("lets no role but key-admin manage keys", async () => {
    for (const role of ["viewer", "editor", "publisher", "engine"] as const) {
      for (const c of keyManagement) expect((await call(s.keys[role], c)).status, `${role}: ${c[0]} ${c[1]}`).toBe(403);
    }
  });

  it("answers 401 in the error shape without a key, with a malformed header, or an unknown key", async () => {
    for (const headers of [{}, { authorization: "Basic abc" }, { authorization: "Bearer ll_not-a-key" }] as Array<
      Record<string, string>
    >) {
      const r = await fetch(`${s.url}/v1/journeys`, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toContain("Bearer");
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unauthorized");
    }
  });
});

describe("keys", () => {
  const asAdmin = (method: string, path: string, json?: unknown) =>
    s.call(method, path, { key: s.keys["key-admin"], ...(json !== undefined ? { json } : {}) });

  it("stores only sha-256 hashes, never the token", async () => {
    const created = await asAdmin("POST", "/v1/keys", { name: "ci", role: "editor" });
    expect(created.status).toBe(201);
    const token: string = created.body.key;
    expect(token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toMatchObject({
      name: "ci",
      role: "editor",
      source: "api",
      createdBy: "admin",
      revokedAt: null,
    });
    const db = new Sqlite(s.dbFile, { readonly: true });
    try {
      const rows = db.prepare("SELECT * FROM api_keys").all() as Array<Record<string, unknown>>;
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(s.keys.viewer);
      expect(rows.map((r) => r.hash)).toContain(createHash("sha256").update(token).digest("hex"));
    } finally {
      db.close();
    }
    const list = await asAdmin("GET", "/v1/keys");
    expect(JSON.stringify(list.body)).not.toMatch(/ll_|hash/);
    expect(list.body.items.map((k: { name: string }) => k.name)).toContain("ci");
  });

  it("revokes a key, after which it is refused; never the last key-admin key", async () => {
    const created = await asAdmin("POST", "/v1/keys", { name: "temp", role: "viewer" });
    const { key, apiKey } = created.body;
    expect((await s.call("GET", "/v1/journeys", { key })).status).toBe(200);
    expect((await asAdmin("DELETE", `/v1/keys/${apiKey.id}`)).status).toBe(204);
    expect((await s.call("GET", "/v1/journeys", { key })).status).toBe(401);
    expect((await asAdmin("DELETE", "/v1/keys/key_nothing")).status).toBe(404);

    // A second key-admin key can be made and revoked; the last one cannot.
    const second = await asAdmin("POST", "/v1/keys", { name: "deputy", role: "key-admin" });
    expect(second.status).toBe(201);
    expect((await s.call("GET", "/v1/keys", { key: second.body.key })).status).toBe(200);
    expect((await asAdmin("DELETE", `/v1/keys/${second.body.apiKey.id}`)).status).toBe(204);
    const keys = (await asAdmin("GET", "/v1/keys")).body.items as Array<{
      id: string;
      role: string;
      name: string;
      revokedAt: string | null;
    }>;
    const admins = keys.filter((k) => k.role === "key-admin" && k.revokedAt === null);
    expect(admins.map((k) => k.name)).toEqual(["admin"]);
    const last = await asAdmin("DELETE", `/v1/keys/${admins[0]!.id}`);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("last_key_admin");
    // Publisher keys are no longer the lock on key management: every one of them can go.
    for (const k of keys.filter((p) => p.role === "publisher" && p.revokedAt === null))
      expect((await asAdmin("DELETE", `/v1/keys/${k.id}`)).status).toBe(204);
  });

  it("creates a key-admin key at start only while none is active", async () => {
    const again = await startServer({ dir: s.dir });
    try {
      expect(again.keys["key-admin"]).toBeUndefined();
      expect((await again.counts()).api_keys).toBe((await s.counts()).api_keys);
    } finally {
      await again.close();
    }
  });

  it("gives a database from before the role (publisher keys only) a key-admin key at its next start", async () => {
    const before = await startServer();
    try {
      // As the old first start left it: its "admin" key was a publisher key, and no key-admin existed.
      const db = new Sqlite(before.dbFile);
      try {
        expect(db.prepare("UPDATE api_keys SET role = 'publisher' WHERE role = 'key-admin'").run().changes).toBe(1);
      } finally {
        db.close();
      }
      expect((await before.call("GET", "/v1/keys", { key: before.keys["key-admin"] })).status).toBe(403);
      const upgraded = await startServer({ dir: before.dir });
      try {
        const admin = upgraded.keys["key-admin"];
        expect(admin).toMatch(/^ll_/);
        expect((await upgraded.call("GET", "/v1/keys", { key: admin })).status).toBe(200);
      } finally {
        await upgraded.close();
      }
    } finally {
      await before.close();
    }
  });
});

describe("LIFELOOP_EDITOR_KEY and LIFELOOP_ADMIN_KEY", () => {
  const EDITOR_KEY = "llk_editor_test-secret-1";
  const ENGINE_KEY = "llk_engine_test-secret-1";

  it(
    "is registered as a publisher key named for its variable, next to the engine key; a new value retires the " +
      "old one only",
    async () => {
      // A directory of the test's own: the restart below must find the first start's database.
      const first = await startServer({
        dir: mkdtempSync(join(tmpdir(), "lifeloop-keys-")),
        editorKey: EDITOR_KEY,
        engineKey: ENGINE_KEY,
      });
      try {
        const keys = (await first.call("GET", "/v1/keys", { key: first.keys["key-admin"] })).body.items as Array<{
          name: string;
          role: string;
          source: string;
          revokedAt: string | null;
        }>;
        expect(keys.find((k) => k.name === "editor (LIFELOOP_EDITOR_KEY)")).toMatchObject({
          role: "publisher",
          source: "env-editor",
          revokedAt: null,
        });
        expect(keys.find((k) => k.name === "engine (LIFELOOP_ENGINE_KEY)")).toMatchObject({
          role: "engine",
          revokedAt: null,
        });
        // Publisher: it can publish, which the editor's publish button needs.
        expect(
          (await first.call("POST", "/v1/journeys", { key: EDITOR_KEY, json: journeyDoc("by-editor-key") })).status,
        ).toBe(201);
        expect(
          (await first.call("POST", "/v1/journeys/by-editor-key/publish", { key: EDITOR_KEY, json: {} })).status,
        ).toBe(201);
        // The engine key is still only the feed's.
        expect((await first.call("GET", "/v1/journeys", { key: ENGINE_KEY })).status).toBe(403);
        // The editor's key sits in a browser: it cannot list, mint or revoke keys.
        for (const c of keyManagement) {
          const r = await first.call(c[0], c[1], { key: EDITOR_KEY, ...(c[2] !== undefined ? { json: c[2] } : {}) });
          expect(r.status, `${c[0]} ${c[1]}`).toBe(403);
        }
      } finally {
        await first.close();
      }

      const rotated = await startServer({
        dir: first.dir,
        editorKey: "llk_editor_test-secret-2",
        engineKey: ENGINE_KEY,
      });
      try {
        expect((await rotated.call("GET", "/v1/journeys", { key: EDITOR_KEY })).status).toBe(401);
        expect((await rotated.call("GET", "/v1/journeys", { key: "llk_editor_test-secret-2" })).status).toBe(200);
        // Rotating the editor's key leaves the engine's alone.
        expect((await rotated.call("GET", "/v1/engine/feed", { key: ENGINE_KEY })).status).toBe(200);
      } finally {
        await rotated.close();
        rmSync(first.dir, { recursive: true, force: true });
      }
    },
  );

  it("refuses the same value for any two of the engine, the editor and the admin", async () => {
    await expect(startServer({ editorKey: "same", engineKey: "same" })).rejects.toThrow(
      /LIFELOOP_ENGINE_KEY and LIFELOOP_EDITOR_KEY must differ/,
    );
    await expect(startServer({ editorKey: "same", adminKey: "same" })).rejects.toThrow(
      /LIFELOOP_EDITOR_KEY and LIFELOOP_ADMIN_KEY must differ/,
    );
  });

  it("registers LIFELOOP_ADMIN_KEY as a key-admin key, and then makes no other on a first start", async () => {
    const ADMIN_KEY = "llk_admin_test-secret-1";
    const first = await startServer({
      dir: mkdtempSync(join(tmpdir(), "lifeloop-keys-")),
      adminKey: ADMIN_KEY,
      editorKey: EDITOR_KEY,
    });
    try {
      const list = await first.call("GET", "/v1/keys", { key: ADMIN_KEY });
      expect(list.status).toBe(200);
      const keys = list.body.items as Array<{ name: string; role: string; source: string; revokedAt: string | null }>;
      expect(keys.filter((k) => k.role === "key-admin")).toEqual([
        expect.objectContaining({ name: "admin (LIFELOOP_ADMIN_KEY)", source: "env-admin", revokedAt: null }),
      ]);
      expect((await first.call("GET", "/v1/journeys", { key: ADMIN_KEY })).status).toBe(403);
    } finally {
      await first.close();
    }
    const rotated = await startServer({ dir: first.dir, adminKey: "llk_admin_test-secret-2" });
    try {
      expect((await rotated.call("GET", "/v1/keys", { key: ADMIN_KEY })).status).toBe(401);
      expect((await rotated.call("GET", "/v1/keys", { key: "llk_admin_test-secret-2" })).status).toBe(200);
      // The same database: the first start's editor key is still there, and still no key-admin.
      expect((await rotated.call("GET", "/v1/journeys", { key: EDITOR_KEY })).status).toBe(200);
      const admins = (
        (await rotated.call("GET", "/v1/keys", { key: "llk_admin_test-secret-2" })).body.items as Array<{
          role: string;
          source: string;
          revokedAt: string | null;
        }>
      ).filter((k) => k.role === "key-admin");
      expect(admins.map((k) => `${k.source} ${k.revokedAt === null ? "active" : "revoked"}`).sort()).toEqual([
        "env-admin active",
        "env-admin revoked",
      ]);
    } finally {
      await rotated.close();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});
