import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineFeed, JourneyId } from "@lifeloop/shared";
import { sampleExecutable } from "../testing/samples.ts";
import { untilCaughtUp } from "./crash-scenario.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";
import type { SqliteStore } from "../store/sqlite/store.ts";
import { checkedFetch } from "../testing/contract.ts";
import { followUpJourney } from "../testing/follow-up.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();

const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-sidecar-"));
const quiet = () => {};
// The engine's clock, injected: the events below happened in early November 2026, and "this month"
// must mean that month whatever day the suite runs on.
const NOW = Date.parse("2026-11-06T12:00:00Z");
const base = {
  host: "127.0.0.1",
  port: 0,
  feedIntervalMs: 60_000,
  timerIntervalMs: 60_000,
  outboxIntervalMs: 60_000,
  log: quiet,
  now: () => NOW,
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Posts and waits for the events' effects (`?wait=applied`): the tests below read what they caused. */
const post = (s: Sidecar, body: unknown, headers: Record<string, string> = {}, wait = true) =>
  fetch(`${s.url}/v1/events${wait ? "?wait=applied" : ""}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const count = (s: Sidecar, table: string) =>
  (s.store as SqliteStore).db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

const invite = (i: number, userId = "u1") => ({
  id: `inv-${i}`,
  userId,
  type: "invite_accepted",
  at: `2026-11-06T0${i % 10}:00:00Z`,
  props: { inviteeId: `f${i}` },
});

describe("sidecar over HTTP", () => {
  let s: Sidecar;
  beforeAll(async () => {
    // The injected clock: aggregates are read "now", and the events are in November 2026.
    s = await startSidecar({
      ...base,
      db: join(dir, "a.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json"), join(SAMPLES, "tiered-rebate.json")],
    });
  });
  afterAll(() => s.close());

  it(
    "answers 202 once the events are in the log, for one event, an array or {events}; with wait=applied once " +
      "applied",
    async () => {
      const one = await post(s, invite(1), {}, false);
      expect(one.status).toBe(202);
      // Durably accepted: in the log (the applier may or may not have got to it yet).
      expect(await one.json()).toEqual({ accepted: 1, duplicates: 0, applied: false });
      expect(count(s, "events")).toBe(1);
      const both = await post(s, [invite(2), invite(3)]);
      expect(both.status).toBe(202);
      expect(both.headers.get("preference-applied")).toBe("wait=applied");
      expect(await both.json()).toEqual({ accepted: 2, duplicates: 0, failed: 0, applied: true });
      // Applied means the effects are committed: all three grants are in the ledger now.
      expect(count(s, "ledger")).toBe(3);
      const wrapped = await post(s, { events: [invite(3), invite(4)] }, { prefer: "wait=applied" }, false);
      expect(await wrapped.json()).toEqual({ accepted: 1, duplicates: 1, failed: 0, applied: true });
      expect(count(s, "events")).toBe(4);
      const bad = await fetch(`${s.url}/v1/events?wait=soon`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(invite(9)),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
        "$query.wait",
      );
    },
  );

  it("refuses a batch with a bad event, naming each bad field, and stores none of it", async () => {
    const before = count(s, "events");
    const res = await post(s, [invite(5), { id: "x", userId: "", type: "invite accepted", at: "yesterday" }]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: Array<{ path: string }> } };
    expect(body.error.code).toBe("invalid_event");
    expect(body.error.issues.map((i) => i.path).sort()).toEqual(["$[1].at", "$[1].type", "$[1].userId"]);
    expect(count(s, "events")).toBe(before);
  });

  it("refuses oversized bodies (413), other media types (415), hostile JSON (400)", async () => {
    const before = count(s, "events");
    // The server reads an oversized body to its end before answering, so an ordinary client (fetch)
    // reads the 413 instead of a reset connection — every time, not only when it wins a race.
    for (let round = 0; round < 5; round++) {
      const big = await post(s, JSON.stringify([{ ...invite(6), props: { pad: "x".repeat(2 * 1024 * 1024) } }]));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { code: string } }).error.code).toBe("too_large");
    }
    // A body past the discard bound, declared up front, is refused without reading it, and the connection closed.
    const huge = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = request(
        `${s.url}/v1/events`,
        { method: "POST", headers: { "content-type": "application/json", "content-length": String(64 * 1024 * 1024) } },
        (res) => {
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
          req.destroy();
        },
      );
      req.on("error", reject);
      req.write("[");
    });
    expect(huge).toEqual({ status: 413, connection: "close" });
    const text = await fetch(`${s.url}/v1/events`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(text.status).toBe(415);
    const proto = await post(
      s,
      '{"id":"p","userId":"u9","type":"x","at":"2026-11-06T00:00:00Z","props":{"__proto__":{"admin":true}}}',
    );
    expect(proto.status).toBe(400);
    expect(((await proto.json()) as { error: { code: string } }).error.code).toBe("forbidden_key");
    const fat = await post(s, [invite(7), { ...invite(8), props: { pad: "x".repeat(70 * 1024) } }]);
    expect(fat.status).toBe(400);
    expect(
      ((await fat.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path),
    ).toEqual(["$[1].props"]);
    const deep = await post(s, `${"[".repeat(100)}${"]".repeat(100)}`);
    expect(deep.status).toBe(400);
    expect(count(s, "events")).toBe(before);
  });

  it("shows a person's profile, runs and a timeline that says why", async () => {
    await post(s, {
      id: "t1",
      userId: "rich",
      type: "transaction",
      at: "2026-11-04T02:00:00Z",
      props: { amount: 500000 },
    });
    const res = await fetch(`${s.url}/v1/users/rich`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { aggregates: Record<string, number>; timeline: Array<Record<string, unknown>> };
    expect(body.aggregates["sum:transaction:amount:month"]).toBe(500000);
    const decision = body.timeline.find((t) => t.kind === "decide");
    expect(decision).toMatchObject({
      nodeId: "tier",
      handle: "else",
      inputs: { "agg_sum(transaction, amount, month)": 500000 },
    });
    expect((await fetch(`${s.url}/v1/users/nobody`)).status).toBe(404);
  });

  it("lists the ledger with filters, and the deliveries", async () => {
    const ledger = (await (await fetch(`${s.url}/v1/ledger?userId=u1&limit=2`)).json()) as {
      grants: Array<{ grantKey: string; amount: number }>;
      next: number | null;
    };
    expect(ledger.grants.map((g) => g.grantKey)).toEqual(["invite-reward@1/bonus/u1/1", "invite-reward@1/bonus/u1/2"]);
    expect(ledger.next).not.toBeNull();
    const rest = (await (await fetch(`${s.url}/v1/ledger?userId=u1&after=${ledger.next}`)).json()) as {
      grants: unknown[];
    };
    expect(rest.grants).toHaveLength(2);
    await s.pump();
    const messages = (await (await fetch(`${s.url}/v1/messages?userId=u1&kind=message`)).json()) as {
      messages: Array<{ status: string; effect: { text: string } }>;
    };
    expect(messages.messages).toHaveLength(4);
    expect(messages.messages.every((m) => m.status === "delivered")).toBe(true);
    expect(messages.messages[0]!.effect.text).toContain("f1");
  });

  it("reports health and Prometheus metrics", async () => {
    expect(await (await fetch(`${s.url}/healthz`)).json()).toMatchObject({
      ok: true,
      journeys: 2,
      feed: { source: "files" },
    });
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).toMatch(/^lifeloop_events_ingested_total 5$/m);
    expect(text).toMatch(/^lifeloop_events_applied_total 5$/m);
    expect(text).toMatch(/^lifeloop_events_pending 0$/m);
    expect(text).toMatch(/^lifeloop_apply_lag_seconds 0$/m);
    expect(text).toMatch(/^lifeloop_grants_total\{journey="invite-reward",unit="points"\} 4$/m);
    expect(text).toMatch(/^lifeloop_requests_rejected_total\{reason="invalid"\} 2$/m);
    expect(text).toMatch(/^lifeloop_timers_pending \d+$/m);
    expect(text).toMatch(/^lifeloop_outbox_depth\{status="delivered"\} \d+$/m);
  });

  it("refuses an event with an unknown key at that key's path, with the field it probably means", async () => {
    const before = count(s, "events");
    const { userId, ...rest } = invite(7);
    const res = await post(s, [invite(8), { ...rest, userid: userId, time: "2026-11-06T07:00:00Z" }]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: Array<{ path: string; message: string }> } };
    expect(body.error.code).toBe("invalid_event");
    expect(body.error.issues).toEqual(
      expect.arrayContaining([
        { path: "$[1].userid", message: 'unknown field "userid"; did you mean "userId"?' },
        { path: "$[1].time", message: 'unknown field "time"' },
      ]),
    );
    expect(count(s, "events")).toBe(before);
  });
});

describe("event times", () => {
  let s: Sidecar;
  beforeAll(async () => {
    s = await startSidecar({
      ...base,
      db: join(dir, "times.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
    });
  });
  afterAll(() => s.close());
  const at = (id: string, text: string) => ({
    id,
    userId: "u-time",
    type: "invite_accepted",
    at: text,
    props: { inviteeId: id },
  });

  it("refuses impossible dates with 400 and the field's path, storing nothing", async () => {
    const before = count(s, "events");
    const res = await post(s, [
      at("ok", "2026-11-06T01:00:00Z"),
      at("m13", "2026-13-01T00:00:00Z"),
      at("h25", "2026-01-01T25:00:00+08:00"),
      at("feb30", "2026-02-30T00:00:00Z"),
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: Array<{ path: string; message: string }> } };
    expect(body.error.issues.map((i) => i.path)).toEqual(["$[1].at", "$[2].at", "$[3].at"]);
    expect(body.error.issues[2]!.message).toContain("no day 30");
    expect(count(s, "events")).toBe(before);
  });

  it("refuses an `at` more than 24 h after the engine's clock, at once, and keeps the person's clock", async () => {
    const res = await post(s, {
      events: [at("far", "9999-12-31T23:59:59+14:00"), at("day-after", new Date(NOW + 25 * 3_600_000).toISOString())],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { issues: Array<{ path: string; message: string }> } };
    expect(body.error.issues.map((i) => i.path)).toEqual(["$.events[0].at", "$.events[1].at"]);
    expect(body.error.issues[0]!.message).toContain("more than 24 h after the engine's clock");
    // Within the window (clock skew): accepted, and the person's later events still move journeys.
    expect((await post(s, at("soon", new Date(NOW + 3_600_000).toISOString()))).status).toBe(202);
    expect((await post(s, at("next", new Date(NOW + 2 * 3_600_000).toISOString()))).status).toBe(202);
    const grants = (await (await fetch(`${s.url}/v1/ledger?userId=u-time`)).json()) as { grants: unknown[] };
    expect(grants.grants).toHaveLength(2);
  });

  it("is ready while writes commit", async () => {
    const res = await fetch(`${s.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, applier: { pending: 0, lagSeconds: 0 } });
  });
});

describe("the applier's lag", () => {
  it("shows in GET /v1/users/:id, /metrics and /readyz, which answers 503 past the bound", async () => {
    const clock = { now: NOW };
    const s = await startSidecar({
      ...base,
      now: () => clock.now,
      maxApplyLagMs: 30_000,
      waitAppliedMs: 200,
      db: join(dir, "lag.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
    });
    try {
      // The applier stops (as if it had fallen behind): what is accepted now waits in the log.
      await s.engine.stopApplying();
      const res = await post(s, [invite(1, "lagging"), invite(2, "lagging")], {}, false);
      expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, applied: false });
      // Waiting for application gives up after waitAppliedMs: still 202, the events are safe.
      const waited = await post(s, invite(3, "lagging"));
      expect(waited.status).toBe(202);
      expect(await waited.json()).toEqual({ accepted: 1, duplicates: 0, applied: false, pending: 1 });
      // The person is known though nothing of theirs is applied yet.
      const user = (await (await fetch(`${s.url}/v1/users/lagging`)).json()) as { runs: unknown[]; applier: unknown };
      expect(user.runs).toEqual([]);
      expect(user.applier).toEqual({ pendingEvents: 3, lagSeconds: 0 });
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      clock.now += 45_000;
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get("retry-after")).not.toBeNull();
      const body = (await ready.json()) as { reason: string; applier: unknown };
      expect(body.reason).toContain("the applier is 45.0 s behind the log (3 events pending");
      expect(body.applier).toEqual({ pending: 3, lagSeconds: 45 });
      const text = await (await fetch(`${s.url}/metrics`)).text();
      expect(text).toMatch(/^lifeloop_events_pending 3$/m);
      expect(text).toMatch(/^lifeloop_apply_lag_seconds 45$/m);
      expect(count(s, "ledger")).toBe(0);
    } finally {
      await s.close();
    }
    // The next start applies what was left in the log, once.
    const again = await startSidecar({
      ...base,
      db: join(dir, "lag.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
    });
    try {
      await untilCaughtUp(again);
      expect(count(again, "ledger")).toBe(3);
      expect((await (await fetch(`${again.url}/v1/users/lagging`)).json()) as { applier: unknown }).toMatchObject({
        applier: { pendingEvents: 0, lagSeconds: 0 },
      });
    } finally {
      await again.close();
    }
  });
});

describe("sidecar with a token", () => {
  it("refuses requests without it (but not health checks)", async () => {
    const s = await startSidecar({
      ...base,
      db: join(dir, "t.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
      token: "s3cret-token",
    });
    try {
      expect((await post(s, invite(1))).status).toBe(401);
      expect((await post(s, invite(1), { authorization: "Bearer s3cret-token" })).status).toBe(202);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

/** A host platform on loopback that records what it is sent and answers as told. */
function host(answers: number[]) {
  const requests: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  return new Promise<{ url: string; requests: typeof requests; close: () => Promise<void> }>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        url: `http://127.0.0.1:${port}/hooks`,
        requests,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

describe("webhook delivery", () => {
  it("retries with the same idempotency key and a signature, then delivers", async () => {
    const h = await host([500, 503]);
    const clock = { now: Date.parse("2026-11-06T00:00:00Z") };
    const s = await startSidecar({
      ...base,
      db: join(dir, "w.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
      webhook: { url: h.url, secret: "k" },
      now: () => clock.now,
    });
    try {
      await post(s, invite(1));
      await s.pump();
      const keys = () => h.requests.map((r) => r.headers["idempotency-key"]);
      expect(new Set(keys()).size).toBe(2); // the reward and the message
      clock.now += 1000; // first retry after 1 s
      await s.pump();
      clock.now += 2000; // second after 2 s more
      await s.pump();
      const rows = (s.store as SqliteStore).db
        .prepare("SELECT key, status, attempts FROM outbox ORDER BY seq")
        .all() as Array<{ key: string; status: string; attempts: number }>;
      expect(rows.every((r) => r.status === "delivered")).toBe(true);
      // Two failures spread over the two rows, then success: three or four POSTs per key in all, same key each time.
      for (const r of rows) expect(keys().filter((k) => k === r.key).length).toBeGreaterThanOrEqual(1);
      const last = h.requests[h.requests.length - 1]!;
      expect(last.headers["x-lifeloop-signature"]).toBe(
        `sha256=${createHmac("sha256", "k").update(last.body).digest("hex")}`,
      );
      expect(JSON.parse(last.body)).toMatchObject({ userId: "u1", journeyId: "invite-reward" });
    } finally {
      await s.close();
      await h.close();
    }
  });

  it("dead-letters what the host refuses as malformed, without retrying", async () => {
    const h = await host([400, 400]);
    const s = await startSidecar({
      ...base,
      db: join(dir, "d.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
      webhook: { url: h.url },
    });
    try {
      await post(s, invite(1));
      await s.pump();
      await s.pump();
      const rows = (s.store as SqliteStore).db.prepare("SELECT status, attempts, last_error AS e FROM outbox").all();
      expect(rows).toEqual([
        { status: "dead", attempts: 1, e: "HTTP 400" },
        { status: "dead", attempts: 1, e: "HTTP 400" },
      ]);
      expect(h.requests).toHaveLength(2);
    } finally {
      await s.close();
      await h.close();
    }
  });
});

describe("journeys from the API feed", () => {
  it("pulls with ETag, keeps the last set when the API is down, and after a restart", async () => {
    const feed: EngineFeed = {
      etag: "rev-1",
      journeys: [
        {
          journeyId: JourneyId.parse("invite-reward"),
          name: "Invite",
          status: "live",
          liveVersion: 1,
          versions: [
            {
              version: 1,
              publishedAt: "2026-11-01T00:00:00Z",
              inFlight: "keep",
              executable: sampleExecutable("invite-reward"),
            },
          ],
        },
      ],
    };
    const seen: Array<{ inm: string | undefined; auth: string | undefined }> = [];
    let up = true;
    const api = createServer((req, res) => {
      seen.push({ inm: req.headers["if-none-match"], auth: req.headers.authorization });
      if (!up) return res.destroy();
      if (req.headers["if-none-match"] === `"${feed.etag}"`) {
        res.statusCode = 304;
        return res.end();
      }
      res.setHeader("etag", `"${feed.etag}"`);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(feed));
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
    const db = join(dir, "f.sqlite");
    let s = await startSidecar({ ...base, db, api: { url, key: "engine-key" } });
    try {
      expect(s.engine.currentWorld.live.map((j) => j.journeyId)).toEqual(["invite-reward"]);
      await s.refreshFeed();
      expect(seen.map((x) => x.inm)).toEqual([undefined, '"rev-1"']);
      expect(seen[0]!.auth).toBe("Bearer engine-key");
      up = false;
      await s.refreshFeed();
      expect((await post(s, invite(1))).status).toBe(202);
      expect(count(s, "ledger")).toBe(1);
      await s.close();
      s = await startSidecar({ ...base, db, api: { url, key: "engine-key" } });
      expect(s.engine.currentWorld.live.map((j) => j.journeyId)).toEqual(["invite-reward"]);
      expect(
        ((await (await fetch(`${s.url}/healthz`)).json()) as { feed: { source: string; lastError: string } }).feed
          .source,
      ).toBe("stored");
    } finally {
      await s.close();
      await new Promise<void>((r) => api.close(() => r()));
    }
  });
});

describe("timer passes on SQLite", () => {
  it("take 250 people a transaction: a cohort whose waits end together yields the loop between passes", async () => {
    const clock = { now: NOW };
    const file = join(dir, "follow-up.json");
    writeFileSync(file, JSON.stringify(followUpJourney()));
    const s = await startSidecar({
      ...base,
      now: () => clock.now,
      db: join(dir, "timers.sqlite"),
      journeyFiles: [file],
    });
    try {
      const signups = Array.from({ length: 600 }, (_, i) => ({
        id: `signup-${i}`,
        userId: `p${i}`,
        type: "signup",
        at: new Date(NOW).toISOString(),
        props: {},
      }));
      expect((await post(s, signups)).status).toBe(202);
      expect(count(s, "timers")).toBe(600);
      clock.now += 2 * 3_600_000;
      expect(await s.engine.runDueTimers()).toBe(250);
      expect(await s.engine.runDueTimers()).toBe(250);
      expect(await s.engine.runDueTimers()).toBe(100);
      expect(count(s, "timers")).toBe(0);
    } finally {
      await s.close();
    }
  });
});
