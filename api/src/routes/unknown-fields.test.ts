import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

/** journeyDoc with the reward's `budget` misspelt: the outer shape is sound, one node's params are not. */
const misspeltBudget = (id: string) => {
  const d = journeyDoc(id);
  d.nodes[2] = {
    ...d.nodes[2]!,
    params: { reward: { type: "points", amount: 100 }, budgte: { id: "launch", amount: 50_000 } },
  };
  return d;
};
const suggestion = {
  code: "unknown_field",
  path: "$.nodes[2].params.budgte",
  nodeId: "gift",
  field: "params.budgte",
  message: 'unknown field "budgte"; did you mean "budget"?',
};

describe("unknown fields over the API", () => {
  it("saves a draft with a misspelt param as an error, and refuses to publish it", async () => {
    const created = await s.call("POST", "/v1/journeys", { json: misspeltBudget("typo") });
    expect(created.status).toBe(201);
    expect(created.body.issues).toEqual([expect.objectContaining({ ...suggestion, severity: "error" })]);
    const published = await s.call("POST", "/v1/journeys/typo/publish", {
      json: { note: "go" },
      headers: { "if-match": created.headers.get("etag")! },
    });
    expect(published.status).toBe(422);
    expect(published.body.error.code).toBe("compile_failed");
    expect(published.body.error.issues).toEqual([expect.objectContaining(suggestion)]);
    expect((await s.counts()).journey_versions).toBe(0);
  });

  it("refuses a document with an unknown key in its outer shape, on save and import, storing nothing", async () => {
    const before = await s.counts();
    const doc = journeyDoc("outer", { settings: { quietHour: { start: "22:00", end: "08:00" } } });
    for (const path of ["/v1/journeys", "/v1/journeys/import"]) {
      const r = await s.call("POST", path, { json: doc });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("invalid_document");
      expect(r.body.error.message).toContain(
        '$.settings.quietHour: unknown field "quietHour"; did you mean "quietHours"?',
      );
      expect(r.body.error.issues).toEqual([
        expect.objectContaining({ code: "unknown_field", path: "$.settings.quietHour" }),
      ]);
    }
    expect(await s.counts()).toEqual(before);
  });

  it("refuses events with an unknown key in a simulation, at the key's path", async () => {
    await s.call("POST", "/v1/journeys", { json: journeyDoc("sim") });
    const r = await s.call("POST", "/v1/journeys/sim/simulate", {
      json: [{ id: "e1", userId: "u1", type: "registered", at: "2026-11-01T08:00:00Z", userid: "u1" }],
      key: s.keys.viewer,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.issues).toEqual([
      expect.objectContaining({
        path: "$[0].userid",
        message: 'event 1: unknown field "userid"; did you mean "userId"?',
      }),
    ]);
  });
});
