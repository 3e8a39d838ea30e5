import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../testing/harness.ts";
import { EVENTS } from "../testing/events.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  const r = await s.call("POST", "/v1/profiles/events", { json: EVENTS });
  if (r.status !== 200) throw new Error(r.text);
});
afterAll(async () => s?.close());

describe("segments", () => {
  it("creates, reads, updates with If-Match and lists", async () => {
    const vip = await s.call("POST", "/v1/segments", {
      json: { id: "vip", name: "VIP", condition: { "==": [{ var: "profile.tier" }, "vip"] } },
      key: s.keys.editor,
    });
    expect(vip.status).toBe(201);
    expect(vip.body).toMatchObject({ id: "vip", revision: 1, etag: "s1", description: "", createdBy: "test editor" });
    expect(vip.headers.get("etag")).toBe('"s1"');
    const read = await s.call("GET", "/v1/segments/vip", { key: s.keys.viewer });
    expect(read.body.condition).toEqual({ "==": [{ var: "profile.tier" }, "vip"] });
    expect((await s.call("GET", "/v1/segments/vip", { headers: { "if-none-match": '"s1"' } })).status).toBe(304);

    const updated = await s.call("PUT", "/v1/segments/vip", {
      json: { id: "vip", name: "VIP people", condition: { "==": [{ var: "profile.tier" }, "vip"] } },
      headers: { "if-match": '"s1"' },
    });
    expect(updated.body).toMatchObject({ revision: 2, name: "VIP people" });
    const stale = await s.call("PUT", "/v1/segments/vip", {
      json: { id: "vip", name: "again", condition: true },
      headers: { "if-match": '"s1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ revision: 2, name: "VIP people" });

    await s.call("POST", "/v1/segments", {
      json: { id: "active", name: "Active", condition: { ">=": [{ agg_count: ["login", "7d"] }, 2] } },
    });
    await s.call("POST", "/v1/segments", {
      json: {
        id: "big-month",
        name: "Big month",
        condition: { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 500000] },
      },
    });
    await s.call("POST", "/v1/segments", {
      json: {
        id: "active-vip",
        name: "Active VIP",
        condition: { and: [{ in_segment: ["vip"] }, { in_segment: ["active"] }] },
      },
    });
    const list = await s.call("GET", "/v1/segments");
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual(["active", "active-vip", "big-month", "vip"]);
    expect((await s.call("GET", "/v1/segments?q=VIP")).body.total).toBe(2);
  });

  it("refuses conditions that would not evaluate, with the path inside the condition", async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ "==": [{ var: "event.type" }, "login"] }, '$.condition["=="][0].var', "unknown_variable"],
      [{ in_segment: ["nobody"] }, "$.condition.in_segment", "unknown_segment"],
      [{ agg_sum: ["transaction", "30d"] }, "$.condition.agg_sum", "bad_aggregate"],
      [{ method: ["x", "toString"] }, "$.condition.method", "refused_operator"],
    ];
    for (const [condition, path, code] of cases) {
      const r = await s.call("POST", "/v1/segments", { json: { id: "bad", name: "bad", condition } });
      expect(r.status).toBe(400);
      expect(r.body.error.issues[0]).toMatchObject({ path, code });
    }
    const cycle = await s.call("PUT", "/v1/segments/vip", {
      json: { id: "vip", name: "VIP", condition: { in_segment: ["active-vip"] } },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.issues[0].code).toBe("segment_cycle");
    const shape = await s.call("POST", "/v1/segments", { json: { id: "has space", name: "" } });
    expect(shape.status).toBe(400);
    expect(shape.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "$.condition",
      "$.id",
      "$.name",
    ]);
    expect((await s.call("GET", "/v1/segments/bad")).status).toBe(404);
  });

  it("previews counts over the stored profiles, aggregates in the asked time zone", async () => {
    const at = "2026-11-23T08:00:00Z";
    const count = async (id: string, tz = "UTC") =>
      (await s.call("GET", `/v1/segments/${id}/preview?at=${at}&timeZone=${tz}`, { key: s.keys.viewer })).body;
    expect(await count("vip")).toMatchObject({
      profiles: 3,
      evaluated: 3,
      matched: 2,
      sample: ["u1", "u2"],
      truncated: false,
      errors: { count: 0, first: null },
    });
    expect((await count("active")).sample).toEqual(["u1"]);
    // u2's big transaction falls in November only in Shanghai time; u3's amount is not a number.
    expect((await count("big-month", "UTC")).sample).toEqual(["u1"]);
    expect((await count("big-month", "Asia/Shanghai")).sample).toEqual(["u1", "u2"]);
    expect((await count("active-vip")).sample).toEqual(["u1"]);

    const unsaved = await s.call("POST", "/v1/segments/preview", {
      json: { condition: { "!": [{ var: "profile.tier" }] }, at },
      key: s.keys.viewer,
    });
    expect(unsaved.body).toMatchObject({ matched: 1, sample: ["u3"], at: "2026-11-23T08:00:00.000Z", timeZone: "UTC" });
    const badZone = await s.call("GET", "/v1/segments/vip/preview?timeZone=Nowhere/Land");
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.issues[0].path).toBe("query.timeZone");
  });

  it("stops a preview at the limit and says so", async () => {
    const small = await startServer({ limits: { previewProfiles: 2 } });
    try {
      await small.call("POST", "/v1/profiles/events", { json: EVENTS });
      const r = await small.call("POST", "/v1/segments/preview", { json: { condition: true } });
      expect(r.body).toMatchObject({ profiles: 3, evaluated: 2, matched: 2, truncated: true });
    } finally {
      await small.close();
    }
  });

  it("refuses to delete a segment another refers to; deletes it once free", async () => {
    const inUse = await s.call("DELETE", "/v1/segments/vip");
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe("in_use");
    expect((await s.call("DELETE", "/v1/segments/active-vip", { key: s.keys.editor })).status).toBe(204);
    expect((await s.call("DELETE", "/v1/segments/vip")).status).toBe(204);
    expect((await s.call("DELETE", "/v1/segments/vip")).status).toBe(404);
  });
});
