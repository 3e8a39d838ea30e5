import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../testing/harness.ts";
import { EVENTS, ev, jsonl } from "../testing/events.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

describe("profiles", () => {
  it("ingests a JSONL stream idempotently and folds identify events in time order", async () => {
    const r = await s.call("POST", "/v1/profiles/events", {
      body: jsonl(EVENTS),
      headers: { "content-type": "application/x-ndjson" },
      key: s.keys.editor,
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ accepted: 9, duplicates: 0, profiles: 3 });
    // An older identify arriving late must not override the newer one.
    const late = await s.call("POST", "/v1/profiles/events", {
      json: [ev("e10", "u2", "identify", "2026-11-01T00:00:00Z", { tier: "basic", nickname: "Bo" }), EVENTS[0]],
    });
    expect(late.body).toEqual({ accepted: 1, duplicates: 1, profiles: 1 });
    const u2 = await s.call("GET", "/v1/profiles/u2", { key: s.keys.viewer });
    expect(u2.body).toMatchObject({
      userId: "u2",
      attributes: { tier: "vip", nickname: "Bo" },
      eventCount: 4,
      firstSeenAt: "2026-09-01T00:00:00.000Z",
      lastSeenAt: "2026-11-10T00:00:00.000Z",
    });
  });

  it("says which event types the profiles were fed, with each property's kind as last seen", async () => {
    const r = await s.call("GET", "/v1/profiles/events", { key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    const byType = Object.fromEntries(
      (r.body.events as Array<{ type: string; count: number; props: object }>).map((e) => [e.type, e]),
    );
    // The newest transaction's amount is a number (an older one sent "lots").
    expect(byType.transaction).toEqual({ type: "transaction", count: 4, props: { amount: "number" } });
    expect(byType.login).toEqual({ type: "login", count: 3, props: {} });
    expect(r.body).toMatchObject({ scanned: 10, truncated: false });
  });

  it("refuses a stream with any bad event, pointing at each, and stores none of it", async () => {
    const before = await s.counts();
    const form = new FormData();
    form.append(
      "file",
      new Blob([
        jsonl([
          ev("ok1", "u9", "login", "2026-11-01T00:00:00Z"),
          { id: "bad", userId: "u9", type: "login", at: "yesterday" },
          { id: "bad2", type: "9lives", at: "2026-11-01T00:00:00Z" },
        ]),
      ]),
      "events.jsonl",
    );
    const r = await s.call("POST", "/v1/profiles/events", { body: form });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_events");
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toEqual(["$[1].at", "$[2].userId", "$[2].type"]);
    const broken = await s.call("POST", "/v1/profiles/events", {
      body: '{"id":"x"}\n{oops',
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/^line 2:/);
    expect(await s.counts()).toEqual(before);
  });

  it("lists, searches and forgets profiles", async () => {
    const list = await s.call("GET", "/v1/profiles?limit=2");
    expect(list.body.items.map((p: { userId: string }) => p.userId)).toEqual(["u1", "u2"]);
    expect(list.body.total).toBe(3);
    const next = await s.call("GET", `/v1/profiles?limit=2&cursor=${list.body.nextCursor}`);
    expect(next.body.items.map((p: { userId: string }) => p.userId)).toEqual(["u3"]);
    expect((await s.call("GET", "/v1/profiles?q=3")).body.items).toHaveLength(1);
    const forgotten = await s.call("POST", "/v1/profiles/events", {
      json: [ev("z1", "gone", "login", "2026-11-01T00:00:00Z")],
    });
    expect(forgotten.status).toBe(200);
    const before = await s.counts();
    expect((await s.call("DELETE", "/v1/profiles/gone", { key: s.keys.viewer })).status).toBe(403);
    expect((await s.call("DELETE", "/v1/profiles/gone", { key: s.keys.editor })).status).toBe(204);
    expect(await s.counts()).toMatchObject({
      profiles: before.profiles - 1,
      profile_events: before.profile_events - 1,
    });
    expect((await s.call("GET", "/v1/profiles/gone")).status).toBe(404);
  });
});
