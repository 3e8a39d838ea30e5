import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileJourney, EventEnvelope } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { afterAll, describe, expect, it } from "vitest";
import { startSidecar } from "./server/sidecar.ts";
import { simulate } from "./simulate.ts";
import { SqliteStore } from "./store/sqlite/store.ts";
import { replayDurable } from "./testing/replay.ts";
import { pick, runSample, sampleEvents, sampleExecutable } from "./testing/samples.ts";

/**
 * Journeys that read the wallet: `points_expiring` N days before points expire (from the `#wallet`
 * timer), `points_redeemed` when a redeem spends. The expected instants are worked out here from
 * the calendar, not read from the engine: a grant's points last through the local day one month on
 * (Asia/Shanghai, UTC+8, no DST), so they expire at the next local midnight, 16:00 UTC the day before.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI = 8 * HOUR;
/** The instant points granted at `at` expire after one month in Shanghai: local midnight after that day. */
function expiresAfterAMonth(at: string): number {
  const local = new Date(Date.parse(at) + SHANGHAI);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  return Date.UTC(y, m, day + 1) - SHANGHAI;
}
const iso = (ms: number) => new Date(ms).toISOString();

describe("the points-expiry sample: a push 3 days before the sign-up points expire", () => {
  const until = "2027-01-05T00:00:00Z";
  const r = runSample("points-expiry", { until });
  const registrations = sampleEvents("points-expiry").map((e) => ({ userId: e.userId, at: e.at }));

  it("reminds each person exactly 72 hours before their points expire, with the points in the text", () => {
    const expected = registrations
      .map(({ userId, at }) => ({ userId, at: expiresAfterAMonth(at) - 3 * DAY }))
      .sort((a, b) => a.at - b.at)
      .map(({ userId, at }) => ({
        at: iso(at),
        userId,
        nodeId: "remind",
        channel: "push",
        text: "您有 300 积分将于 3 天后过期。300 points expire in 3 days.",
      }));
    expect(pick(r, "message", ["channel", "text"])).toEqual(expected);
    // The calendar by hand for the first two: 10:00 on 2 Nov lasts through 2 Dec; 01:30 on 3 Nov (local)
    // through 3 Dec.
    expect(expected.slice(0, 2).map((m) => [m.userId, m.at])).toEqual([
      ["u1", "2026-11-29T16:00:00.000Z"],
      ["u2", "2026-11-30T16:00:00.000Z"],
    ]);
  });

  it("enters the reminder on the notice's trigger, then expires the points at the instant", () => {
    const enters = pick(r, "enter", ["trigger"]).filter((e) => e.nodeId === "expiring");
    expect(enters.map((e) => e.trigger)).toEqual([
      "points_expiring",
      "points_expiring",
      "points_expiring",
      "points_expiring",
    ]);
    const expiries = pick(r, "expire", ["points", "balance"]).map((e) => [e.userId, e.at, e.points, e.balance]);
    expect(expiries).toEqual(
      registrations
        .map(({ userId, at }) => [userId, iso(expiresAfterAMonth(at)), 300, 0] as const)
        .sort((a, b) => (a[1] < b[1] ? -1 : 1)),
    );
  });

  it("does the same on the durable runtime, effect for effect", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const live = await replayDurable(
        store,
        [sampleExecutable("points-expiry")],
        sampleEvents("points-expiry"),
        Date.parse(until),
      );
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(r.effects));
    } finally {
      await store.close();
    }
  });

  it("sends no notice that would fall before the grant, nor one nobody asked for", () => {
    // Points granted 2 days before they expire get no 3-day notice; without the trigger, no notice at all.
    const short = compileJourney(
      journey({
        id: "short-lived",
        entry: { reentry: "always" },
        nodes: [
          trigger("start", "registered"),
          node("gift", "reward", { reward: { type: "points", amount: 50 }, expires: { after: 2, unit: "day" } }),
          exitNode("end"),
          node("soon", "trigger", { mode: "points_expiring", days: 3 }),
          node("note", "message", { channel: "push", template: { body: "{{trigger.props.points}}" } }),
          exitNode("noted"),
        ],
        edges: [edge("start", "gift"), edge("gift", "end"), edge("soon", "note"), edge("note", "noted")],
      }),
    ).executable!;
    const events = [{ id: "r", userId: "u", type: "registered", at: "2026-11-02T02:00:00Z", props: {} }].map((e) =>
      EventEnvelope.parse(e),
    );
    const out = simulate({ journeys: [{ executable: short }], events, until: "2026-11-10T00:00:00Z" });
    expect(pick(out, "message")).toEqual([]);
    expect(pick(out, "expire", ["points"])).toEqual([
      { at: "2026-11-04T16:00:00.000Z", userId: "u", nodeId: null, points: 50 },
    ]);
  });
});

describe("points_redeemed: a journey triggered by a redemption", () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-redeemed-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts a run when a redeem spends, with the item, points and balance; a refusal starts none", async () => {
    const thanks = journey({
      id: "redeem-thanks",
      entry: { reentry: "always" },
      nodes: [
        trigger("start", "registered"),
        node("gift", "reward", { reward: { type: "points", amount: 500 }, cap: { count: 1, period: "lifetime" } }),
        exitNode("end"),
        node("redeemed", "trigger", {
          mode: "event",
          event: "points_redeemed",
          filter: { "==": [{ var: "event.props.item" }, "fee-waiver"] },
        }),
        node("note", "message", {
          channel: "push",
          template: {
            body: "已兑换 {{trigger.props.item}}，花费 {{trigger.props.points}} 积分，余 {{trigger.props.balance}}",
          },
        }),
        exitNode("noted"),
      ],
      edges: [edge("start", "gift"), edge("gift", "end"), edge("redeemed", "note"), edge("note", "noted")],
    });
    const file = join(dir, "thanks.json");
    writeFileSync(file, JSON.stringify(thanks));
    const now = Date.parse("2026-11-23T08:00:00Z");
    const s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      db: join(dir, "engine.sqlite"),
      journeyFiles: [file],
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => now,
    });
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${s.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const reg = { id: "r1", userId: "u1", type: "registered", at: "2026-11-23T07:00:00Z", props: {} };
      expect((await post("/v1/events?wait=applied", reg)).status).toBe(202);
      expect(
        (await post("/v1/wallet/redeem", { key: "k1", userId: "u1", points: 200, item: "fee-waiver" })).status,
      ).toBe(200);
      expect(
        (await post("/v1/wallet/redeem", { key: "k2", userId: "u1", points: 100, item: "data-plan" })).status,
      ).toBe(200);
      expect(
        (await post("/v1/wallet/redeem", { key: "k3", userId: "u1", points: 900, item: "fee-waiver" })).status,
      ).toBe(409);
      const timeline = (await (await fetch(`${s.url}/v1/users/u1`)).json()) as {
        timeline: Array<{ kind: string; nodeId: string | null; text?: string; trigger?: string }>;
      };
      const messages = timeline.timeline.filter((t) => t.kind === "message");
      expect(messages.map((m) => m.text)).toEqual(["已兑换 fee-waiver，花费 200 积分，余 300"]);
      expect(timeline.timeline.filter((t) => t.kind === "enter").map((t) => t.trigger)).toEqual([
        "registered",
        "points_redeemed",
      ]);
      // A host cannot send the wallet's events itself.
      const fake = { id: "f1", userId: "u1", type: "points_redeemed", at: "2026-11-23T07:30:00Z", props: {} };
      expect((await post("/v1/events", fake)).status).toBe(400);
    } finally {
      await s.close();
    }
  });
});
