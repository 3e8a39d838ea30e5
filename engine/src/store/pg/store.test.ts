import { UserId, JourneyId, NodeId } from "@lifeloop/shared";
import { expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { DurableEngine } from "../../runtime/durable.ts";
import { ev, worldOf } from "../../testing/world.ts";
import { PARTITIONS } from "./schema.ts";
import { PgStore } from "./store.ts";
import { describePostgres } from "./testing/suite.ts";

const H = 3_600_000;
const t0 = Date.parse("2026-11-02T02:00:00Z");
const budgetJourney = journey({
  entry: { reentry: "always" },
  nodes: [
    trigger("start", "invite_accepted"),
    node("bonus", "reward", { reward: { type: "points", amount: 500 }, budget: { id: "pool", amount: 1500 } }),
    node("w", "wait", { mode: "duration", duration: "1h" }),
    node("m", "message", { channel: "push", template: { body: "thanks" } }),
    exitNode(),
  ],
  edges: [edge("start", "bonus"), edge("bonus", "w"), edge("w", "m"), edge("m", "end")],
});

describePostgres("PgStore", (db) => {
  const reset = async (store: PgStore) => {
    await store.pool.query(
      "TRUNCATE events, users, timers, ledger, counters, outbox, timeline, schedules, feed, workers",
    );
    await store.pool.query("UPDATE leases SET owner = NULL, expires_at = 0");
  };
  const n = async (store: PgStore, sql: string) => Number((await store.pool.query(sql)).rows[0].n);

  it("spends only within the cap and records a grant key once", async () => {
    const store = await PgStore.open({ url: db() });
    try {
      await reset(store);
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
        expect(await tx.applySpend({ key: "b", amount: 600, limit: 500 })).toBe(false);
        expect(await tx.counterUsed("b")).toBe(0);
        expect(await tx.applySpend({ key: "b", amount: 300, limit: 500 })).toBe(true);
        expect(await tx.applySpend({ key: "b", amount: 200, limit: 500 })).toBe(true);
        expect(await tx.applySpend({ key: "b", amount: 1, limit: 500 })).toBe(false);
        expect(await tx.counterUsed("b")).toBe(500);
        expect(await tx.applySpend({ key: "b", amount: 100, limit: 800 })).toBe(true);
        expect(await tx.counterUsed("b")).toBe(600);
        expect(await tx.insertGrant(row)).toBe(true);
        expect(await tx.insertGrant({ ...row, amount: 99 })).toBe(false);
      });
      expect((await store.pool.query("SELECT amount FROM ledger")).rows).toEqual([{ amount: 10 }]);
    } finally {
      await store.close();
    }
  });

  it("rolls a failed batch back whole", async () => {
    const store = await PgStore.open({ url: db() });
    try {
      await reset(store);
      const engine = new DurableEngine(store, worldOf([{ doc: budgetJourney }]), { now: () => t0 });
      const original = store.transaction.bind(store);
      store.transaction = (fn) =>
        original(async (tx) => {
          await fn(tx);
          throw new Error("killed before commit");
        });
      await expect(engine.ingest([ev("u1", "invite_accepted", new Date(t0).toISOString())])).rejects.toThrow(
        "killed before commit",
      );
      store.transaction = original;
      expect(await n(store, "SELECT count(*) AS n FROM events")).toBe(0);
      expect(await n(store, "SELECT count(*) AS n FROM ledger")).toBe(0);
    } finally {
      await store.close();
    }
  });

  it(
    "three workers ingesting the same events concurrently: each event once, the budget spent exactly, no grant " +
      "twice",
    async () => {
      const stores = await Promise.all([1, 2, 3].map(() => PgStore.open({ url: db(), poolSize: 4 })));
      try {
        await reset(stores[0]!);
        const clock = { now: t0 };
        const engines = stores.map(
          (s) => new DurableEngine(s, worldOf([{ doc: budgetJourney }]), { now: () => clock.now }),
        );
        // 60 people, each event sent to all three workers at once, in batches that overlap.
        const events = Array.from({ length: 60 }, (_, i) =>
          ev(`u${i % 30}`, "invite_accepted", new Date(t0 + i * 1000).toISOString()),
        );
        const batches = Array.from({ length: 12 }, (_, b) => events.slice(b * 5, b * 5 + 10));
        const results = await Promise.all(engines.flatMap((e) => batches.map((batch) => e.ingest(batch))));
        const accepted = results.reduce((a, r) => a + r.accepted, 0);
        expect(accepted).toBe(events.length);
        expect(results.every((r) => r.failed === 0)).toBe(true);
        expect(await n(stores[0]!, "SELECT count(*) AS n FROM events")).toBe(events.length);
        expect(await n(stores[0]!, "SELECT count(*) AS n FROM ledger")).toBe(3);
        expect(await n(stores[0]!, "SELECT used AS n FROM counters WHERE key = 'budget/test-journey/pool'")).toBe(1500);
        expect(await n(stores[0]!, "SELECT count(*) AS n FROM outbox WHERE kind = 'reward'")).toBe(3);
        // Timers: three workers claim the due people at once; each fires once.
        clock.now = t0 + 2 * H;
        const fired = await Promise.all(
          engines.map(async (e) => {
            let total = 0;
            // biome-ignore lint/suspicious/noImplicitAnyLet: a loop counter: number from its first assignment
            for (let k; (k = await e.runDueTimers()) > 0; ) total += k;
            return total;
          }),
        );
        expect(fired.reduce((a, b) => a + b, 0)).toBe(3);
        expect(await n(stores[0]!, "SELECT count(*) AS n FROM outbox WHERE kind = 'message'")).toBe(3);
        expect(await n(stores[0]!, "SELECT count(*) AS n FROM timers")).toBe(0);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    },
  );

  it(
    "leases: workers split the partitions fairly, and a worker that stops renewing loses its share to the " + "others",
    async () => {
      const ttlMs = 400;
      const stores = await Promise.all(
        ["a", "b", "c"].map((id) =>
          PgStore.open({ url: db(), poolSize: 2, leases: { ttlMs, workerId: `w-${id}`, manual: true } }),
        ),
      );
      try {
        await reset(stores[0]!);
        for (let round = 0; round < 3; round++) for (const s of stores) await s.renewLeases(ttlMs);
        const shares = stores.map((s) => s.owned);
        expect(shares.map((x) => x.length).sort()).toEqual([10, 11, 11]);
        expect(new Set(shares.flat()).size).toBe(PARTITIONS);
        // "c" dies: it stops renewing. Until its leases expire nobody else takes them; then the others do.
        const [a, b] = stores;
        await a!.renewLeases(ttlMs);
        await b!.renewLeases(ttlMs);
        expect(a!.owned.length + b!.owned.length).toBe(22);
        await new Promise((r) => setTimeout(r, ttlMs + 100));
        for (let round = 0; round < 2; round++) for (const s of [a!, b!]) await s.renewLeases(ttlMs);
        expect(a!.owned.length + b!.owned.length).toBe(PARTITIONS);
        expect(new Set([...a!.owned, ...b!.owned]).size).toBe(PARTITIONS);
        expect(a!.owned.length).toBe(16);
        // A worker joins: the others give back what is over their fair share, and it takes it.
        const d = await PgStore.open({ url: db(), poolSize: 2, leases: { ttlMs, workerId: "w-d", manual: true } });
        stores.push(d);
        for (let round = 0; round < 3; round++) for (const s of [d, a!, b!]) await s.renewLeases(ttlMs);
        expect([a!, b!, d].map((s) => s.owned.length).sort()).toEqual([10, 11, 11]);
        expect(new Set([a!, b!, d].flatMap((s) => s.owned)).size).toBe(PARTITIONS);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    },
  );
});
