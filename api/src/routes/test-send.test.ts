/**
 * A test send through a real engine sidecar (SQLite file) to the real webhook receiver, both on
 * loopback: the message rendered with the given profile and reward (money in yuan), delivered with
 * a "test/" key, refused to a viewer, and counted in none of the engine's stats.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import { Receiver } from "@lifeloop/engine/testing";
import { startServer, type TestServer } from "../testing/harness.ts";

const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const ID = "tiered-rebate";
const dir = mkdtempSync(join(tmpdir(), "lifeloop-api-test-send-"));
let engine: Sidecar;
let receiver: Receiver;
let s: TestServer;
const clock = { now: Date.parse("2026-11-20T04:00:00Z") };

beforeAll(async () => {
  receiver = await Receiver.start();
  engine = await startSidecar({
    db: join(dir, "engine.sqlite"),
    host: "127.0.0.1",
    port: 0,
    journeyFiles: [join(SAMPLES, `${ID}.json`)],
    webhook: { url: receiver.url },
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    now: () => clock.now,
    statsCacheMs: 0,
    log: () => {},
  });
  s = await startServer({ samples: "draft", engine: { url: engine.url } });
});
afterAll(async () => {
  await s?.close();
  await engine?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const reward = { type: "cashback", amount: 36_000, code: null, unit: "CNY" };

describe("POST /v1/journeys/{id}/test-send", () => {
  it("renders the node for the test person and the engine delivers it to the webhook, marked as a test", async () => {
    const before = await (await fetch(`${engine.url}/v1/journeys/${ID}/stats`)).json();
    const r = await s.call("POST", `/v1/journeys/${ID}/test-send`, {
      key: s.keys.editor,
      json: { nodeId: "notify_3", userId: "tester-1", profile: { nickname: "小李" }, reward },
    });
    expect(r.status, r.text).toBe(202);
    const sent = r.body as { key: string; text: string; test: boolean; channel: string };
    expect(sent.test).toBe(true);
    expect(sent.channel).toBe("push");
    expect(sent.key).toMatch(/^test\/tiered-rebate\/notify_3\/tester-1\//);
    expect(sent.text).toBe("本笔交易返利 3%：¥360.00 已到账。3% rebate of ¥360.00 credited.");
    await engine.pump();
    expect(receiver.acknowledged.get(sent.key)).toBe(1);
    // On the outbox like a real message (GET /v1/messages lists it delivered)…
    const listed = (await (await fetch(`${engine.url}/v1/messages?userId=tester-1`)).json()) as {
      messages: Array<{ key: string; status: string }>;
    };
    expect(listed.messages).toEqual([expect.objectContaining({ key: sent.key, status: "delivered" })]);
    // …and no step of any run: the journey's stats are as they were.
    expect(await (await fetch(`${engine.url}/v1/journeys/${ID}/stats`)).json()).toEqual(before);
  });

  it("is for editors and above, and only for message nodes", async () => {
    const body = { nodeId: "notify_3", userId: "tester-2" };
    expect((await s.call("POST", `/v1/journeys/${ID}/test-send`, { key: s.keys.viewer, json: body })).status).toBe(403);
    const notMessage = await s.call("POST", `/v1/journeys/${ID}/test-send`, {
      key: s.keys.editor,
      json: { ...body, nodeId: "tier" },
    });
    expect(notMessage.status).toBe(422);
    expect((await s.call("POST", "/v1/journeys/nope/test-send", { key: s.keys.editor, json: body })).status).toBe(404);
  });
});
