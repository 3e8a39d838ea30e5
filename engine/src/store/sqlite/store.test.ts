import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserId, JourneyId, NodeId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DurableEngine } from "../../runtime/durable.ts";
import { followUpJourney } from "../../testing/follow-up.ts";
import { ev, worldOf } from "../../testing/world.ts";
import { SqliteStore } from "./store.ts";

describe("SqliteStore counters", () => {
  it("spends only within the cap, for a new counter and an existing one", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    await store.transaction(async (tx) => {
      expect(tx.applySpend({ key: "b", amount: 600, limit: 500 })).toBe(false);
      expect(tx.counterUsed("b")).toBe(0);
      expect(tx.applySpend({ key: "b", amount: 300, limit: 500 })).toBe(true);
      expect(tx.applySpend({ key: "b", amount: 200, limit: 500 })).toBe(true);
      expect(tx.applySpend({ key: "b", amount: 1, limit: 500 })).toBe(false);
      expect(tx.counterUsed("b")).toBe(500);
      // A republished journey with a larger budget raises the cap for what is left.
      expect(tx.applySpend({ key: "b", amount: 100, limit: 800 })).toBe(true);
      expect(tx.counterUsed("b")).toBe(600);
    });
    store.close();
  });

  it("records a grant key once", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const row = {
      grantKey: "j@1/r/u1/1",
      entry: "grant" as const,
      userId: UserId.parse("u1"),
      journeyId: JourneyId.parse("j"),
      version: 1,
      nodeId: NodeId.parse("r"),
      type: "points",
      amount: 10,
      code: null,
      unit: "points",
      budgetId: null,
      at: 0,
    };
    await store.transaction(async (tx) => {
      expect(tx.insertGrant(row)).toBe(true);
      expect(tx.insertGrant({ ...row, amount: 99 })).toBe(false);
    });
    expect(store.db.prepare("SELECT amount FROM ledger").pluck().all()).toEqual([10]);
    store.close();
  });
});

describe("SqliteStore readiness probe", () => {
  it("commits a write each time, even at the same time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-probe-"));
    const path = join(dir, "engine.sqlite");
    const store = new SqliteStore({ path });
    // Another connection's data_version moves whenever the file takes a commit.
    const watcher = new Database(path, { readonly: true });
    const version = () => watcher.pragma("data_version", { simple: true });
    await store.probeWrite(1_000);
    for (let i = 0; i < 2; i++) {
      const before = version();
      await store.probeWrite(1_000);
      expect(version()).not.toBe(before);
    }
    expect(store.db.prepare("SELECT id, at FROM probe").all()).toEqual([{ id: 1, at: 1_000 }]);
    watcher.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("SqliteStore applier batches", () => {
  it("steps in log order and writes in person order, each person's rows in theirs", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    // 500 points a grant from a budget of 1,500: the first three events in the log are granted.
    const doc = journey({
      entry: { reentry: "always" },
      nodes: [
        trigger("start", "purchase"),
        node("bonus", "reward", { reward: { type: "points", amount: 500 }, budget: { id: "pool", amount: 1500 } }),
        exitNode(),
      ],
      edges: [edge("start", "bonus"), edge("bonus", "end")],
    });
    const engine = new DurableEngine(store, worldOf([{ doc }]), { now: () => Date.parse("2026-11-02T03:00:00Z") });
    const order = ["u3", "u1", "u3", "u2", "u1"];
    const events = order.map((u, i) => ev(u, "purchase", `2026-11-02T02:0${i}:00Z`));
    await engine.accept(events);
    expect(await engine.applyPending()).toBe(5);

    const ledger = store.db.prepare("SELECT user_id AS u, grant_key AS k FROM ledger ORDER BY seq").all();
    expect(ledger).toEqual([
      { u: "u1", k: expect.stringMatching(/\/u1\/1$/) },
      { u: "u3", k: expect.stringMatching(/\/u3\/1$/) },
      { u: "u3", k: expect.stringMatching(/\/u3\/2$/) },
    ]);
    const timeline = store.db.prepare("SELECT user_id AS u, at FROM timeline ORDER BY seq").all();
    const at = (i: number) => events[i]!.at;
    expect(timeline).toEqual([
      { u: "u1", at: at(1) },
      { u: "u1", at: at(4) },
      { u: "u2", at: at(3) },
      { u: "u3", at: at(0) },
      { u: "u3", at: at(2) },
    ]);
    store.close();
  });

  it("writes a batch's timers in person order; a pass that fires them deletes them all", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const signup = Date.parse("2026-11-02T02:00:00Z");
    const clock = { now: signup + 60_000 };
    const engine = new DurableEngine(store, worldOf([{ doc: followUpJourney() }]), { now: () => clock.now });
    await engine.accept(["u3", "u1", "u2"].map((u) => ev(u, "signup", "2026-11-02T02:00:00Z")));
    expect(await engine.applyPending()).toBe(3);
    // A rowid table: rowid order is insert order.
    const timers = store.db.prepare("SELECT user_id FROM timers ORDER BY rowid").pluck();
    expect(timers.all()).toEqual(["u1", "u2", "u3"]);
    // Due in an hour (followUpJourney's wait): the pass steps all three and leaves no timer.
    clock.now = signup + 3_600_000;
    expect(await engine.runDueTimers()).toBe(3);
    expect(timers.all()).toEqual([]);
    expect(store.db.prepare("SELECT count(*) FROM users WHERE state LIKE '%followed_up%'").pluck().get()).toBe(3);
    store.close();
  });
});
