import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJourney, EngineFeed } from "@lifeloop/shared";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

const ENGINE_KEY = "engine-sidecar-secret-1";
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ engineKey: ENGINE_KEY });
});
afterAll(async () => s?.close());

const feed = (etag?: string, key = ENGINE_KEY) =>
  s.call("GET", "/v1/engine/feed", { key, ...(etag ? { headers: { "if-none-match": etag } } : {}) });

describe("the engine feed", () => {
  it("is readable with the LIFELOOP_ENGINE_KEY given at start, and starts empty", async () => {
    const r = await feed();
    expect(r.status).toBe(200);
    expect(r.body.journeys).toEqual([]);
    expect(r.headers.get("etag")).toBe(`"${r.body.etag}"`);
    expect(r.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers 304 while nothing changes, and a new etag after publish, pause, resume and archive", async () => {
    let etag = (await feed()).headers.get("etag")!;
    const same = await feed(etag);
    expect(same.status).toBe(304);
    expect(same.text).toBe("");

    const expectChanged = async () => {
      const r = await feed(etag);
      expect(r.status).toBe(200);
      // The contract the engine parses the feed with.
      expect(EngineFeed.safeParse(r.body).success).toBe(true);
      expect(r.headers.get("etag")).not.toBe(etag);
      etag = r.headers.get("etag")!;
      return r.body;
    };

    // Drafts and draft saves are not the engine's business.
    await s.call("POST", "/v1/journeys", { json: journeyDoc("fed") });
    await s.call("PUT", "/v1/journeys/fed/draft", {
      json: journeyDoc("fed", { name: "Renamed" }),
      headers: { "if-match": "*" },
    });
    expect((await feed(etag)).status).toBe(304);

    await s.call("POST", "/v1/journeys/fed/publish", { json: { note: "v1" } });
    let body = await expectChanged();
    expect(body.journeys).toHaveLength(1);
    const j = body.journeys[0];
    expect(j).toMatchObject({ journeyId: "fed", name: "Renamed", status: "live", liveVersion: 1 });
    expect(j.versions).toHaveLength(1);
    expect(j.versions[0]).toMatchObject({ version: 1, publishedAt: "2026-11-23T08:00:00.000Z", inFlight: "keep" });
    expect(j.versions[0].executable).toEqual(compileJourney(journeyDoc("fed", { name: "Renamed" })).executable);

    await s.call("POST", "/v1/journeys/fed/pause");
    body = await expectChanged();
    expect(body.journeys[0].status).toBe("paused");

    await s.call("POST", "/v1/journeys/fed/resume");
    expect((await expectChanged()).journeys[0].status).toBe("live");

    await s.call("PUT", "/v1/journeys/fed/draft", {
      json: journeyDoc("fed", { name: "Second" }),
      headers: { "if-match": "*" },
    });
    await s.call("POST", "/v1/journeys/fed/publish", { json: { inFlight: "migrate" } });
    body = await expectChanged();
    expect(body.journeys[0]).toMatchObject({ name: "Second", liveVersion: 2 });
    expect(
      body.journeys[0].versions.map((v: { version: number; inFlight: string }) => [v.version, v.inFlight]),
    ).toEqual([
      [1, "keep"],
      [2, "migrate"],
    ]);

    await s.call("POST", "/v1/journeys/fed/archive");
    expect((await expectChanged()).journeys).toEqual([]);
    await s.call("POST", "/v1/journeys/fed/unarchive");
    expect((await expectChanged()).journeys[0].status).toBe("paused");
    expect((await feed(etag)).status).toBe(304);
  });

  it("is refused to viewers and editors, open to publishers; the engine key can read nothing else", async () => {
    expect((await feed(undefined, s.keys.viewer)).status).toBe(403);
    expect((await feed(undefined, s.keys.editor)).status).toBe(403);
    expect((await feed(undefined, s.keys.publisher)).status).toBe(200);
    expect((await feed(undefined, s.keys.engine)).status).toBe(200);
    for (const [method, path] of [
      ["GET", "/v1/journeys"],
      ["GET", "/v1/journeys/fed"],
      ["GET", "/v1/segments"],
      ["GET", "/v1/audit"],
      ["POST", "/v1/journeys/fed/pause"],
    ] as const) {
      const r = await s.call(method, path, { key: ENGINE_KEY });
      expect(r.status, `${method} ${path}`).toBe(403);
    }
  });

  it("retires the previous engine key when the server starts with a different one", async () => {
    const dir = s.dir;
    const next = await startServer({ dir, engineKey: "engine-sidecar-secret-2" });
    try {
      const old = await next.call("GET", "/v1/engine/feed", { key: ENGINE_KEY });
      expect(old.status).toBe(401);
      const fresh = await next.call("GET", "/v1/engine/feed", { key: "engine-sidecar-secret-2" });
      expect(fresh.status).toBe(200);
      expect(fresh.body.journeys.map((j: { journeyId: string }) => j.journeyId)).toEqual(["fed"]);
    } finally {
      await next.close();
    }
  });
});

describe("the engine feed with a workspace holdout (LIFELOOP_HOLDOUT)", () => {
  it("carries the holdout, and an engine's ETag from before it was set is answered in full", async () => {
    const dir = s.dir;
    const plain = await feed();
    expect(plain.body.holdout).toBeUndefined();
    const holdout = { salt: "2026", shareBp: 500, journeys: "all" as const };
    const next = await startServer({ dir, engineKey: ENGINE_KEY, holdout });
    try {
      const r = await next.call("GET", "/v1/engine/feed", {
        key: ENGINE_KEY,
        headers: { "if-none-match": plain.headers.get("etag")! },
      });
      expect(r.status).toBe(200);
      expect(EngineFeed.parse(r.body).holdout).toEqual(holdout);
      const again = await next.call("GET", "/v1/engine/feed", {
        key: ENGINE_KEY,
        headers: { "if-none-match": r.headers.get("etag")! },
      });
      expect(again.status).toBe(304);
    } finally {
      await next.close();
    }
  });
});
