import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventLogPage } from "@lifeloop/shared";
import { checkedFetch } from "../testing/contract.ts";
import { MAX_LOG_BYTES } from "./event-log.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";

/** Every answer is held against the engine's /openapi.json. */
const fetch = checkedFetch();
const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-event-log-"));
const NOW = Date.parse("2026-11-20T12:00:00Z");
const DAY = 86_400_000;

const invite = (i: number, at: number, userId = `u${i % 3}`) => ({
  id: `inv-${i}`,
  userId,
  type: "invite_accepted",
  at: new Date(at).toISOString(),
  props: { inviteeId: `f${i}` },
});

// Twenty events, one every 12 hours from Nov 10, 00:00; then one sent last that happened first (a late event).
const SENT = [...Array.from({ length: 20 }, (_, i) => invite(i, Date.parse("2026-11-10T00:00:00Z") + (i * DAY) / 2))];
const LATE = invite(99, Date.parse("2026-11-10T06:00:00Z"), "u1");

let s: Sidecar;
const log = async (query: string) => {
  const res = await fetch(`${s.url}/v1/events/log?${query}`);
  return { status: res.status, body: (await res.json()) as EventLogPage & { error?: { issues: unknown } } };
};
const post = async (events: unknown[]) => {
  const res = await fetch(`${s.url}/v1/events?wait=applied`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(202);
};

beforeAll(async () => {
  s = await startSidecar({
    db: join(dir, "engine.sqlite"),
    host: "127.0.0.1",
    port: 0,
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    log: () => {},
    now: () => NOW,
    journeyFiles: [join(SAMPLES, "invite-reward.json")],
  });
  await post(SENT);
  await post([LATE]);
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /v1/events/log", () => {
  it("answers the window's events in the order they were applied, with since included and until excluded", async () => {
    const since = "2026-11-10T00:00:00Z";
    const until = "2026-11-12T00:00:00Z";
    const r = await log(`since=${since}&until=${until}`);
    expect(r.status).toBe(200);
    const inWindow = [...SENT, LATE].filter((e) => e.at >= "2026-11-10T00:00:00.000Z" && e.at < "2026-11-12T00");
    // The late event was applied last, so it comes last although it happened second.
    expect(r.body.events.map((e) => e.id)).toEqual(inWindow.map((e) => e.id));
    expect(r.body.events.map((e) => e.id)).toEqual(["inv-0", "inv-1", "inv-2", "inv-3", "inv-99"]);
    expect(r.body.events[0]).toEqual(SENT[0]);
    expect(r.body).toMatchObject({
      since: "2026-11-10T00:00:00.000Z",
      until: "2026-11-12T00:00:00.000Z",
      truncated: false,
      next: null,
    });
  });

  it("defaults until to the engine's clock", async () => {
    const r = await log(`since=${new Date(NOW - 30 * DAY).toISOString()}`);
    expect(r.body.until).toBe(new Date(NOW).toISOString());
    expect(r.body.events).toHaveLength(21);
  });

  it("pages by limit, saying it was cut short, and the pages add up to the window", async () => {
    const since = "2026-11-01T00:00:00Z";
    const ids: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await log(`since=${since}&limit=8${after ? `&after=${after}` : ""}`);
      expect(r.status).toBe(200);
      ids.push(...r.body.events.map((e) => e.id));
      expect(r.body.truncated).toBe(r.body.next !== null);
      after = r.body.next;
      pages++;
    } while (after !== null);
    expect(pages).toBe(3);
    expect(ids).toEqual([...SENT, LATE].map((e) => e.id));
    // Exactly a limit's worth left: the last full page is not called truncated.
    const exact = await log(`since=${since}&limit=21`);
    expect(exact.body).toMatchObject({ truncated: false, next: null });
    expect(exact.body.events).toHaveLength(21);
  });

  it("names what is wrong with the query", async () => {
    const cases: Array<[string, string]> = [
      ["until=2026-11-12T00:00:00Z", "query.since"],
      ["since=yesterday", "query.since"],
      ["since=2026-11-12T00:00:00Z&until=2026-11-11T00:00:00Z", "query.since"],
      ["since=2026-01-01T00:00:00Z", "query.since"],
      ["since=2026-11-12T00:00:00Z&limit=0", "query.limit"],
      ["since=2026-11-12T00:00:00Z&limit=10001", "query.limit"],
      ["since=2026-11-12T00:00:00Z&after=x", "query.after"],
    ];
    for (const [query, path] of cases) {
      const r = await log(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error?.issues, query).toEqual([expect.objectContaining({ path })]);
    }
  });
});

describe("the page's byte bound", () => {
  it("cuts a page of large events at 4 MiB and says so", async () => {
    // 80 events of about 60 KiB each (4.8 MB) in the hour after the other events, sent 15 to a request (the
    // ingest limit is 1 MiB).
    const filler = "x".repeat(60_000);
    const big = Array.from({ length: 80 }, (_, i) => ({
      id: `big-${i}`,
      userId: `b${i}`,
      type: "page_view",
      at: new Date(Date.parse("2026-11-20T00:00:00Z") + i * 1000).toISOString(),
      props: { filler },
    }));
    for (let i = 0; i < big.length; i += 15) await post(big.slice(i, i + 15));
    const size = Buffer.byteLength(JSON.stringify(big[0]));
    const fits = Math.floor(MAX_LOG_BYTES / size);
    const first = await log("since=2026-11-20T00:00:00Z&until=2026-11-20T01:00:00Z&limit=10000");
    expect(first.body.events.map((e) => e.id)).toEqual(big.slice(0, fits).map((e) => e.id));
    expect(first.body.truncated).toBe(true);
    const rest = await log(`since=2026-11-20T00:00:00Z&until=2026-11-20T01:00:00Z&after=${first.body.next}`);
    expect(rest.body.events.map((e) => e.id)).toEqual(big.slice(fits).map((e) => e.id));
    expect(rest.body).toMatchObject({ truncated: false, next: null });
  });
});

describe("the read-only token", () => {
  it("reads the log, and changes nothing: a POST with it is refused", async () => {
    const guarded = await startSidecar({
      db: join(dir, "guarded.sqlite"),
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
      token: "full-token",
      readToken: "read-token",
    });
    try {
      const send = (token: string | null) =>
        fetch(`${guarded.url}/v1/events?wait=applied`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(SENT.slice(0, 3)),
        });
      const read = (token: string | null) =>
        fetch(`${guarded.url}/v1/events/log?since=2026-11-01T00:00:00Z`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      expect((await send("read-token")).status).toBe(401);
      expect((await send("full-token")).status).toBe(202);
      const page = (await (await read("read-token")).json()) as EventLogPage;
      expect(page.events.map((e) => e.id)).toEqual(["inv-0", "inv-1", "inv-2"]);
      expect((await read(null)).status).toBe(401);
      expect((await read("another")).status).toBe(401);
      expect((await read("full-token")).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
