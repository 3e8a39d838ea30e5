import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

const broken = () => {
  const d = journeyDoc();
  // A wait for an event with no timeout, and an edge to a node that does not exist.
  d.nodes[1] = { ...d.nodes[1]!, params: { mode: "event", event: "login" } };
  d.edges.push({ id: "e5", source: "done", sourceHandle: "next", target: "ghost" });
  return d;
};

describe("the journey lifecycle, over HTTP against a SQLite file", () => {
  it(
    "create → edit → errors → publish refused → fix → v1 → v2 → " + "diff → export → import elsewhere → identical",
    async () => {
      const created = await s.call("POST", "/v1/journeys", {
        json: { name: "Welcome gift", id: "welcome", timeZone: "Asia/Shanghai" },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get("location")).toBe("/v1/journeys/welcome");
      expect(created.body.document.nodes).toHaveLength(1);
      let etag = created.headers.get("etag")!;
      expect(etag).toBe('"r1"');

      const edited = await s.call("PUT", "/v1/journeys/welcome/draft", {
        json: broken(),
        headers: { "if-match": etag },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.revision).toBe(2);
      expect(edited.body.problems.errors).toBeGreaterThanOrEqual(2);
      etag = edited.headers.get("etag")!;

      const refused = await s.call("POST", "/v1/journeys/welcome/publish", { json: { note: "first try" } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe("compile_failed");
      const issues = refused.body.error.issues as Array<{
        path: string;
        nodeId?: string;
        code: string;
        severity: string;
      }>;
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: "wait_without_timeout",
            path: "$.nodes[1].params.timeout",
            nodeId: "wait_login",
            severity: "error",
          }),
          expect.objectContaining({ code: "dangling_edge", path: "$.edges[4].target" }),
        ]),
      );
      expect((await s.counts()).journey_versions).toBe(0);

      const fixed = await s.call("PUT", "/v1/journeys/welcome/draft", {
        json: journeyDoc(),
        headers: { "if-match": etag },
      });
      expect(fixed.status).toBe(200);
      expect(fixed.body.problems).toEqual({ errors: 0, warnings: 0 });
      etag = fixed.headers.get("etag")!;

      const v1 = await s.call("POST", "/v1/journeys/welcome/publish", {
        json: { note: "launch" },
        headers: { "if-match": etag },
      });
      expect(v1.status).toBe(201);
      expect(v1.headers.get("location")).toBe("/v1/journeys/welcome/versions/1");
      expect(v1.body).toMatchObject({
        version: 1,
        note: "launch",
        inFlight: "keep",
        publishedBy: "test publisher",
        publishedAt: "2026-11-23T08:00:00.000Z",
        live: true,
      });
      expect(v1.body.executable.format).toBe("lifeloop.executable/1");
      expect(v1.body.cost).toEqual({ points: { perEntry: 100, perUser: 100 } });

      const next = journeyDoc();
      next.nodes[2] = {
        ...next.nodes[2]!,
        params: { reward: { type: "points", amount: 200 }, cap: { count: 1, period: "lifetime" } },
      };
      next.nodes.push({
        id: "tell",
        kind: "message",
        position: { x: 500, y: 0 },
        params: { channel: "push", template: { body: "You got {{reward.amount}} points" } },
      });
      next.edges = next.edges.filter((e) => e.id !== "e4");
      next.edges.push(
        { id: "e6", source: "gift", sourceHandle: "next", target: "tell" },
        { id: "e7", source: "tell", sourceHandle: "next", target: "done" },
      );
      next.nodes[0] = { ...next.nodes[0]!, position: { x: 10, y: 10 } };
      const saved = await s.call("PUT", "/v1/journeys/welcome/draft", { json: next, headers: { "if-match": etag } });
      expect(saved.status, saved.text).toBe(200);
      expect(saved.body.hasUnpublishedChanges).toBe(true);

      const v2 = await s.call("POST", "/v1/journeys/welcome/publish", {
        json: { note: "double the gift", inFlight: "migrate" },
      });
      expect(v2.status, v2.text).toBe(201);
      expect(v2.body).toMatchObject({ version: 2, inFlight: "migrate", note: "double the gift" });

      const diff = await s.call("GET", "/v1/journeys/welcome/diff?from=1&to=2");
      expect(diff.status).toBe(200);
      expect(diff.body.diff.nodes.added).toEqual([{ id: "tell", kind: "message" }]);
      expect(diff.body.diff.nodes.removed).toEqual([]);
      expect(diff.body.diff.nodes.changed).toEqual([
        { id: "gift", kind: "reward", fields: [{ path: "params.reward.amount", before: 100, after: 200 }] },
      ]);
      expect(diff.body.diff.nodes.moved).toEqual(["start"]);
      expect(diff.body.diff.edges.added.map((e: { id: string }) => e.id).sort()).toEqual(["e6", "e7"]);
      expect(diff.body.diff.edges.removed).toEqual([
        { id: "e4", source: "gift", sourceHandle: "next", target: "done" },
      ]);
      expect(diff.body.diff.unchanged).toBe(false);

      const exported = await s.call("GET", "/v1/journeys/welcome/export?version=2");
      expect(exported.status).toBe(200);
      expect(exported.headers.get("content-disposition")).toBe('attachment; filename="welcome.v2.json"');
      expect(exported.body.schemaVersion).toBe(1);
      expect(exported.body).toEqual(JSON.parse(v2.text).document);

      const other = await startServer();
      try {
        const form = new FormData();
        form.append("file", new Blob([exported.text], { type: "application/json" }), "welcome.v2.json");
        const imported = await other.call("POST", "/v1/journeys/import", { body: form, key: other.publisherKey });
        expect(imported.status, imported.text).toBe(201);
        expect(imported.body.remapped).toBeNull();
        const back = await other.call("GET", "/v1/journeys/welcome/export", { key: other.publisherKey });
        expect(back.text).toBe(exported.text);
      } finally {
        await other.close();
      }
    },
  );

  it("lists versions newest first and reads one, immutable", async () => {
    const list = await s.call("GET", "/v1/journeys/welcome/versions", { key: s.keys.viewer });
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { version: number; live: boolean }) => [v.version, v.live])).toEqual([
      [2, true],
      [1, false],
    ]);
    const one = await s.call("GET", "/v1/journeys/welcome/versions/1", { key: s.keys.viewer });
    expect(one.status).toBe(200);
    expect(one.body.document.nodes.find((n: { id: string }) => n.id === "gift").params.reward.amount).toBe(100);
    expect(one.headers.get("cache-control")).toContain("immutable");
    expect((await s.call("GET", "/v1/journeys/welcome/versions/9")).status).toBe(404);
    expect((await s.call("GET", "/v1/journeys/welcome/versions/zero")).status).toBe(400);
  });

  it("refuses to publish a draft identical to the latest version", async () => {
    const r = await s.call("POST", "/v1/journeys/welcome/publish", { json: {} });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("unchanged");
  });

  it("diffs the latest version against the draft by default, and says when nothing but layout changed", async () => {
    const current = await s.call("GET", "/v1/journeys/welcome");
    const doc = current.body.document;
    doc.nodes[1].position = { x: 999, y: 999 };
    const saved = await s.call("PUT", "/v1/journeys/welcome/draft", {
      json: doc,
      headers: { "if-match": current.headers.get("etag")! },
    });
    expect(saved.status).toBe(200);
    const d = await s.call("GET", "/v1/journeys/welcome/diff");
    expect(d.body).toMatchObject({ from: 2, to: "draft" });
    expect(d.body.diff.unchanged).toBe(true);
    expect(d.body.diff.nodes.moved).toEqual(["wait_login"]);
  });

  it("pauses and resumes a published journey; refuses for one never published", async () => {
    const paused = await s.call("POST", "/v1/journeys/welcome/pause");
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: "paused", paused: true, liveVersion: 2 });
    expect((await s.call("POST", "/v1/journeys/welcome/pause")).body.status).toBe("paused");
    const resumed = await s.call("POST", "/v1/journeys/welcome/resume");
    expect(resumed.body).toMatchObject({ status: "live", paused: false });

    await s.call("POST", "/v1/journeys", { json: journeyDoc("never") });
    const r = await s.call("POST", "/v1/journeys/never/pause");
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("not_published");
    const d = await s.call("GET", "/v1/journeys/never/diff");
    expect(d.status).toBe(409);
  });

  it("restores an old version into the draft", async () => {
    const r = await s.call("POST", "/v1/journeys/welcome/versions/1/restore", { key: s.keys.editor });
    expect(r.status).toBe(200);
    expect(r.body.document.nodes.find((n: { id: string }) => n.id === "gift").params.reward.amount).toBe(100);
    expect(r.body.hasUnpublishedChanges).toBe(true);
    const d = await s.call("GET", "/v1/journeys/welcome/diff?from=1&to=draft");
    expect(d.body.diff.unchanged).toBe(true);
    expect(d.body.diff.nodes.moved).toEqual([]);
  });

  it("does not publish, pause or restore an archived journey", async () => {
    await s.call("POST", "/v1/journeys", { json: journeyDoc("shelved") });
    await s.call("POST", "/v1/journeys/shelved/archive");
    for (const path of ["/v1/journeys/shelved/publish", "/v1/journeys/shelved/pause"]) {
      const r = await s.call("POST", path, { json: {} });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("archived");
    }
  });

  it("warns at publish when another live journey enters on the same event and also rewards", async () => {
    const own = await startServer();
    try {
      const publish = async (id: string, doc = journeyDoc(id)) => {
        expect((await own.call("POST", "/v1/journeys", { json: doc })).status).toBe(201);
        const r = await own.call("POST", `/v1/journeys/${id}/publish`, { json: {} });
        expect(r.status).toBe(201);
        type Found = { code: string; severity: string; message: string };
        return (r.body.issues as Found[]).filter((i) => i.code === "live_reward_overlap");
      };
      expect(await publish("gift_a")).toEqual([]);
      const second = await publish("gift_b");
      expect(second).toEqual([expect.objectContaining({ severity: "warning" })]);
      expect(second[0]!.message).toContain('(gift_a) is live, enters on "registered" too');
      // Stored with the version, so whoever reads it later sees the same warning.
      const read = await own.call("GET", "/v1/journeys/gift_b/versions/1");
      expect(read.body.issues.filter((i: { code: string }) => i.code === "live_reward_overlap")).toHaveLength(1);

      // A paused journey pays no one, and one that only messages cannot pay twice.
      expect((await own.call("POST", "/v1/journeys/gift_a/pause")).status).toBe(200);
      expect((await publish("gift_c")).map((i) => i.message)).toEqual([expect.stringContaining("(gift_b)")]);
      const quiet = journeyDoc("login_only", { nodes: journeyDoc().nodes.filter((n) => n.kind !== "reward") });
      quiet.edges = [
        { id: "e1", source: "start", sourceHandle: "next", target: "wait_login" },
        { id: "e2", source: "wait_login", sourceHandle: "event", target: "done" },
        { id: "e3", source: "wait_login", sourceHandle: "timeout", target: "late" },
      ];
      expect(await publish("login_only", quiet)).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it("does not warn of a live journey of the same group (the group gate decides), but of another", async () => {
    const own = await startServer();
    try {
      const publish = async (id: string, extra: Record<string, unknown>) => {
        expect((await own.call("POST", "/v1/journeys", { json: { ...journeyDoc(id), ...extra } })).status).toBe(201);
        const r = await own.call("POST", `/v1/journeys/${id}/publish`, { json: {} });
        expect(r.status).toBe(201);
        return (r.body.issues as Array<{ code: string; message: string }>)
          .filter((i) => i.code === "live_reward_overlap")
          .map((i) => i.message);
      };
      expect(await publish("gift_high", { group: "newcomer_gifts", priority: 10 })).toEqual([]);
      expect(await publish("gift_low", { group: "newcomer_gifts", priority: 1 })).toEqual([]);
      const other = await publish("vip_gift", { group: "vip_gifts" });
      expect(other).toEqual([expect.stringContaining("(gift_high)"), expect.stringContaining("(gift_low)")]);
      // The group is read from the stored live document: the draft's group is what was published.
      const read = await own.call("GET", "/v1/journeys/gift_low/versions/1");
      expect(read.body.document.group).toBe("newcomer_gifts");
    } finally {
      await own.close();
    }
  });
});
