/**
 * GET /v1/levels: the workspace's growth levels as LIFELOOP_LEVELS set them, the same the engine
 * feed carries; any key may read them. Answers are checked against /openapi.json by the harness.
 */
import { readFileSync } from "node:fs";
import { parseLevelsSetting } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../testing/harness.ts";

const ENGINE_KEY = "engine-sidecar-secret-levels";
const levels = parseLevelsSetting(readFileSync(new URL("../../../samples/levels.json", import.meta.url), "utf8"));
let s: TestServer;
let none: TestServer;
beforeAll(async () => {
  [s, none] = await Promise.all([startServer({ levels, engineKey: ENGINE_KEY }), startServer()]);
});
afterAll(async () => {
  await Promise.all([s?.close(), none?.close()]);
});

describe("GET /v1/levels", () => {
  it("answers the levels, xp rules with their caps and the review period to a viewer", async () => {
    const r = await s.call("GET", "/v1/levels", { key: s.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ levels });
    expect(r.body.levels.review).toBe("month");
    expect(r.body.levels.levels.map((l: { id: string; threshold: number }) => [l.id, l.threshold])).toEqual([
      ["bronze", 0],
      ["silver", 1000],
      ["gold", 5000],
    ]);
  });

  it("is the definition the engine feed carries", async () => {
    const feed = await s.call("GET", "/v1/engine/feed", { key: ENGINE_KEY });
    expect(feed.status).toBe(200);
    expect(feed.body.levels).toEqual(levels);
  });

  it("answers null without levels, and 401 without a key", async () => {
    expect((await none.call("GET", "/v1/levels")).body).toEqual({ levels: null });
    expect((await s.call("GET", "/v1/levels", { key: null })).status).toBe(401);
  });
});
