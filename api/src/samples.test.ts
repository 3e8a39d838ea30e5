import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./testing/harness.ts";

const sampleIds = readdirSync(new URL("../../samples/journeys/", import.meta.url))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ samples: "publish" });
});
afterAll(async () => s?.close());

describe("samples on first start", () => {
  it("loads every sample journey, their segments and the sample event streams", async () => {
    const list = await s.call("GET", "/v1/journeys?limit=100&sort=name");
    expect(list.body.items.map((j: { id: string }) => j.id).sort()).toEqual(sampleIds);
    const segments = await s.call("GET", "/v1/segments");
    expect(segments.body.items.map((x: { id: string }) => x.id)).toEqual([
      "acquisition",
      "activation",
      "churn",
      "churn_risk",
      "growth",
      "high_value",
      "maturity",
      "new_explorer",
      "steady",
    ]);
    // Each journey's own stream (ab-deposit-copy's: 1,003), and once each group's: newcomer-gifts (8 events),
    // newcomer-welcome (6).
    expect((await s.counts()).profile_events).toBe(1239);
    const audit = await s.call("GET", "/v1/audit?action=journey.import&limit=200");
    expect(audit.body.entries).toHaveLength(sampleIds.length);
    expect(audit.body.entries[0]).toMatchObject({ actor: { id: "system" }, detail: { sample: true } });
  });

  it("publishes them as version 1 when asked, so the engine feed has them", async () => {
    const feed = await s.call("GET", "/v1/engine/feed", { key: s.keys.engine });
    expect(feed.body.journeys.map((j: { journeyId: string }) => j.journeyId)).toEqual(sampleIds);
    expect(
      feed.body.journeys.every(
        (j: { liveVersion: number; status: string }) => j.liveVersion === 1 && j.status === "live",
      ),
    ).toBe(true);
  });

  it("does not load them again into a database that had them, even after they were deleted", async () => {
    await s.call("POST", "/v1/journeys", { json: { name: "mine" } });
    const again = await startServer({ dir: s.dir, samples: "publish" });
    try {
      expect(await again.counts()).toEqual(await s.counts());
    } finally {
      await again.close();
    }
  });
});
