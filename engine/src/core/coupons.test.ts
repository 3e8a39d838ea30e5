import { compileJourney, EventId, UserId, type EventEnvelope } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { expectLiveMatchesSimulate } from "../testing/every-kind.ts";
import { replayDurable } from "../testing/replay.ts";
import { pick, runSample, sampleEvents, sampleExecutable } from "../testing/samples.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-coupons-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const ev = (userId: string, type: string, at: string, props: EventEnvelope["props"] = {}): EventEnvelope => ({
  id: EventId.parse(`c-${++seq}`),
  userId: UserId.parse(userId),
  type,
  at,
  props,
});

/** trigger → coupon (the given expiry and redemption) → wait for its redemption → exits by branch. */
function couponJourney(coupon: Record<string, unknown>, timeout = "2d") {
  const doc = journey({
    entry: { reentry: "always" },
    nodes: [
      trigger("start", "cart_abandoned"),
      node("coupon", "reward", {
        reward: { type: "coupon", code: "SAVE5", currency: "CNY", value: 500, ...coupon },
        cap: { count: 1, period: "lifetime" },
      }),
      node("wait", "wait", { mode: "coupon", timeout }),
      exitNode("used", "redeemed"),
      exitNode("lapsed", "not_redeemed"),
    ],
    edges: [
      edge("start", "coupon"),
      edge("coupon", "wait"),
      edge("wait", "used", "event"),
      edge("wait", "lapsed", "timeout"),
    ],
  });
  const r = compileJourney(doc);
  if (!r.executable) throw new Error(JSON.stringify(r.issues));
  return r.executable;
}

describe("coupon-expiry sample: issued, redeemed, expired", () => {
  const result = runSample("coupon-expiry");

  it("redeems by the code in the event's `code`, once, before the end of the third local day", () => {
    expect(pick(result, "coupon_redeem", ["issuedAt", "event"])).toEqual([
      {
        at: "2026-12-01T04:00:00.000Z",
        userId: "u1",
        nodeId: "coupon",
        issuedAt: "2026-12-01T02:00:00.000Z",
        event: "coupon-expiry-0003",
      },
      {
        at: "2026-12-02T01:30:00.000Z",
        userId: "u7",
        nodeId: "coupon",
        issuedAt: "2026-12-02T01:00:00.000Z",
        event: "coupon-expiry-0010",
      },
      {
        at: "2026-12-02T06:00:00.000Z",
        userId: "u2",
        nodeId: "coupon",
        issuedAt: "2026-12-01T03:00:00.000Z",
        event: "coupon-expiry-0015",
      },
      {
        at: "2026-12-03T10:00:00.000Z",
        userId: "u3",
        nodeId: "coupon",
        issuedAt: "2026-12-01T05:00:00.000Z",
        event: "coupon-expiry-0017",
      },
      // Granted at 00:30 on 2 December in Shanghai: valid through the 5th there, so the 4th's redemption counts.
      {
        at: "2026-12-04T18:00:00.000Z",
        userId: "u6",
        nodeId: "coupon",
        issuedAt: "2026-12-01T16:30:00.000Z",
        event: "coupon-expiry-0019",
      },
    ]);
  });

  it("expires the rest at local midnight (16:00 UTC), from the timers, each with its why", () => {
    const expired = pick(result, "coupon_expire", ["detail"]);
    expect(expired.map((e) => `${e.at} ${e.userId}`)).toEqual([
      "2026-12-04T16:00:00.000Z u4",
      "2026-12-04T16:00:00.000Z u5",
      "2026-12-05T16:00:00.000Z u10",
      "2026-12-05T16:00:00.000Z u8",
      "2026-12-05T16:00:00.000Z u9",
    ]);
    expect(expired[0]!.detail).toBe(
      "coupon CART20 granted at 2026-12-01T06:00:00.000Z was not redeemed by 2026-12-04T16:00:00.000Z; it expired",
    );
  });

  it("resumes the wait by its redemption, or by the timeout (a later redemption still closes the coupon)", () => {
    const resumes = pick(result, "resume", ["handle"]).map((e) => `${e.userId} ${e.handle}`);
    expect(resumes.filter((r) => r.endsWith(" event"))).toEqual(["u1 event", "u7 event", "u2 event"]);
    expect(resumes.filter((r) => r.endsWith(" timeout")).length).toBe(7);
  });

  it("runs the same live, and the SQLite ledger holds 10 issued, 5 redeemed, 5 expired", async () => {
    const executable = sampleExecutable("coupon-expiry");
    const events = sampleEvents("coupon-expiry");
    await expectLiveMatchesSimulate({ executable, events, result });
    const path = join(dir, "coupons.db");
    const store = new SqliteStore({ path });
    try {
      await replayDurable(store, [executable], events, Date.parse(result.stats.until!));
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      const rows = db
        .prepare("SELECT entry, count(*) AS n, sum(amount) AS amount FROM ledger WHERE type = 'coupon' GROUP BY 1")
        .all();
      expect(rows).toEqual([
        { entry: "expire", n: 5, amount: 10_000 },
        { entry: "grant", n: 10, amount: 20_000 },
        { entry: "redeem", n: 5, amount: 10_000 },
      ]);
      expect(
        db.prepare("SELECT grant_key AS k, code, unit FROM ledger WHERE entry = 'redeem' AND user_id = 'u6'").get(),
      ).toEqual({ k: "redeem:coupon-expiry@1/coupon/u6/1", code: "CART20", unit: "CNY" });
      // A person's coupons are no points: their wallet stays empty.
      expect(db.prepare("SELECT count(*) AS n FROM ledger WHERE unit = 'points'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe("coupon expiry and redemption", () => {
  it("an instant expiry ends a wait before its timeout, and the run takes the timeout branch then", () => {
    const exe = couponJourney({ expires: { mode: "at", at: "2026-03-02T12:00" } }, "7d");
    const r = simulate({
      journeys: [{ executable: exe }],
      events: [ev("a", "cart_abandoned", "2026-03-01T00:00:00Z")],
    });
    expect(pick(r, "wait", ["until"])).toEqual([
      { at: "2026-03-01T00:00:00.000Z", userId: "a", nodeId: "wait", until: "2026-03-02T04:00:00.000Z" },
    ]);
    expect(
      r.effects.filter((e) => e.kind !== "move" && e.at === "2026-03-02T04:00:00.000Z").map((e) => e.kind),
    ).toEqual(["coupon_expire", "resume", "exit"]);
    expect(pick(r, "exit", ["reason"]).map((e) => e.reason)).toEqual(["not_redeemed"]);
  });

  it("a configured event and property redeem it; the default event with the code does not", () => {
    const exe = couponJourney({ redeem: { event: "order_paid", property: "voucher.code" } });
    const r = simulate({
      journeys: [{ executable: exe }],
      events: [
        ev("a", "cart_abandoned", "2026-03-01T00:00:00Z"),
        ev("a", "coupon_redeemed", "2026-03-01T01:00:00Z", { code: "SAVE5" }),
        ev("a", "order_paid", "2026-03-01T02:00:00Z", { voucher: { code: "SAVE5" } }),
      ],
    });
    expect(pick(r, "coupon_redeem").map((e) => e.at)).toEqual(["2026-03-01T02:00:00.000Z"]);
    expect(pick(r, "exit", ["reason"]).map((e) => e.reason)).toEqual(["redeemed"]);
  });

  it("a wait for a redemption with no coupon open takes the timeout branch at once", () => {
    const doc = journey({
      nodes: [
        trigger(),
        node("wait", "wait", { mode: "coupon", timeout: "1d" }),
        exitNode("a", "x"),
        exitNode("b", "y"),
      ],
      edges: [edge("start", "wait"), edge("wait", "a", "event"), edge("wait", "b", "timeout")],
    });
    const exe = compileJourney(doc).executable!;
    const r = simulate({ journeys: [{ executable: exe }], events: [ev("a", "registered", "2026-03-01T00:00:00Z")] });
    expect(pick(r, "resume", ["handle"])).toEqual([
      { at: "2026-03-01T00:00:00.000Z", userId: "a", nodeId: "wait", handle: "timeout" },
    ]);
  });

  it("a coupon without an expiry stays open: nothing expires it", () => {
    const exe = couponJourney({});
    const r = simulate({
      journeys: [{ executable: exe }],
      events: [ev("a", "cart_abandoned", "2026-03-01T00:00:00Z")],
      until: "2027-01-01T00:00:00Z",
    });
    expect(pick(r, "coupon_expire")).toEqual([]);
    expect(pick(r, "exit", ["reason"]).map((e) => e.reason)).toEqual(["not_redeemed"]);
  });
});
