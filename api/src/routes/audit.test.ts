import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

describe("the audit log", () => {
  it("records who created, edited, published, paused and imported what, and when", async () => {
    await s.call("POST", "/v1/journeys", { json: journeyDoc("audited"), key: s.keys.editor });
    for (let i = 0; i < 3; i++) {
      s.clock.advance(60_000);
      await s.call("PUT", "/v1/journeys/audited/draft", {
        json: journeyDoc("audited", { name: `Save ${i}` }),
        key: s.keys.editor,
        headers: { "if-match": "*" },
      });
    }
    s.clock.advance(11 * 60_000);
    await s.call("PUT", "/v1/journeys/audited/draft", {
      json: journeyDoc("audited", { name: "Later" }),
      key: s.keys.editor,
      headers: { "if-match": "*" },
    });
    await s.call("POST", "/v1/journeys/audited/publish", { json: { note: "go" }, key: s.keys.publisher });
    await s.call("POST", "/v1/journeys/audited/pause", { key: s.keys.publisher });
    await s.call("POST", "/v1/journeys/import", { json: journeyDoc("audited"), key: s.keys.editor });

    const r = await s.call("GET", "/v1/audit?subjectType=journey&subjectId=audited", { key: s.keys.viewer });
    expect(r.status).toBe(200);
    const entries = r.body.entries as Array<{
      action: string;
      actor: { name: string };
      at: string;
      detail: Record<string, unknown>;
    }>;
    expect(entries.map((e) => [e.action, e.actor.name])).toEqual([
      ["journey.pause", "test publisher"],
      ["journey.publish", "test publisher"],
      ["journey.edit", "test editor"],
      ["journey.edit", "test editor"],
      ["journey.create", "test editor"],
    ]);
    // Saves within ten minutes of each other are one entry.
    expect(entries[3]!.detail).toMatchObject({ saves: 3, fromRevision: 1, toRevision: 4 });
    expect(entries[3]!.at).toBe("2026-11-23T08:03:00.000Z");
    expect(entries[2]!.detail).toMatchObject({ saves: 1, fromRevision: 4, toRevision: 5 });
    expect(entries[1]!.detail).toMatchObject({ version: 1, note: "go", inFlight: "keep" });

    const imported = await s.call("GET", "/v1/audit?action=journey.import");
    expect(imported.body.entries[0]).toMatchObject({
      subject: { type: "journey", id: "audited-2" },
      detail: { remappedFrom: "audited" },
    });
  });

  it("pages newest first", async () => {
    const all = (await s.call("GET", "/v1/audit?limit=200")).body.entries.map((e: { id: number }) => e.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { entries: Array<{ id: number }>; nextCursor: string | null } } = await s.call(
        "GET",
        `/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.body.entries.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all).toEqual([...all].sort((a: number, b: number) => b - a));
    expect((await s.call("GET", "/v1/audit?action=journey.explode")).status).toBe(400);
  });
});
