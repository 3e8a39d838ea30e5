import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../testing/harness.ts";
import { GIFT_POINTS, startPointsEngine, type PointsEngine } from "../testing/points-engine.ts";

// A real engine sidecar on a SQLite file (people with 500 points each) and a real API spending through it.
const START = "2026-11-23T08:00:00Z";
const NOW = Date.parse(START);
const dir = mkdtempSync(join(tmpdir(), "lifeloop-api-catalog-"));

let engine: PointsEngine;
let s: TestServer;

const feeWaiver = {
  id: "fee-waiver",
  name: { en: "Fee waiver", zh: "手续费减免" },
  points: 200,
  stock: 3,
  perPersonLimit: 1,
};
const dataPlan = {
  id: "data-plan",
  name: { en: "1 GB data plan", zh: "1GB 流量包" },
  points: 300,
  stock: 1,
  perPersonLimit: null,
};
const video = {
  id: "video-month",
  name: { en: "Video membership", zh: "视频会员" },
  points: 450,
  stock: null,
  perPersonLimit: 2,
};

beforeAll(async () => {
  engine = await startPointsEngine(dir, join(dir, "engine.sqlite"), () => NOW);
  await engine.grant(["ana", "bo", "cy"]);
  s = await startServer({ start: START, engine: { url: engine.sidecar.url } });
  for (const item of [feeWaiver, dataPlan, video])
    expect((await s.call("POST", "/v1/catalog/items", { json: item })).status).toBe(201);
});
afterAll(async () => {
  await s?.close();
  await engine?.sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

const redeem = (item: string, key: string, userId: string) =>
  s.call("POST", `/v1/catalog/items/${item}/redeem`, { json: { key, userId } });
const stockOf = async (id: string) =>
  (
    (await s.call("GET", "/v1/catalog/items", { key: s.keys.viewer })).body.items as Array<{
      id: string;
      stock: number;
    }>
  ).find((i) => i.id === id)!;

describe("the catalog's items", () => {
  it("lists the items (oldest first, then by id) in both languages to a viewer; a publisher changes them", async () => {
    const list = await s.call("GET", "/v1/catalog/items", { key: s.keys.viewer });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string; name: { zh: string } }) => [i.id, i.name.zh])).toEqual([
      ["data-plan", "1GB 流量包"],
      ["fee-waiver", "手续费减免"],
      ["video-month", "视频会员"],
    ]);
    const asEditor = await s.call("POST", "/v1/catalog/items", { key: s.keys.editor, json: { ...video, id: "x" } });
    expect(asEditor.status).toBe(403);
    expect((await s.call("POST", "/v1/catalog/items", { json: video })).status).toBe(409);
  });

  it("refuses a fractional price or a negative stock with the path", async () => {
    const half = await s.call("POST", "/v1/catalog/items", { json: { ...video, id: "half", points: 12.5 } });
    expect(half.status).toBe(400);
    expect(half.body.error.issues[0].path).toBe("$.points");
    const neg = await s.call("PUT", "/v1/catalog/items/video-month", { json: { ...video, id: undefined, stock: -1 } });
    expect(neg.status).toBe(400);
    expect(neg.body.error.issues[0].path).toBe("$.stock");
  });

  it("updates an item and records who did it", async () => {
    const { id: _, ...fields } = video;
    const r = await s.call("PUT", "/v1/catalog/items/video-month", { json: { ...fields, points: 400 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: "video-month", points: 400, stock: null, perPersonLimit: 2, retiredAt: null });
    const audit = await s.call("GET", "/v1/audit?subjectType=catalog&subjectId=video-month", { key: s.keys.viewer });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(["catalog.edit", "catalog.create"]);
    expect((await s.call("PUT", "/v1/catalog/items/nope", { json: fields })).status).toBe(404);
  });
});

describe("redeeming", () => {
  it("spends the price in the engine and takes one from stock, exactly once per key", async () => {
    const first = await redeem("fee-waiver", "ana-fee-1", "ana");
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      itemId: "fee-waiver",
      userId: "ana",
      points: 200,
      balance: 300,
      replayed: false,
    });
    const again = await redeem("fee-waiver", "ana-fee-1", "ana");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ balance: 300, replayed: true, at: first.body.at });
    expect(await engine.balance("ana")).toBe(GIFT_POINTS - 200);
    expect((await stockOf("fee-waiver")).stock).toBe(2);
    expect(await stockOf("fee-waiver")).toMatchObject({ redeemed: 1 });
  });

  it("refuses a second one over the per-person limit, whole", async () => {
    const r = await redeem("fee-waiver", "ana-fee-2", "ana");
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: { code: "limit_reached" }, points: 200, balance: null });
    expect(await engine.balance("ana")).toBe(300);
    expect((await stockOf("fee-waiver")).stock).toBe(2);
  });

  it("refuses when points are short, with the balance, and gives the stock back", async () => {
    const r = await redeem("video-month", "nobody-1", "dee");
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: { code: "insufficient_points" }, points: 400, balance: 0 });
    // ana has 300 left: the data plan (300) goes, then the video month (400) does not.
    expect((await redeem("data-plan", "ana-data", "ana")).body).toMatchObject({ balance: 0 });
    const short = await redeem("video-month", "ana-video", "ana");
    expect(short.body).toMatchObject({ error: { code: "insufficient_points" }, balance: 0 });
    // The refusal used no key: the same key is decided afresh.
    expect((await redeem("video-month", "ana-video", "ana")).status).toBe(409);
  });

  it("refuses out of stock and a retired item", async () => {
    const r = await redeem("data-plan", "bo-data", "bo");
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("out_of_stock");
    expect(await engine.balance("bo")).toBe(GIFT_POINTS);
    const retired = await s.call("POST", "/v1/catalog/items/video-month/retire");
    expect(retired.status).toBe(200);
    expect(retired.body.retiredAt).toBe(START.replace("Z", ".000Z"));
    const late = await redeem("video-month", "bo-video", "bo");
    expect(late.body.error.code).toBe("retired");
    expect((await s.call("POST", "/v1/catalog/items/nope/redeem", { json: { key: "k", userId: "bo" } })).status).toBe(
      404,
    );
  });

  it("answers 422 for a key that redeemed something else", async () => {
    const r = await redeem("data-plan", "ana-fee-1", "ana");
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("key_reused");
  });

  it("answers 503 with Retry-After when the engine is down: nothing spent, no stock taken", async () => {
    // An engine address nothing listens on: the port of a server that was started and closed.
    const gone = await startPointsEngine(dir, join(dir, "gone.sqlite"), () => NOW);
    const url = gone.sidecar.url;
    await gone.sidecar.close();
    const down = await startServer({ start: START, engine: { url }, dir: s.dir });
    try {
      const r = await down.call("POST", "/v1/catalog/items/fee-waiver/redeem", {
        key: s.publisherKey,
        json: { key: "cy-fee", userId: "cy" },
      });
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("5");
      expect((await stockOf("fee-waiver")).stock).toBe(2);
      // Back up: the same key redeems once.
      const ok = await redeem("fee-waiver", "cy-fee", "cy");
      expect(ok.body).toMatchObject({ balance: 300, replayed: false });
      expect((await stockOf("fee-waiver")).stock).toBe(1);
    } finally {
      await down.close();
    }
  });

  it("answers 409 in_progress to a key whose first request is with the engine, then its result", async () => {
    // A gate on loopback between the API and the engine: the first spend waits there until the test lets it on.
    let letThrough!: () => void;
    const gate = new Promise<void>((ok) => (letThrough = ok));
    let arrived!: () => void;
    const atGate = new Promise<void>((ok) => (arrived = ok));
    const read = async (req: IncomingMessage) => {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      return body;
    };
    const proxy = createServer((req, res) => {
      void (async () => {
        const body = await read(req);
        arrived();
        await gate;
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "host"),
        );
        const up = await fetch(`${engine.sidecar.url}${req.url}`, { method: req.method, headers, body });
        res.writeHead(up.status, { "content-type": up.headers.get("content-type") ?? "application/json" });
        res.end(await up.text());
      })();
    });
    await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
    const gated = await startServer({
      start: START,
      engine: { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` },
      dir: s.dir,
    });
    const send = () =>
      gated.call("POST", "/v1/catalog/items/fee-waiver/redeem", {
        key: s.publisherKey,
        json: { key: "bo-fee", userId: "bo" },
      });
    try {
      const before = (await stockOf("fee-waiver")).stock;
      const first = send();
      await atGate;
      const second = await send();
      expect(second.status).toBe(409);
      expect(second.headers.get("retry-after")).toBe("1");
      expect(second.body).toMatchObject({ error: { code: "in_progress" }, points: 200, balance: null });
      letThrough();
      expect((await first).body).toMatchObject({ balance: GIFT_POINTS - 200, replayed: false });
      expect((await send()).body).toMatchObject({ balance: GIFT_POINTS - 200, replayed: true });
      // One spend, one item.
      expect(await engine.balance("bo")).toBe(GIFT_POINTS - 200);
      expect((await stockOf("fee-waiver")).stock).toBe(before - 1);
    } finally {
      letThrough();
      await gated.close();
      await new Promise((ok) => proxy.close(ok));
    }
  });
});
