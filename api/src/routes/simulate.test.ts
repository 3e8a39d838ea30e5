import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJourney, EventEnvelope } from "@lifeloop/shared";
import { simulate } from "@lifeloop/engine/simulate";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ samples: "draft" });
});
afterAll(async () => s?.close());

const ID = "activation-newcomer-gift";
const streamText = readFileSync(new URL(`../../../samples/events/${ID}.jsonl`, import.meta.url), "utf8");
const lines = streamText.trim().split("\n");
const rewarded = (body: { effects: Array<{ kind: string; userId: string }> }) =>
  body.effects
    .filter((e) => e.kind === "reward")
    .map((e) => e.userId)
    .sort();

describe("simulate", () => {
  it("replays a named sample through the draft with the engine's simulate, touching nothing stored", async () => {
    const before = await s.counts();
    const r = await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: ID }, key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    // u1 and u4 invest within 24 h; u2 never does and u3 a minute late: those two get the coupon.
    expect(rewarded(r.body)).toEqual(["u2", "u3"]);
    expect(r.body).toMatchObject({ journeyId: ID, simulated: "draft", revision: 1, stats: { events: 11, users: 4 } });
    expect(r.body.summary[0].cost).toEqual({ CNY: { grants: 2, amount: 4000 } });
    expect(r.body.worstCase).toEqual({ CNY: { perEntry: 2000, perUser: 2000 } });

    const doc = (await s.call("GET", `/v1/journeys/${ID}`)).body.document;
    const direct = simulate({
      journeys: [{ executable: compileJourney(doc).executable!, version: 1 }],
      events: lines.map((l) => EventEnvelope.parse(JSON.parse(l))),
    });
    expect(r.body.effects).toEqual(JSON.parse(JSON.stringify(direct.effects)));
    expect(r.body.summary).toEqual(JSON.parse(JSON.stringify(direct.summary)));
    expect(await s.counts()).toEqual(before);
  });

  it("takes an uploaded JSONL stream, as the body or as a multipart file", async () => {
    const onlyU2 = lines.filter((l) => l.includes('"u2"')).join("\n");
    const ndjson = await s.call("POST", `/v1/journeys/${ID}/simulate`, {
      body: onlyU2,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(ndjson.status, ndjson.text).toBe(200);
    expect(rewarded(ndjson.body)).toEqual(["u2"]);
    const form = new FormData();
    form.append("file", new Blob([streamText]), "events.jsonl");
    const multipart = await s.call("POST", `/v1/journeys/${ID}/simulate`, { body: form });
    expect(rewarded(multipart.body)).toEqual(["u2", "u3"]);
    // Timers run to `until` once the stream ends: registrations only, stopped before any 24 h timeout.
    const registrations = lines.filter((l) => !l.includes("first_investment")).join("\n");
    const open = await s.call("POST", `/v1/journeys/${ID}/simulate`, {
      body: registrations,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(rewarded(open.body)).toEqual(["u1", "u2", "u3", "u4"]);
    const until = await s.call("POST", `/v1/journeys/${ID}/simulate?until=2026-11-02T12:00:00Z`, {
      body: registrations,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(rewarded(until.body)).toEqual([]);
    expect(until.body.stats.until).toBe("2026-11-02T12:00:00.000Z");
  });

  it("simulates the draft as edited, or a published version when asked", async () => {
    const current = await s.call("GET", `/v1/journeys/${ID}`);
    expect((await s.call("POST", `/v1/journeys/${ID}/publish`, { json: { note: "24 h" } })).status).toBe(201);
    const doc = current.body.document;
    doc.nodes[1].params.timeout = "48h";
    expect(
      (
        await s.call("PUT", `/v1/journeys/${ID}/draft`, {
          json: doc,
          headers: { "if-match": current.headers.get("etag")! },
        })
      ).status,
    ).toBe(200);
    const draft = await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: ID } });
    expect(rewarded(draft.body)).toEqual(["u2"]);
    expect(draft.body.revision).toBe(2);
    const v1 = await s.call("POST", `/v1/journeys/${ID}/simulate?version=1`, { json: { sample: ID } });
    expect(v1.body.simulated).toBe(1);
    expect(rewarded(v1.body)).toEqual(["u2", "u3"]);
  });

  it("refuses a draft that does not compile, unknown samples, bad events and the engine role", async () => {
    const current = await s.call("GET", "/v1/journeys/tiers");
    const doc = current.body.document;
    doc.edges = [];
    await s.call("PUT", "/v1/journeys/tiers/draft", { json: doc, headers: { "if-match": "*" } });
    const broken = await s.call("POST", "/v1/journeys/tiers/simulate", { json: { sample: "tiers" } });
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe("compile_failed");
    expect(broken.body.error.issues[0]).toMatchObject({ code: "handle_unconnected", nodeId: "enter_new" });

    expect((await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: "nope" } })).status).toBe(404);
    // the path-escape attempt this test sends; the global escape() is not used here
    // biome-ignore lint/suspicious/noShadowRestrictedNames: the reason above
    const escape = await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: "../journeys/tiers" } });
    expect(escape.status).toBe(400);
    expect((await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: {} })).status).toBe(400);
    const bad = await s.call("POST", `/v1/journeys/${ID}/simulate`, {
      body: '{"id":"x","userId":"u","type":"login","at":"now"}',
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("$[0].at");
    expect((await s.call("POST", "/v1/journeys/ghost/simulate", { json: { sample: ID } })).status).toBe(404);
    expect(
      (await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: ID }, key: s.keys.engine })).status,
    ).toBe(403);
  });
});

describe("simulate: a rule over a run-time limit on the replayed events", () => {
  // merge copies the accumulator each time: n items cost about n²/2 steps, over the 1,000,000 budget from ~1,415 items.
  const RULE = {
    "!!": [{ reduce: [{ var: "event.props.list" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] }],
  };
  const doc = journeyDoc("list-check", {
    nodes: [
      { id: "start", kind: "trigger", position: { x: 0, y: 0 }, params: { mode: "event", event: "order" } },
      { id: "check", kind: "condition", position: { x: 200, y: 0 }, params: { rule: RULE } },
      { id: "done", kind: "exit", position: { x: 400, y: 0 }, params: { reason: "checked" } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "check" },
      { id: "e2", source: "check", sourceHandle: "yes", target: "done" },
      { id: "e3", source: "check", sourceHandle: "no", target: "done" },
    ],
  });
  const order = (id: string, userId: string, n: number) => ({
    id,
    userId,
    type: "order",
    at: "2026-11-02T02:00:00Z",
    props: { list: Array.from({ length: n }, (_, i) => i % 10) },
  });
  const logged: string[] = [];
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer({
      log: (message, error) => logged.push(`${message}${error instanceof Error ? `\n${error.stack}` : ""}`),
    });
    expect((await t.call("POST", "/v1/journeys", { json: doc })).status).toBe(201);
  });
  afterAll(async () => t?.close());

  it(
    "answers 422 rule_failed with the code, the node, the rule's path, the person and the event; nothing in " +
      "the log",
    async () => {
      const r = await t.call("POST", "/v1/journeys/list-check/simulate", {
        json: { events: [order("small", "u1", 3), order("big", "u2", 2000)] },
      });
      expect(r.status, r.text).toBe(422);
      expect(r.body.error).toMatchObject({
        code: "rule_failed",
        failure: {
          code: "limit_steps",
          journeyId: "list-check",
          nodeId: "check",
          path: "$.nodes[1].params.rule",
          rulePath: '$["!!"][0].reduce[1]',
          userId: "u2",
          eventId: "big",
        },
        issues: [
          {
            path: '$.nodes[1].params.rule["!!"][0].reduce[1]',
            nodeId: "check",
            field: "params.rule",
            code: "limit_steps",
            severity: "error",
          },
        ],
      });
      expect(r.body.error.message).toContain('node "check"');
      expect(r.body.error.message).toContain("for u2 on event big");
      // The same for the simulated report, and as JSONL.
      const report = await t.call("POST", "/v1/journeys/list-check/report/simulate", {
        body: JSON.stringify(order("big", "u2", 2000)),
        headers: { "content-type": "application/x-ndjson" },
      });
      expect(report.status, report.text).toBe(422);
      expect(report.body.error.failure).toMatchObject({
        code: "limit_steps",
        nodeId: "check",
        path: "$.nodes[1].params.rule",
      });
      expect(logged).toEqual([]);
      // Small events replay as usual.
      expect(
        (await t.call("POST", "/v1/journeys/list-check/simulate", { json: { events: [order("small", "u1", 3)] } }))
          .status,
      ).toBe(200);
    },
  );

  it("refuses to publish a rule over a limit whatever the data (rule_over_limit), and accepts it fixed", async () => {
    const current = await t.call("GET", "/v1/journeys/list-check");
    const bad = structuredClone(current.body.document);
    bad.nodes[1].params.rule = { "==": [{ var: "event.props.code" }, { cat: ["x".repeat(70_000)] }] };
    expect(
      (
        await t.call("PUT", "/v1/journeys/list-check/draft", {
          json: bad,
          headers: { "if-match": current.headers.get("etag")! },
        })
      ).status,
    ).toBe(200);
    const refused = await t.call("POST", "/v1/journeys/list-check/publish", { json: { note: "too long" } });
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.code).toBe("compile_failed");
    expect(refused.body.error.issues).toContainEqual(
      expect.objectContaining({ code: "rule_over_limit", path: '$.nodes[1].params.rule["=="][1]', nodeId: "check" }),
    );
  });
});

describe("simulate with the workspace holdout: incrementality of the simulated stream", () => {
  const samples = new URL("../../../samples/", import.meta.url);
  const holdout = JSON.parse(readFileSync(new URL("holdout.json", samples), "utf8"));
  const month = readFileSync(new URL("events/holdout-month.jsonl", samples), "utf8")
    .trim()
    .split("\n")
    .map((l) => EventEnvelope.parse(JSON.parse(l)));
  let h: TestServer;
  beforeAll(async () => {
    h = await startServer({ samples: "draft", holdout });
  });
  afterAll(async () => h?.close());

  /** The holdout's published hash (FNV-1a of salt, NUL, person; murmur3's finaliser), written out again. */
  const bucket = (salt: string, userId: string) => {
    const text = `${salt}\u0000${userId}`;
    let x = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 0x01000193);
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return ((x ^ (x >>> 16)) >>> 0) % 10_000;
  };

  it("counts exposed and held-out people, their orders within 7 days and the coupons, as the stream says", async () => {
    const r = await h.call("POST", "/v1/journeys/first-order-discount/simulate", {
      json: { sample: "holdout-month" },
      key: h.keys.viewer,
    });
    expect(r.status, r.text).toBe(200);
    const signUp = new Map(month.filter((e) => e.type === "registered").map((e) => [e.userId, Date.parse(e.at)]));
    const ordered = new Set(
      month
        .filter((e) => e.type === "order_placed" && Date.parse(e.at) - signUp.get(e.userId)! <= 7 * 86_400_000)
        .map((e): string => e.userId),
    );
    const held = [...signUp.keys()].filter((u) => bucket(holdout.salt, u) < holdout.shareBp);
    const exposed = [...signUp.keys()].filter((u) => !held.includes(u));
    const side = (people: string[]) => ({
      people: people.length,
      converted: people.filter((u) => ordered.has(u)).length,
    });
    const [e, ho] = [side(exposed), side(held)];
    const report = r.body.incrementality;
    expect(report.source).toBe("simulation");
    expect(report.journeys).toHaveLength(1);
    const j = report.journeys[0];
    expect([j.journeyId, j.goal]).toEqual(["first-order-discount", "order_placed"]);
    expect(j.exposed).toMatchObject(e);
    expect(j.heldOut).toMatchObject(ho);
    expect(j.absoluteLift.value).toBeCloseTo(e.converted / e.people - ho.converted / ho.people, 12);
    // Every exposed person got the ¥50 coupon; cost per incremental order = cost / (lift × exposed).
    const cost = 5000 * e.people;
    const incremental = (e.converted / e.people - ho.converted / ho.people) * e.people;
    expect(j.cost).toEqual([{ unit: "CNY", amount: cost, perIncrementalConversion: Math.round(cost / incremental) }]);
    expect(report.overall.exposed).toEqual(j.exposed);
  });

  it("says null without a holdout", async () => {
    const r = await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: ID }, key: s.keys.viewer });
    expect(r.body.incrementality).toBeNull();
  });
});
