import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BacktestResult } from "@lifeloop/shared";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import { startServer, type TestServer } from "../testing/harness.ts";

// A real engine sidecar on a SQLite file that has ingested events, and a real API reading its log over HTTP.
const SAMPLES = new URL("../../../samples/", import.meta.url).pathname;
const START = "2026-11-23T08:00:00Z";
const NOW = Date.parse(START);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-api-backtest-"));

type Sent = { id: string; userId: string; type: string; at: string; props: Record<string, unknown> };
const event = (id: string, userId: string, type: string, at: number, props: Record<string, unknown> = {}): Sent => ({
  id,
  userId,
  type,
  at: new Date(at).toISOString(),
  props,
});

// Invites every 7 hours over the last 12 days, by four people; registrations and first investments of 9
// people over the same days (some invest within 7 days, some later, some never), one of them registering twice.
const SENT: Sent[] = [];
for (let i = 0; i < 41; i++)
  SENT.push(event(`inv-${i}`, `p${i % 4}`, "invite_accepted", NOW - 12 * DAY + i * 7 * HOUR, { inviteeId: `f${i}` }));
for (let k = 0; k < 9; k++) {
  const registered = NOW - 11 * DAY + k * 30 * HOUR;
  SENT.push(event(`reg-${k}`, `n${k}`, "registered", registered));
  // k % 3: 0 invests after 2 days, 1 after 8 days, 2 never.
  if (k % 3 === 0) SENT.push(event(`inv-first-${k}`, `n${k}`, "first_investment", registered + 2 * DAY));
  // (Only what happened before now: the engine refuses events from the future.)
  if (k % 3 === 1 && registered + 8 * DAY < NOW)
    SENT.push(event(`inv-first-${k}`, `n${k}`, "first_investment", registered + 8 * DAY));
}
SENT.push(event("reg-again", "n8", "registered", NOW - 2 * HOUR));
// The log's order is the order sent; sorted by time here so the replay sees what the engine saw.
SENT.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

let engine: Sidecar;
let s: TestServer;

beforeAll(async () => {
  engine = await startSidecar({
    db: join(dir, "engine.sqlite"),
    host: "127.0.0.1",
    port: 0,
    journeyFiles: [join(SAMPLES, "journeys", "invite-reward.json")],
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    now: () => NOW,
    log: () => {},
  });
  const res = await fetch(`${engine.url}/v1/events?wait=applied`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(SENT),
  });
  expect(res.status).toBe(202);
  s = await startServer({ samples: "draft", start: START, engine: { url: engine.url } });
});
afterAll(async () => {
  await s?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const inWindow = (days: number) => SENT.filter((e) => Date.parse(e.at) >= NOW - days * DAY && Date.parse(e.at) < NOW);

describe("POST /v1/journeys/{id}/backtest", () => {
  it("replays the last 7 days of the engine's events: entries, cost, budgets, as the test counts them", async () => {
    const r = await s.call("POST", "/v1/journeys/invite-reward/backtest", { key: s.keys.viewer, json: { days: 7 } });
    expect(r.status, r.text).toBe(200);
    const result = BacktestResult.parse(r.body);
    const events = inWindow(7);
    const invites = events.filter((e) => e.type === "invite_accepted");
    expect(invites.length).toBe(23);
    // 500 points each from a 5,000-point budget: the first ten are granted, the rest refused (no one reaches
    // the cap of ten a month: the ten grants are spread over four people).
    const granted = Math.min(invites.length, 10);
    expect(result).toMatchObject({
      window: { from: new Date(NOW - 7 * DAY).toISOString(), until: new Date(NOW).toISOString() },
      replayed: events.length,
      truncated: false,
      simulated: "draft",
    });
    const summary = result.summary.find((j) => j.journeyId === "invite-reward")!;
    expect(summary.entered).toBe(invites.length);
    expect(summary.converted).toBe(0);
    expect(summary.cost).toEqual({ points: { grants: granted, amount: 500 * granted } });
    expect(summary.nodes.bonus!.refused).toEqual({ budget: invites.length - granted });
    expect(result.budgets).toEqual([
      {
        budgetId: "invite_campaign",
        unit: "points",
        amount: 5000,
        spent: 500 * granted,
        grants: granted,
        refused: invites.length - granted,
        shareBp: 10_000,
      },
    ]);
    // The same events uploaded to simulate, up to the same end, give the same answer: one simulate.
    const uploaded = await s.call("POST", `/v1/journeys/invite-reward/simulate?until=${START}`, {
      key: s.keys.viewer,
      json: { events },
    });
    expect(uploaded.status, uploaded.text).toBe(200);
    expect(uploaded.body.summary).toEqual(result.summary);
    expect(uploaded.body.effects).toEqual(result.effects);
  });

  it("counts conversions within the goal's window, and says why a second registration entered no one", async () => {
    const r = await s.call("POST", "/v1/journeys/ab-onboarding/backtest", { key: s.keys.viewer, json: { days: 10 } });
    expect(r.status, r.text).toBe(200);
    const result = BacktestResult.parse(r.body);
    const events = inWindow(10);
    const firstRegistration = new Map<string, number>();
    for (const e of events)
      if (e.type === "registered" && !firstRegistration.has(e.userId))
        firstRegistration.set(e.userId, Date.parse(e.at));
    const converted = events.filter((e) => {
      const since = firstRegistration.get(e.userId);
      return e.type === "first_investment" && since !== undefined && Date.parse(e.at) - since <= 7 * DAY;
    }).length;
    expect(firstRegistration.size).toBe(8);
    expect(converted).toBe(2);
    const summary = result.summary.find((j) => j.journeyId === "ab-onboarding")!;
    expect(summary).toMatchObject({ entered: firstRegistration.size, converted });
    expect(result.trace).toContainEqual(
      expect.objectContaining({ userId: "n8", note: "not_entered", at: new Date(NOW - 2 * HOUR).toISOString() }),
    );
  });

  it("takes a window from and until, and refuses a bad one naming the field", async () => {
    const from = new Date(NOW - 3 * DAY).toISOString();
    const until = new Date(NOW - DAY).toISOString();
    const r = await s.call("POST", "/v1/journeys/invite-reward/backtest", {
      key: s.keys.viewer,
      json: { from, until },
    });
    expect(r.status, r.text).toBe(200);
    const expected = SENT.filter((e) => e.at >= from && e.at < until).length;
    expect(r.body).toMatchObject({ window: { from, until }, replayed: expected, truncated: false });

    const cases: Array<[unknown, string]> = [
      [{ days: 0 }, "$.days"],
      [{ days: 31 }, "$.days"],
      [{ days: 7, from }, "$"],
      [{}, "$"],
      [{ from: "yesterday" }, "$.from"],
      [{ from: until, until: from }, "$.from"],
      [{ from: new Date(NOW - 40 * DAY).toISOString() }, "$.from"],
      [{ days: 7, extra: 1 }, "$.extra"],
    ];
    for (const [json, path] of cases) {
      const bad = await s.call("POST", "/v1/journeys/invite-reward/backtest", { key: s.keys.viewer, json });
      expect(bad.status, JSON.stringify(json)).toBe(400);
      expect(bad.body.error.issues[0].path, JSON.stringify(json)).toBe(path);
    }
    const none = await s.call("POST", "/v1/journeys/nope/backtest", { key: s.keys.viewer, json: { days: 7 } });
    expect(none.status).toBe(404);
  });

  it("replays at most the API's event bound and says the window was cut short", async () => {
    const small = await startServer({
      samples: "draft",
      start: START,
      engine: { url: engine.url },
      limits: { maxEvents: 5 },
    });
    try {
      const r = await small.call("POST", "/v1/journeys/invite-reward/backtest", {
        key: small.keys.viewer,
        json: { days: 7 },
      });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ replayed: 5, truncated: true });
      // The first five of the window, in the order the engine applied them.
      const firstFive = inWindow(7).slice(0, 5);
      expect(r.body.stats.events).toBe(5);
      const entered = firstFive.filter((e) => e.type === "invite_accepted").length;
      expect(r.body.summary[0].entered).toBe(entered);
    } finally {
      await small.close();
    }
  });

  it("reads the log with the engine's read-only token; a wrong token is the engine's error (502)", async () => {
    const guarded = await startSidecar({
      db: join(dir, "guarded.sqlite"),
      host: "127.0.0.1",
      port: 0,
      journeyFiles: [],
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      now: () => NOW,
      log: () => {},
      token: "full-token",
      readToken: "read-token",
    });
    const reader = await startServer({
      samples: "draft",
      start: START,
      engine: { url: guarded.url, readToken: "read-token" },
    });
    const wrong = await startServer({ samples: "draft", start: START, engine: { url: guarded.url, token: "nope" } });
    try {
      const sent = await fetch(`${guarded.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer full-token" },
        body: JSON.stringify(SENT),
      });
      expect(sent.status).toBe(202);
      const r = await reader.call("POST", "/v1/journeys/invite-reward/backtest", {
        key: reader.keys.viewer,
        json: { days: 7 },
      });
      expect(r.status, r.text).toBe(200);
      expect(r.body.replayed).toBe(inWindow(7).length);
      const w = await wrong.call("POST", "/v1/journeys/invite-reward/backtest", {
        key: wrong.keys.viewer,
        json: { days: 7 },
      });
      expect(w.status).toBe(502);
      expect(w.body.error.code).toBe("engine_error");
    } finally {
      await reader.close();
      await wrong.close();
      await guarded.close();
    }
  });

  it("answers 503 with Retry-After when the engine is down", async () => {
    await engine.close();
    const r = await s.call("POST", "/v1/journeys/invite-reward/backtest", { key: s.keys.viewer, json: { days: 7 } });
    expect(r.status, r.text).toBe(503);
    expect(r.body.error.code).toBe("engine_unreachable");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    const unconfigured = await startServer({ samples: "draft", start: START });
    try {
      const u = await unconfigured.call("POST", "/v1/journeys/invite-reward/backtest", {
        key: unconfigured.keys.viewer,
        json: { days: 7 },
      });
      expect(u.status).toBe(503);
      expect(u.body.error.code).toBe("engine_not_configured");
    } finally {
      await unconfigured.close();
    }
  });
});
