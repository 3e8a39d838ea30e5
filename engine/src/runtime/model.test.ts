import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { EventId, localDate, UserId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import type { CoreEvent, World } from "../core/index.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { worldOf } from "../testing/world.ts";
import { DurableEngine } from "./durable.ts";

/**
 * Model test: random sequences of events, clock advances, duplicates and crashes (between and in
 * the middle of transactions; between acknowledgement and application; in the middle of an
 * applier batch of several people's events) drive the durable runtime on a real SQLite file; a model written
 * independently of the core says what must have happened. After every step the ledger, the
 * budget counter and the outbox must match it.
 *
 * The journey: purchase → +10 points (at most 2 per person per Shanghai day, budget 100 points)
 * → wait 1 h → message. A person waiting cannot enter again; a refused grant ends the run.
 */
const doc = journey({
  entry: { reentry: "always" },
  nodes: [
    trigger("start", "purchase"),
    node("r", "reward", {
      reward: { type: "points", amount: 10 },
      cap: { count: 2, period: "day" },
      budget: { id: "b", amount: 100 },
    }),
    node("w", "wait", { mode: "duration", duration: "1h" }),
    node("m", "message", { channel: "push", template: { body: "thanks" } }),
    exitNode(),
  ],
  edges: [edge("start", "r"), edge("r", "w"), edge("w", "m"), edge("m", "end")],
});
const H = 3_600_000;
const TZ = "Asia/Shanghai";

type Cmd =
  | { type: "event"; user: number }
  | { type: "duplicate"; pick: number }
  | { type: "advance"; minutes: number }
  | { type: "crash" }
  | { type: "crash_mid_batch"; user: number }
  | { type: "crash_after_ack"; users: number[] }
  | { type: "crash_mid_apply"; users: number[] };

const command: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant("event" as const), user: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("duplicate" as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("advance" as const),
      minutes: fc.oneof(fc.integer({ min: 1, max: 180 }), fc.integer({ min: 180, max: 60 * 30 })),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: "crash" as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("crash_mid_batch" as const), user: fc.nat(2) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("crash_after_ack" as const),
      users: fc.array(fc.nat(2), { minLength: 1, maxLength: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("crash_mid_apply" as const),
      users: fc.array(fc.nat(2), { minLength: 1, maxLength: 5 }),
    }),
  },
);

/** What must be true, computed without the engine. */
class Model {
  grants = 0;
  messages = 0;
  budgetUsed = 0;
  private busyUntil = new Map<number, number>();
  private perDay = new Map<string, number>();

  private settle(user: number, now: number): void {
    const until = this.busyUntil.get(user);
    if (until !== undefined && until <= now) {
      this.messages++;
      this.busyUntil.delete(user);
    }
  }

  event(user: number, at: number): void {
    this.settle(user, at);
    if (this.busyUntil.has(user)) return;
    const day = `${user}/${localDate(at, TZ)}`;
    const used = this.perDay.get(day) ?? 0;
    if (used >= 2 || this.budgetUsed + 10 > 100) return;
    this.perDay.set(day, used + 1);
    this.budgetUsed += 10;
    this.grants++;
    this.busyUntil.set(user, at + H);
  }

  advance(now: number): void {
    for (const user of [...this.busyUntil.keys()]) this.settle(user, now);
  }
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function runScenario(cmds: Cmd[], world: World): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-model-"));
  dirs.push(dir);
  const path = join(dir, "engine.sqlite");
  const clock = { now: Date.parse("2026-11-02T00:00:00Z") };
  let store = new SqliteStore({ path });
  let engine = new DurableEngine(store, world, { now: () => clock.now });
  const model = new Model();
  const acked: CoreEvent[] = [];
  let n = 0;
  const restart = () => {
    void store.close();
    store = new SqliteStore({ path });
    engine = new DurableEngine(store, world, { now: () => clock.now });
  };
  const newEvent = (user: number) => ({
    id: EventId.parse(`e${++n}`),
    userId: UserId.parse(`u${user}`),
    type: "purchase",
    at: clock.now,
    props: {},
  });

  for (const cmd of cmds) {
    switch (cmd.type) {
      case "event": {
        const e = newEvent(cmd.user);
        expect(await engine.ingest([e])).toEqual({ accepted: 1, duplicates: 0, failed: 0 });
        acked.push(e);
        model.event(cmd.user, e.at);
        break;
      }
      case "duplicate": {
        if (acked.length === 0) break;
        const e = acked[cmd.pick % acked.length]!;
        expect(await engine.ingest([e])).toEqual({ accepted: 0, duplicates: 1, failed: 0 });
        break;
      }
      case "advance":
        clock.now += cmd.minutes * 60_000;
        while ((await engine.runDueTimers()) > 0);
        model.advance(clock.now);
        break;
      case "crash":
        restart();
        break;
      case "crash_after_ack": {
        // Acknowledged (in the log), then the process dies before the applier ran: nothing is
        // applied yet, nothing is lost, and the next start applies the events once, in order.
        const events = cmd.users.map(newEvent);
        expect(await engine.accept(events)).toEqual({
          accepted: events.length,
          duplicates: 0,
          fresh: events.map((e) => e.id),
        });
        acked.push(...events);
        expect(
          store.db.prepare("SELECT count(*) FROM events WHERE seq > (SELECT seq FROM applier_cursors)").pluck().get(),
        ).toBe(events.length);
        restart();
        expect(await engine.applyPending()).toBe(events.length);
        for (const e of events) model.event(Number(e.userId.slice(1)), e.at);
        break;
      }
      case "crash_mid_apply": {
        // The applier's batch (several people, in one transaction) dies before COMMIT: no state,
        // grant, spend, outbox row or cursor move of it survives; the next start applies it once.
        const events = cmd.users.map(newEvent);
        await engine.accept(events);
        acked.push(...events);
        const original = store.transaction.bind(store);
        store.transaction = (fn) =>
          original(async (tx) => {
            const result = await fn(tx);
            if (typeof result === "number" && result > 0) throw new Error("killed before commit");
            return result;
          });
        await expect(engine.applyPending()).rejects.toThrow("killed before commit");
        restart();
        expect(await engine.applyPending()).toBe(events.length);
        for (const e of events) model.event(Number(e.userId.slice(1)), e.at);
        break;
      }
      case "crash_mid_batch": {
        // The process dies after applying the batch but before COMMIT: nothing of it may survive,
        // nothing is acknowledged, and the client's retry after restart applies it once.
        const e = newEvent(cmd.user);
        const original = store.transaction.bind(store);
        store.transaction = (fn) =>
          original(async (tx) => {
            await fn(tx);
            throw new Error("killed before commit");
          });
        await expect(engine.ingest([e])).rejects.toThrow("killed before commit");
        restart();
        expect(await engine.ingest([e])).toEqual({ accepted: 1, duplicates: 0, failed: 0 });
        acked.push(e);
        model.event(cmd.user, e.at);
        break;
      }
    }
    const q = (sql: string) => store.db.prepare(sql).pluck().get() as number;
    expect(q("SELECT count(*) FROM events")).toBe(acked.length);
    expect(q("SELECT count(*) FROM ledger")).toBe(model.grants);
    expect(q("SELECT coalesce(sum(used), 0) FROM counters WHERE key = 'budget/test-journey/b'")).toBe(model.budgetUsed);
    expect(q("SELECT count(*) FROM outbox WHERE kind = 'reward'")).toBe(model.grants);
    expect(q("SELECT count(*) FROM outbox WHERE kind = 'message'")).toBe(model.messages);
    expect(model.budgetUsed).toBeLessThanOrEqual(100);
  }
  store.close();
}

describe("durable runtime against a reference model", () => {
  const world = worldOf([{ doc }]);
  it("agrees on every grant, budget spend and message through random events, duplicates and crashes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 60, size: "max" }), (cmds) =>
        runScenario(cmds, world),
      ),
      { numRuns: process.env.CI ? 60 : 40 },
    );
  }, 120_000);
});
