import { createHash } from "node:crypto";
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
  ["GET", "/v1/keys"],
  ["POST", "/v1/keys", { name: "x", role: "viewer" }],
];

const call = (key: string, [method, path, body]: Case) => s.call(method, path, { key, ...(body !== undefined ? { json: body } : {}), headers: { "if-match": "*" } });

describe("roles", () => {
  it("lets a viewer read but not write", async () => {
    for (const path of ["/v1/journeys", "/v1/journeys/roles", "/v1/journeys/roles/versions", "/v1/journeys/roles/export", "/v1/segments", "/v1/audit", "/v1/profiles", "/v1/workspace/export"]) {
      expect((await s.call("GET", path, { key: s.keys.viewer })).status, path).toBe(200);
    }
    for (const c of [...writes, ...publishing]) {
      const r = await call(s.keys.viewer, c);
      expect(r.status, `${c[0]} ${c[1]}`).toBe(403);
      expect(r.body.error.code).toBe("forbidden");
      expect(r.body.error.message).toContain("viewer");
    }
  });

  it("lets an editor write but not publish, pause or manage keys", async () => {
    for (const c of publishing) {
      const r = await call(s.keys.editor, c);
      expect(r.status, `${c[0]} ${c[1]}`).toBe(403);
    }
    const save = await call(s.keys.editor, writes[1]!);
    expect(save.status).toBe(200);
    expect((await s.counts()).journey_versions).toBe(0);
  });

  it("lets a publisher publish and manage keys", async () => {
    expect((await call(s.keys.publisher, publishing[0]!)).status).toBe(201);
    expect((await call(s.keys.publisher, publishing[1]!)).status).toBe(200);
  });

  it("answers 401 in the error shape without a key, with a malformed header, or an unknown key", async () => {
    for (const headers of [{}, { authorization: "Basic abc" }, { authorization: "Bearer ll_not-a-key" }] as Array<Record<string, string>>) {
      const r = await fetch(`${s.url}/v1/journeys`, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toContain("Bearer");
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unauthorized");
    }
  });
});

describe("keys", () => {
  it("stores only sha-256 hashes, never the token", async () => {
    const created = await s.call("POST", "/v1/keys", { json: { name: "ci", role: "editor" } });
    expect(created.status).toBe(201);
    const token: string = created.body.key;
    expect(token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toMatchObject({ name: "ci", role: "editor", source: "api", createdBy: "admin", revokedAt: null });
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
    const list = await s.call("GET", "/v1/keys");
    expect(JSON.stringify(list.body)).not.toMatch(/ll_|hash/);
    expect(list.body.items.map((k: { name: string }) => k.name)).toContain("ci");
  });

  it("revokes a key, after which it is refused; never the last publisher key", async () => {
    const created = await s.call("POST", "/v1/keys", { json: { name: "temp", role: "viewer" } });
    const { key, apiKey } = created.body;
    expect((await s.call("GET", "/v1/journeys", { key })).status).toBe(200);
    expect((await s.call("DELETE", `/v1/keys/${apiKey.id}`)).status).toBe(204);
    expect((await s.call("GET", "/v1/journeys", { key })).status).toBe(401);
    expect((await s.call("DELETE", "/v1/keys/key_nothing")).status).toBe(404);

    const keys = (await s.call("GET", "/v1/keys")).body.items as Array<{ id: string; role: string; name: string; revokedAt: string | null }>;
    const publishers = keys.filter((k) => k.role === "publisher" && k.revokedAt === null);
    const mine = publishers.find((k) => k.name === "admin")!;
    for (const k of publishers.filter((p) => p.id !== mine.id)) expect((await s.call("DELETE", `/v1/keys/${k.id}`)).status).toBe(204);
    const last = await s.call("DELETE", `/v1/keys/${mine.id}`);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("last_publisher");
  });

  it("creates the first key only on an empty key table", async () => {
    const again = await startServer({ dir: s.dir });
    try {
      expect(again.adminKey).toBe("");
      expect((await again.counts()).api_keys).toBe((await s.counts()).api_keys);
    } finally {
      await again.close();
    }
  });
});

describe("LIFELOOP_EDITOR_KEY", () => {
  const EDITOR_KEY = "llk_editor_test-secret-1";
  const ENGINE_KEY = "llk_engine_test-secret-1";

  it("is registered as a publisher key named for its variable, next to the engine key; a new value retires the old one only", async () => {
    const first = await startServer({ editorKey: EDITOR_KEY, engineKey: ENGINE_KEY });
    try {
      const keys = (await first.call("GET", "/v1/keys", { key: EDITOR_KEY })).body.items as Array<{ name: string; role: string; source: string; revokedAt: string | null }>;
      expect(keys.find((k) => k.name === "editor (LIFELOOP_EDITOR_KEY)")).toMatchObject({ role: "publisher", source: "env-editor", revokedAt: null });
      expect(keys.find((k) => k.name === "engine (LIFELOOP_ENGINE_KEY)")).toMatchObject({ role: "engine", revokedAt: null });
      // Publisher: it can publish, which the editor's publish button needs.
      expect((await first.call("POST", "/v1/journeys", { key: EDITOR_KEY, json: journeyDoc("by-editor-key") })).status).toBe(201);
      expect((await first.call("POST", "/v1/journeys/by-editor-key/publish", { key: EDITOR_KEY, json: {} })).status).toBe(201);
      // The engine key is still only the feed's.
      expect((await first.call("GET", "/v1/journeys", { key: ENGINE_KEY })).status).toBe(403);
    } finally {
      await first.close();
    }

    const rotated = await startServer({ dir: first.dir, editorKey: "llk_editor_test-secret-2", engineKey: ENGINE_KEY });
    try {
      expect((await rotated.call("GET", "/v1/journeys", { key: EDITOR_KEY })).status).toBe(401);
      expect((await rotated.call("GET", "/v1/journeys", { key: "llk_editor_test-secret-2" })).status).toBe(200);
      // Rotating the editor's key leaves the engine's alone.
      expect((await rotated.call("GET", "/v1/engine/feed", { key: ENGINE_KEY })).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });

  it("refuses the same value for the engine and the editor", async () => {
    await expect(startServer({ editorKey: "same", engineKey: "same" })).rejects.toThrow(/must differ/);
  });
});
