import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { observedEvents } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedFetch } from "../testing/contract.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";

/** Every answer is held against the engine's /openapi.json. */
const fetch = checkedFetch();
const dir = mkdtempSync(join(tmpdir(), "lifeloop-observed-"));
const NOW = Date.parse("2026-11-06T12:00:00Z");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("GET /v1/observed/events", () => {
  let s: Sidecar;
  beforeAll(async () => {
    s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      db: join(dir, "o.sqlite"),
    });
    const events = [
      { id: "t1", userId: "u1", type: "transaction", at: "2026-11-06T01:00:00Z", props: { amount: 1200, ok: true } },
      { id: "t2", userId: "u2", type: "transaction", at: "2026-11-06T02:00:00Z", props: { amount: 50, tags: ["a"] } },
      { id: "r1", userId: "u1", type: "registered", at: "2026-11-05T01:00:00Z", props: { channel: "app" } },
      { id: "l1", userId: "u3", type: "login", at: "2026-11-06T03:00:00Z", props: { at: "2026-11-06T03:00:00Z" } },
    ];
    const r = await fetch(`${s.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(r.status).toBe(202);
  });
  afterAll(() => s.close());

  it("lists the types in the log with each property's kind, most frequent first", async () => {
    const r = await fetch(`${s.url}/v1/observed/events`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      events: [
        { type: "transaction", count: 2, props: { amount: "number", tags: "array", ok: "boolean" } },
        { type: "login", count: 1, props: { at: "timestamp" } },
        { type: "registered", count: 1, props: { channel: "string" } },
      ],
      scanned: 4,
      truncated: false,
    });
  });

  it("reads only the newest events it is asked for, and says older ones were left", async () => {
    const body = (await (await fetch(`${s.url}/v1/observed/events?limit=2`)).json()) as ReturnType<
      typeof observedEvents
    >;
    expect(body.scanned).toBe(2);
    expect(body.truncated).toBe(true);
    // The newest two in the log: login, then the registration sent before it.
    expect(body.events.map((e) => e.type).sort()).toEqual(["login", "registered"]);
  });
});

describe("observedEvents", () => {
  it("bounds the types and props it lists, and skips what is not JSON", () => {
    const rows = [
      { type: "a", props: '{"x":1,"y":"s","z":null}' },
      { type: "b", props: "{oops" },
      { type: "c", props: "{}" },
      { type: "a", props: { x: "later", w: 2 } },
    ];
    const o = observedEvents(rows, false, { types: 2, props: 2, name: 64 });
    // The first kind seen wins; null says nothing about a kind; the third type and prop are left out.
    expect(o.events).toEqual([
      { type: "a", count: 2, props: { x: "number", y: "string" } },
      { type: "b", count: 1, props: {} },
    ]);
    expect(o).toMatchObject({ scanned: 4, truncated: true });
  });
});
