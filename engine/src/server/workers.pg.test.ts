import type { EventEnvelope } from "@lifeloop/shared";
import { expect, it } from "vitest";
import { PARTITIONS } from "../store/pg/schema.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import {
  batchesOf,
  eventStream,
  expectAppliedOnceAcrossWorkers,
  pendingInLog,
  postgresInspector,
  prng,
  startEngine,
  type Child,
} from "./crash-scenario.ts";

/**
 * Scale-out on PostgreSQL: three engine processes share one database. Three clients send their
 * people's events (each client's people are its own, so each person's events go out in order)
 * round-robin to the workers: consecutive batches of one person land on different workers. A third
 * of the way in, one worker is SIGKILLed mid-run and never comes back; clients re-send what it did
 * not answer to the others. Afterwards: every acknowledged event is in the log once and applied
 * once, no grant key twice, no budget past its cap (the shared invite budget is spent exactly),
 * the journeys without shared counters grant exactly what a clean single-engine run grants, the
 * dead worker's partitions are leased by the survivors, and its share of the outbox is delivered.
 */
const SEED = 0x5ca1e0;
const TTL = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | null | undefined | false>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describePostgres("three engine workers on PostgreSQL, one killed mid-run", (db) => {
  it("applies every acknowledged event once, grants nothing twice, overspends nothing, and hands the dead " +
    "worker's share to the others", async () => {
    const started = performance.now();
    const inspect = postgresInspector(db());
    const q = <T>(sql: string, args: unknown[] = []) => inspect.all<T>(sql, args);
    const one = async (sql: string, args: unknown[] = []) =>
      Number(Object.values((await q<Record<string, unknown>>(sql, args))[0]!)[0]);
    const workers: Child[] = [];
    try {
      workers.push(
        ...(await Promise.all([0, 1, 2].map(() => startEngine(db(), { LIFELOOP_LEASE_TTL_MS: String(TTL) })))),
      );
      const ownerOf = (w: Child) => new RegExp(`/${w.proc.pid}/`);
      const leaseOwners = async () =>
        q<{ owner: string | null; n: number }>(
          "SELECT owner, count(*) AS n FROM leases WHERE expires_at > (extract(epoch from clock_timestamp()) " +
            "* 1000)::bigint GROUP BY owner",
        );
      // All three join and split the partitions.
      await until("three workers to share the partitions", 15_000, async () => {
        const owners = await leaseOwners();
        return (
          owners.length === 3 &&
          owners.every((o) => o.owner !== null) &&
          owners.reduce((a, o) => a + Number(o.n), 0) === PARTITIONS
        );
      });

      const events = eventStream(SEED);
      const streams = [0, 1, 2].map((k) => events.filter((e) => Number(e.userId.slice(1)) % 3 === k));
      const alive = new Set(workers);
      const victim = workers[1]!;
      const victimOwned = ((await leaseOwners()).find((o) => ownerOf(victim).test(o.owner ?? ""))?.n ?? 0) as number;
      expect(Number(victimOwned)).toBeGreaterThan(0);
      const total = streams.reduce((a, s) => a + batchesOf(s, SEED).length, 0);
      const r = prng(SEED);
      let sent = 0;
      const killAt = Math.floor(total / 3) + r.int(0, 5);
      const perWorker = new Map<Child, number>();
      const acked = new Set<string>();
      const problems: string[] = [];
      let resent = 0;
      let killedAt = 0;
      let takeover: Promise<number> | null = null;

      const send = async (k: number, batch: EventEnvelope[], i: number) => {
        const body = JSON.stringify(batch);
        for (let tries = 0; ; tries++) {
          expect(tries, "a batch kept failing").toBeLessThan(20);
          const live = [...alive];
          const w = live[(k + i + tries) % live.length]!;
          if (++sent === killAt) {
            setTimeout(
              () => {
                alive.delete(victim);
                victim.proc.kill("SIGKILL");
                killedAt = performance.now();
                // From the kill on: how long until the survivors hold all of its partitions.
                takeover = until("the survivors to lease the dead worker's partitions", 15_000, async () => {
                  const owners = await leaseOwners();
                  return (
                    owners.length === 2 &&
                    owners.every((o) => o.owner !== null && !ownerOf(victim).test(o.owner)) &&
                    owners.reduce((a, o) => a + Number(o.n), 0) === PARTITIONS &&
                    performance.now()
                  );
                });
              },
              r.int(0, 20),
            );
          }
          let res: Response;
          let text: string;
          try {
            res = await fetch(`${w.url}/v1/events`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
              signal: AbortSignal.timeout(15_000),
            });
            text = await res.text();
          } catch {
            // The worker died under this request: send the same batch to another one.
            resent++;
            continue;
          }
          if (res.status !== 202) {
            problems.push(
              `HTTP ${res.status} from a worker: ${text.slice(0, 300)}; its stderr ends: ${w.stderr().slice(-400)}`,
            );
            await sleep(20);
            continue;
          }
          const result = JSON.parse(text) as { accepted: number; duplicates: number; failed?: number };
          if ((result.failed ?? 0) !== 0 || result.accepted + result.duplicates !== batch.length)
            problems.push(`unexpected answer ${text} for a batch of ${batch.length}`);
          perWorker.set(w, (perWorker.get(w) ?? 0) + 1);
          for (const e of batch) acked.add(e.id);
          return;
        }
      };
      // Three clients at once, each sending its people's batches in order.
      await Promise.all(
        streams.map(async (stream, k) => {
          const batches = batchesOf(stream, SEED + k);
          for (let i = 0; i < batches.length; i++) await send(k, batches[i]!, i);
        }),
      );
      await victim.exited;
      expect(problems).toEqual([]);
      expect(acked.size).toBe(events.length);
      expect(perWorker.get(victim) ?? 0, "the killed worker took part before it died").toBeGreaterThan(0);

      // Its share moves: once its leases expire, the two survivors hold every partition between them.
      expect(takeover, "the worker was killed").not.toBeNull();
      const takeoverMs = (await takeover!) - killedAt;
      expect(takeoverMs).toBeGreaterThanOrEqual(TTL * 0.5);
      // …including its outbox rows: everything is delivered, once per key.
      // Acknowledged is not yet applied: the appliers (the dead worker's partitions too, once
      // re-leased) work through the log by themselves; nothing is re-sent.
      await until("the appliers to apply the whole log", 30_000, async () => (await pendingInLog(db())) === 0);
      await until(
        "the outbox to drain",
        20_000,
        async () => (await one("SELECT count(*) FROM outbox WHERE status <> 'delivered'")) === 0,
      );

      // Every acknowledged event once, no grant twice, no overspend, the rest as a clean run grants it.
      const { invite } = await expectAppliedOnceAcrossWorkers(inspect, acked, streams.flat());

      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `3 workers on PostgreSQL, 1 SIGKILLed after ${killAt} of ${total} batches: ${events.length} events ` +
          `acknowledged and applied once (${resent} requests re-sent to a ` +
          `survivor), ${await one("SELECT count(*) FROM ledger")} grants, invite ` +
          `budget ${invite.used}/${invite.cap}; the dead worker's ${victimOwned} partitions re-leased ` +
          `in ${(takeoverMs / 1000).toFixed(1)} s (lease ${TTL / 1000} s), outbox drained; ${seconds} s`,
      );
    } finally {
      for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill("SIGKILL");
      await Promise.all(workers.map((w) => w.exited));
      await inspect.close();
    }
  }, 120_000);
});
