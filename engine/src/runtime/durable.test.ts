import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileJourney, createEvaluator, EventId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { World } from "../core/index.ts";
import { ReportProjector } from "../report/project.ts";
import { zonesOf } from "../report/index.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { ev, worldOf } from "../testing/world.ts";
import { DurableEngine } from "./durable.ts";

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-durable-"));
  dirs.push(dir);
  return join(dir, "engine.sqlite");
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const H = 3_600_000;
const t0 = Date.parse("2026-11-02T02:00:00Z");

const budgetJourney = journey({
  entry: { reentry: "always" },
  nodes: [
    trigger("start", "invite_accepted"),
    node("bonus", "reward", { reward: { type: "points", amount: 500 }, budget: { id: "pool", amount: 1500 } }),
    node("w", "wait", { mode: "duration", duration: "1h" }),
    exitNode(),
  ],
  edges: [edge("start", "bonus"), edge("bonus", "w"), edge("w", "end")],
});

function open(path: string, clock: { now: number }) {
  const store = new SqliteStore({ path });
  const engine = new DurableEngine(store, worldOf([{ doc: budgetJourney }]), { now: () => clock.now });
  return { store, engine, count: (sql: string) => store.db.prepare(sql).pluck().get() as number };
}

describe("DurableEngine on SQLite", () => {
  it("commits events that arrive together in one transaction and acknowledges each request", async () => {
    const clock = { now: t0 };
    const { engine, store, count } = open(tempDb(), clock);
    let commits = 0;
    const original = store.transaction.bind(store);
    store.transaction = (fn) => {
      commits++;
      return original(fn);
    };
    const events = [1, 2, 3].map((i) => ev(`u${i}`, "invite_accepted", new Date(t0).toISOString()));
    const results = await Promise.all(events.map((e) => engine.accept([e])));
    expect(results).toEqual(events.map((e) => ({ accepted: 1, duplicates: 0, fresh: [e.id] })));
    // One group commit for the three requests; acknowledged, not applied yet (no autoApply here).
    expect(commits).toBe(1);
    expect(count("SELECT count(*) FROM events")).toBe(3);
    expect(count("SELECT count(*) FROM users")).toBe(0);
    expect(await store.applyLag()).toEqual({ pending: 3, oldestReceivedAt: t0 });
    // The applier takes all three in one batch.
    expect(await engine.applyPending()).toBe(3);
    expect(commits).toBe(2); // the batch (shorter than a full one: the end of the log)
    expect(count("SELECT count(*) FROM users")).toBe(3);
    expect(count("SELECT seq FROM applier_cursors")).toBe(3);
    expect(await store.applyLag()).toEqual({ pending: 0, oldestReceivedAt: null });
    store.close();
  });

  it("is idempotent: the same event id twice is stored and applied once", async () => {
    const clock = { now: t0 };
    const { engine, store, count } = open(tempDb(), clock);
    const e = ev("u1", "invite_accepted", new Date(t0).toISOString());
    expect(await engine.ingest([e])).toEqual({ accepted: 1, duplicates: 0, failed: 0 });
    expect(await engine.ingest([e, e])).toEqual({ accepted: 0, duplicates: 2, failed: 0 });
    expect(count("SELECT count(*) FROM ledger")).toBe(1);
    store.close();
  });

  it("never overspends a budget: grants stop exactly at it, and the ledger, counter and outbox agree", async () => {
    const clock = { now: t0 };
    const { engine, store, count } = open(tempDb(), clock);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        engine.ingest([ev(`u${i}`, "invite_accepted", new Date(t0 + i).toISOString())]),
      ),
    );
    expect(count("SELECT sum(amount) FROM ledger")).toBe(1500);
    expect(count("SELECT used FROM counters WHERE key = 'budget/test-journey/pool'")).toBe(1500);
    expect(count("SELECT count(*) FROM outbox WHERE kind = 'reward'")).toBe(3);
    store.close();
  });

  it("keeps timers in a table and fires them when the clock passes their due time", async () => {
    const clock = { now: t0 };
    const { engine, store, count } = open(tempDb(), clock);
    await engine.ingest([ev("u1", "invite_accepted", new Date(t0).toISOString())]);
    expect(store.db.prepare("SELECT journey_id AS j, due_at AS d FROM timers").all()).toEqual([
      { j: "test-journey", d: t0 + H },
    ]);
    expect(await engine.runDueTimers()).toBe(0);
    clock.now = t0 + H;
    expect(await engine.runDueTimers()).toBe(1);
    expect(count("SELECT count(*) FROM timers")).toBe(0);
    const state = JSON.parse(store.db.prepare("SELECT state FROM users").pluck().get() as string);
    expect(state.runs).toEqual([]);
    store.close();
  });

  it("survives a restart: state, timers, counters and ledger are all in the file", async () => {
    const path = tempDb();
    const clock = { now: t0 };
    const first = open(path, clock);
    await first.engine.ingest([
      ev("u1", "invite_accepted", new Date(t0).toISOString()),
      ev("u2", "invite_accepted", new Date(t0).toISOString()),
    ]);
    first.store.close();
    const second = open(path, clock);
    await second.engine.ingest([
      ev("u3", "invite_accepted", new Date(t0).toISOString()),
      ev("u4", "invite_accepted", new Date(t0).toISOString()),
    ]);
    expect(second.count("SELECT count(*) FROM ledger")).toBe(3);
    // u4 was refused by the budget and its run ended: three people wait.
    expect(second.count("SELECT count(*) FROM timers")).toBe(3);
    clock.now = t0 + 2 * H;
    expect(await second.engine.runDueTimers()).toBe(3);
    second.store.close();
  });

  it("rolls a failed batch back whole and rejects every request in it", async () => {
    const clock = { now: t0 };
    const { engine, store, count } = open(tempDb(), clock);
    const original = store.transaction.bind(store);
    store.transaction = (fn) =>
      original(async (tx) => {
        await fn(tx);
        throw new Error("disk full");
      });
    await expect(engine.ingest([ev("u1", "invite_accepted", new Date(t0).toISOString())])).rejects.toThrow("disk full");
    store.transaction = original;
    expect(count("SELECT count(*) FROM events")).toBe(0);
    expect(count("SELECT count(*) FROM ledger")).toBe(0);
    store.close();
  });
});

describe("scheduled triggers on SQLite", () => {
  it("enter the whole audience once per occurrence, in batches that survive a restart", async () => {
    const path = tempDb();
    const clock = { now: Date.parse("2026-11-01T00:00:00Z") };
    const doc = journey({
      entry: { reentry: "always" },
      nodes: [
        node("daily", "trigger", { mode: "schedule", start: "2026-11-02T09:00", every: "day" }),
        node("m", "message", { channel: "push", template: { body: "good morning" } }),
        exitNode(),
      ],
      edges: [edge("daily", "m"), edge("m", "end")],
    });
    const make = () => {
      const store = new SqliteStore({ path });
      return { store, engine: new DurableEngine(store, worldOf([{ doc }]), { now: () => clock.now, timerBatch: 2 }) };
    };
    let { store, engine } = make();
    await engine.ingest(["a", "b", "c", "d", "e"].map((u) => ev(u, "identify", "2026-11-01T00:00:00Z", {})));
    expect(await engine.runSchedules()).toBe(0);
    clock.now = Date.parse("2026-11-02T01:00:00Z"); // 09:00 in Shanghai
    expect(await engine.runSchedules()).toBe(5);
    expect(await engine.runSchedules()).toBe(0);
    store.close();
    ({ store, engine } = make());
    clock.now = Date.parse("2026-11-03T02:00:00Z");
    expect(await engine.runSchedules()).toBe(5);
    const sent = store.db
      .prepare("SELECT user_id AS u, count(*) AS n FROM outbox WHERE kind = 'message' GROUP BY user_id")
      .all();
    expect(sent).toEqual(["a", "b", "c", "d", "e"].map((u) => ({ u, n: 2 })));
    store.close();
  });

  it("lets the event loop turn between batches of an audience, so requests are answered meanwhile", async () => {
    const clock = { now: Date.parse("2026-11-01T00:00:00Z") };
    const doc = journey({
      entry: { reentry: "always" },
      nodes: [node("daily", "trigger", { mode: "schedule", start: "2026-11-02T09:00", every: "day" }), exitNode()],
      edges: [edge("daily", "end")],
    });
    const store = new SqliteStore({ path: tempDb() });
    const engine = new DurableEngine(store, worldOf([{ doc }]), { now: () => clock.now, timerBatch: 10 });
    await engine.ingest(Array.from({ length: 100 }, (_, i) => ev(`p${i}`, "identify", "2026-11-01T00:00:00Z", {})));
    clock.now = Date.parse("2026-11-02T01:00:00Z");
    // A stand-in for requests: a callback queued on each turn of the loop while the walk runs.
    let turns = 0;
    let walking = true;
    const turn = () => {
      turns++;
      if (walking) setImmediate(turn);
    };
    setImmediate(turn);
    const entered = await engine.runSchedules();
    walking = false;
    expect(entered).toBe(100);
    // Ten batches of ten (and an empty last look): a turn before each batch after the first.
    expect(turns).toBeGreaterThanOrEqual(10);
    store.close();
  });
});

describe("timeline retention", () => {
  it("drops entries the engine recorded longer ago than the retention, once reports have folded them", async () => {
    const clock = { now: t0 };
    const { engine, store, count } = open(tempDb(), clock);
    // A replay: u1's event happened 100 days ago, but the engine records its "why" today — it stays.
    await engine.ingest([
      ev("u1", "invite_accepted", new Date(t0 - 100 * 86_400_000).toISOString()),
      ev("u2", "invite_accepted", new Date(t0).toISOString()),
    ]);
    const world = worldOf([{ doc: budgetJourney }]);
    new ReportProjector(store.facts, { ...zonesOf(() => world) }).catchUp();
    expect(await store.trimTimeline(clock.now - 90 * 86_400_000)).toBe(0);
    expect(count("SELECT count(*) FROM timeline WHERE user_id = 'u1'")).toBeGreaterThan(0);

    // 91 days on, what was recorded then is past the retention; u3's fresh step is not folded yet and stays.
    clock.now = t0 + 91 * 86_400_000;
    await engine.ingest([ev("u3", "invite_accepted", new Date(clock.now).toISOString())]);
    const u3 = count("SELECT count(*) FROM timeline WHERE user_id = 'u3'");
    expect(u3).toBeGreaterThan(0);
    expect(await store.trimTimeline(clock.now - 90 * 86_400_000)).toBeGreaterThan(0);
    expect(count("SELECT count(*) FROM timeline WHERE user_id IN ('u1', 'u2')")).toBe(0);
    expect(count("SELECT count(*) FROM timeline WHERE user_id = 'u3'")).toBe(u3);
    store.close();
  });
});

describe("a step that fails on a timer", () => {
  it(
    "over a rule's limit: leaves a step_failed on the timeline and waits for the person's next event, not " +
      "every minute",
    async () => {
      const clock = { now: t0 };
      const store = new SqliteStore({ path: tempDb() });
      // The condition walks a profile list; past the evaluator's array limit it throws.
      const doc = journey({
        nodes: [
          trigger("start", "go"),
          node("w", "wait", { mode: "duration", duration: "1h" }),
          node("c", "condition", { rule: { some: [{ var: "profile.items" }, { ">": [{ var: "" }, 5] }] } }),
          exitNode(),
        ],
        edges: [edge("start", "w"), edge("w", "c"), edge("c", "end", "yes")],
      });
      const errors: string[] = [];
      const engine = new DurableEngine(
        store,
        worldOf([{ doc }]),
        { now: () => clock.now },
        { onError: (e) => errors.push((e as Error).message) },
      );
      await engine.ingest([
        ev("u1", "go", new Date(t0).toISOString()),
        ev("u1", "identify", new Date(t0 + 1).toISOString(), { items: new Array(20_000).fill(1) }),
      ]);
      clock.now = t0 + H;
      expect(await engine.runDueTimers()).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("limit_array");
      expect(await engine.runDueTimers()).toBe(0);
      expect(store.db.prepare("SELECT count(*) FROM timers WHERE user_id = 'u1'").pluck().get()).toBe(0);
      const last = JSON.parse(
        store.db.prepare("SELECT record FROM timeline WHERE user_id = 'u1' ORDER BY seq DESC").pluck().get() as string,
      ) as unknown[];
      expect(last).toEqual([
        expect.objectContaining({
          kind: "step_failed",
          code: "limit_array",
          nodeId: "c",
          path: "$.nodes[2].params.rule",
          rulePath: "$",
          input: "tick",
          eventId: null,
        }),
      ]);
      store.close();
    },
  );

  it("for any other reason (a host failure): is retried a minute later instead of blocking the loop", async () => {
    const clock = { now: t0 };
    const store = new SqliteStore({ path: tempDb() });
    const flaky = createEvaluator({
      operators: {
        lookup: () => {
          throw new Error("lookup service down");
        },
      },
    });
    const doc = journey({
      nodes: [
        trigger("start", "go"),
        node("w", "wait", { mode: "duration", duration: "1h" }),
        node("c", "condition", { rule: { lookup: [] } }),
        exitNode(),
      ],
      edges: [edge("start", "w"), edge("w", "c"), edge("c", "end", "yes")],
    });
    const executable = compileJourney(doc, { evaluator: flaky }).executable!;
    const world = new World(
      [
        {
          journeyId: executable.journeyId,
          status: "live",
          liveVersion: 1,
          versions: [{ version: 1, inFlight: "keep", executable }],
        },
      ],
      flaky,
    );
    const errors: string[] = [];
    const engine = new DurableEngine(
      store,
      world,
      { now: () => clock.now },
      { onError: (e) => errors.push((e as Error).message) },
    );
    await engine.ingest([ev("u1", "go", new Date(t0).toISOString())]);
    clock.now = t0 + H;
    expect(await engine.runDueTimers()).toBe(1);
    expect(errors).toEqual(["lookup service down"]);
    expect(await engine.runDueTimers()).toBe(0);
    expect(store.db.prepare("SELECT due_at FROM timers WHERE user_id = 'u1'").pluck().get()).toBe(t0 + H + 60_000);
    store.close();
  });
});

describe("one request's failure is its own", () => {
  it("commits the other requests of a group when a store error hits one of them", async () => {
    const clock = { now: t0 };
    const store = new SqliteStore({ path: tempDb() });
    // A real store with one fault injected: the events of one request make the insert fail, as a
    // constraint the validation did not foresee would.
    const transaction = store.transaction.bind(store);
    store.transaction = (fn) =>
      transaction((tx) =>
        fn({
          ...tx,
          insertEvents: (events, receivedAt) => {
            if (events.some((e) => e.id.startsWith("poison")))
              throw Object.assign(new Error("NOT NULL constraint failed: events.at"), {
                code: "SQLITE_CONSTRAINT_NOTNULL",
              });
            return tx.insertEvents(events, receivedAt);
          },
        }),
      );
    const engine = new DurableEngine(store, worldOf([{ doc: budgetJourney }]), { now: () => clock.now });
    const at = new Date(t0).toISOString();
    const requests = [0, 1, 2, 3, 4].map((i) =>
      engine.ingest([{ ...ev(`u${i}`, "invite_accepted", at), id: EventId.parse(i === 2 ? "poison-1" : `ok-${i}`) }]),
    );
    const results = await Promise.allSettled(requests);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(store.db.prepare("SELECT id FROM events ORDER BY id").pluck().all()).toEqual([
      "ok-0",
      "ok-1",
      "ok-3",
      "ok-4",
    ]);
    // the budget holds three grants of 500
    expect(store.db.prepare("SELECT count(*) FROM ledger").pluck().get()).toBe(3);
    store.close();
  });

  it("fails every request alike when the store itself is unavailable (no pointless retries one by one)", async () => {
    const store = new SqliteStore({ path: tempDb() });
    let transactions = 0;
    const transaction = store.transaction.bind(store);
    store.transaction = (_fn) => {
      transactions++;
      return transaction(() => {
        throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      });
    };
    const engine = new DurableEngine(store, worldOf([{ doc: budgetJourney }]), { now: () => t0 });
    const at = new Date(t0).toISOString();
    const results = await Promise.allSettled(
      [0, 1, 2].map((i) => engine.ingest([{ ...ev(`u${i}`, "invite_accepted", at), id: EventId.parse(`full-${i}`) }])),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(transactions).toBe(1);
    store.close();
  });
});

describe("the applier's wait for more of the log (applyDelayMs)", () => {
  const users = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ev(`${tag}${i}`, "invite_accepted", new Date(t0).toISOString()));
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  function openWaiting(path: string) {
    const store = new SqliteStore({ path });
    // A wait no test outlasts: anything applied here was applied because it did not wait.
    const engine = new DurableEngine(store, worldOf([{ doc: budgetJourney }]), {
      now: () => t0,
      autoApply: true,
      applyBatch: 5,
      applyDelayMs: 600_000,
    });
    const applied = () => store.db.prepare("SELECT seq FROM applier_cursors WHERE part = 0").pluck().get() as number;
    return { store, engine, applied };
  }

  it("leaves a short group commit in the log while it waits, and applies once a full batch is waiting", async () => {
    const { store, engine, applied } = openWaiting(tempDb());
    await engine.accept(users(3, "a"));
    for (let i = 0; i < 5; i++) await tick();
    expect(applied()).toBe(0);
    // Two more make a full batch (applyBatch 5): applied now, the three before them included.
    await engine.accept(users(2, "b"));
    for (let i = 0; i < 100 && applied() < 5; i++) await tick();
    expect(applied()).toBe(5);
    expect(store.db.prepare("SELECT count(*) FROM ledger").pluck().get()).toBe(3);
    await engine.stopApplying();
    store.close();
  });

  it("does not make a caller who waits for application wait for it", async () => {
    const { store, engine, applied } = openWaiting(tempDb());
    await engine.accept(users(2, "a"));
    const r = await engine.ingest(users(1, "b"));
    expect(r).toEqual({ accepted: 1, duplicates: 0, failed: 0 });
    expect(applied()).toBe(3);
    await engine.stopApplying();
    store.close();
  });
});
