import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSidecar, type Sidecar } from "./sidecar.ts";
import type { JourneyStats } from "./stats.ts";
import { checkedFetch } from "../testing/contract.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();

// The real sidecar over a SQLite file, spoken to over HTTP; the clock is the only thing set.
const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-stats-"));
const base = {
  host: "127.0.0.1",
  port: 0,
  feedIntervalMs: 60_000,
  timerIntervalMs: 60_000,
  outboxIntervalMs: 60_000,
  log: () => {},
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const post = async (s: Sidecar, events: unknown[]) => {
  const res = await fetch(`${s.url}/v1/events?wait=applied`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(202);
  return res.json();
};
const stats = async (s: Sidecar, id = "activation-newcomer-gift") => {
  const res = await fetch(`${s.url}/v1/journeys/${id}/stats`);
  return { status: res.status, body: (await res.json()) as JourneyStats & { error?: { code: string } } };
};
const ev = (id: string, userId: string, type: string, at: string) => ({ id, userId, type, at, props: {} });

/**
 * activation-newcomer-gift: registered → wait 24 h for first_investment → (event) activated goal,
 * (timeout) gift coupon → push (quiet 22:00–08:00 Asia/Shanghai) → done. Goal: first_investment in 7 d.
 */
describe("GET /v1/journeys/:id/stats", () => {
  let s: Sidecar;
  const clock = { now: Date.parse("2026-11-03T16:00:00Z") };
  beforeAll(async () => {
    s = await startSidecar({
      ...base,
      db: join(dir, "s.sqlite"),
      journeyFiles: [join(SAMPLES, "activation-newcomer-gift.json"), join(SAMPLES, "invite-reward.json")],
      now: () => clock.now,
      statsCacheMs: 0,
    });
  });
  afterAll(() => s.close());

  it("starts at zero for every node of the version the engine runs", async () => {
    const { status, body } = await stats(s);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      journeyId: "activation-newcomer-gift",
      since: null,
      versions: [{ version: 1, live: true, active: 0 }],
      entered: 0,
      active: 0,
      converted: 0,
      exited: {},
    });
    expect(Object.keys(body.nodes).sort()).toEqual([
      "activated",
      "done",
      "gift",
      "push_gift",
      "registered",
      "wait_invest",
    ]);
    expect(Object.values(body.nodes).every((n) => n.visits === 0 && n.at === 0)).toBe(true);
  });

  it("counts entries, people at each node, arrivals, conversions and exits for a known stream", async () => {
    await post(s, [
      ev("r3", "u3", "registered", "2026-11-02T01:00:00Z"), // 09:00 local: times out 11-03 09:00 → gift → push → done
      ev("r4", "u4", "registered", "2026-11-02T15:00:00Z"), // 23:00 local: times out in quiet hours → held at push
      ev("r2", "u2", "registered", "2026-11-02T03:00:00Z"),
      // resumes by event → activated (end of path), converts
      ev("i2", "u2", "first_investment", "2026-11-02T04:00:00Z"),
      ev("r1", "u1", "registered", "2026-11-03T10:00:00Z"), // still waiting at 16:00
      ev("x9", "u9", "invite_accepted", "2026-11-03T10:00:00Z"), // another journey: not counted here
    ]);
    await post(s, [ev("r2", "u2", "registered", "2026-11-02T03:00:00Z")]); // a duplicate changes nothing
    await s.pump(); // timers due by 11-03 16:00: u3 and u4 time out

    const { body } = await stats(s);
    expect(body.entered).toBe(4);
    expect(body.active).toBe(2);
    expect(body.converted).toBe(1);
    expect(body.exited).toEqual({ end_of_path: 1, gift_sent: 1 });
    expect(body.versions).toEqual([{ version: 1, live: true, active: 2 }]);
    expect(body.since).toBe("2026-11-02T01:00:00.000Z");
    expect(body.nodes).toEqual({
      registered: { visits: 4, at: 0 },
      wait_invest: { visits: 4, at: 1 },
      activated: { visits: 1, at: 0 },
      gift: { visits: 2, at: 0 },
      push_gift: { visits: 2, at: 1 },
      done: { visits: 1, at: 0 },
    });
  });

  it("does not count the end of a pause as a second visit", async () => {
    clock.now = Date.parse("2026-11-04T00:30:00Z"); // 08:30 local: u4's held push goes out
    await s.pump();
    const { body } = await stats(s);
    expect(body.active).toBe(1);
    expect(body.exited).toEqual({ end_of_path: 1, gift_sent: 2 });
    expect(body.nodes.push_gift).toEqual({ visits: 2, at: 0 });
    expect(body.nodes.done).toEqual({ visits: 2, at: 0 });
    expect(body.nodes.wait_invest).toEqual({ visits: 4, at: 1 });
  });

  it("answers 404 for a journey the engine does not run", async () => {
    const { status, body } = await stats(s, "no-such-journey");
    expect(status).toBe(404);
    expect(body.error?.code).toBe("not_found");
  });
});

describe("stats cache", () => {
  it("reuses an answer for the cache time while steps happen, then recomputes", async () => {
    const clock = { now: Date.parse("2026-11-03T16:00:00Z") };
    const s = await startSidecar({
      ...base,
      db: join(dir, "c.sqlite"),
      journeyFiles: [join(SAMPLES, "activation-newcomer-gift.json")],
      now: () => clock.now,
    });
    try {
      await post(s, [ev("a1", "a1", "registered", "2026-11-03T15:00:00Z")]);
      expect((await stats(s)).body.entered).toBe(1);
      await post(s, [ev("a2", "a2", "registered", "2026-11-03T15:00:00Z")]);
      expect((await stats(s)).body.entered).toBe(1); // within 2 s: the cached answer
      clock.now += 2000;
      const fresh = (await stats(s)).body;
      expect(fresh.entered).toBe(2);
      expect(fresh.nodes.wait_invest).toEqual({ visits: 2, at: 2 });
      clock.now += 60_000;
      expect((await stats(s)).body.at).toBe(fresh.at); // nothing stepped since: still the same answer
    } finally {
      await s.close();
    }
  });
});
