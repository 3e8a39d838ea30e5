import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../testing/harness.ts";
import { startPointsEngine, type PointsEngine } from "../testing/points-engine.ts";

// A real engine sidecar on a SQLite file and a real API forwarding pool files to it.
const dir = mkdtempSync(join(tmpdir(), "lifeloop-pools-api-"));
const NOW = Date.parse("2026-11-20T12:00:00Z");
let engine: PointsEngine;
let s: TestServer;
beforeAll(async () => {
  engine = await startPointsEngine(dir, join(dir, "engine.sqlite"), () => NOW);
  s = await startServer({ engine: { url: engine.sidecar.url } });
});
afterAll(async () => {
  await s?.close();
  await engine?.sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (pool: string, body: string, type: string, key?: string) =>
  s.call("POST", `/v1/coupon-pools/${pool}/codes`, {
    body,
    headers: { "content-type": type },
    ...(key ? { key } : {}),
  });

describe("coupon pools through the API", () => {
  it("imports a CSV, then a JSON array and a plain list, counting duplicates, and lists what remains", async () => {
    const csv = await upload("coffee", "code,batch\nC1,a\nC2,a\nC1,b\n", "text/csv");
    expect(csv.status).toBe(200);
    expect(csv.body).toEqual({ pool: "coffee", codes: 2, handed: 0, remaining: 2, added: 2, duplicates: 1 });
    const arr = await s.call("POST", "/v1/coupon-pools/coffee/codes", { json: ["C2", "C3"] });
    expect(arr.body).toMatchObject({ codes: 3, added: 1, duplicates: 1 });
    const lines = await upload("tea", "T1\nT2\n", "text/plain");
    expect(lines.body).toMatchObject({ pool: "tea", codes: 2, added: 2, duplicates: 0 });
    const list = await s.call("GET", "/v1/coupon-pools", { key: s.keys.viewer });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      pools: [
        { pool: "coffee", codes: 3, handed: 0, remaining: 3 },
        { pool: "tea", codes: 2, handed: 0, remaining: 2 },
      ],
    });
    const audit = await s.call("GET", "/v1/audit?action=coupon_pool.import", { key: s.keys.viewer });
    expect(audit.body.entries).toHaveLength(3);
  });

  it("answers 400 with where the garbage is, and 403 to an editor", async () => {
    const bad = await upload("coffee", '["ok", 5, "a b"]', "text/plain");
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["$[1]", "$[2]"]);
    const csv = await upload("coffee", "id,value\n1,2\n", "text/csv");
    expect(csv.body.error.issues).toEqual([{ path: "line 1", message: 'a CSV pool file needs a "code" column' }]);
    const name = await upload("no pool!", "A1", "text/plain");
    expect(name.status).toBe(400);
    expect((await upload("coffee", "A1", "text/plain", s.keys.editor)).status).toBe(403);
    expect((await upload("coffee", "A1", "image/png")).status).toBe(415);
  });
});

describe("coupon pools with the engine down", () => {
  it("answers 503 with Retry-After, as the catalog does, and 503 engine_not_configured without an engine", async () => {
    // A port nothing listens on: the engine stopped.
    const down = await startServer({ engine: { url: "http://127.0.0.1:9" } });
    const none = await startServer({});
    try {
      const list = await down.call("GET", "/v1/coupon-pools", { key: down.keys.viewer });
      expect(list.status).toBe(503);
      expect(list.headers.get("retry-after")).toBe("5");
      expect(list.body.error.code).toBe("engine_unreachable");
      const imported = await down.call("POST", "/v1/coupon-pools/coffee/codes", {
        body: "C1\n",
        headers: { "content-type": "text/plain" },
      });
      expect(imported.status).toBe(503);
      expect(imported.headers.get("retry-after")).toBe("5");
      const unset = await none.call("GET", "/v1/coupon-pools", { key: none.keys.viewer });
      expect([unset.status, unset.body.error.code]).toEqual([503, "engine_not_configured"]);
    } finally {
      await down.close();
      await none.close();
    }
  });
});
