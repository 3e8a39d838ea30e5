import { readdirSync } from "node:fs";

import { expect, it } from "vitest";
import { simulate } from "./simulate.ts";
import { PgStore } from "./store/pg/store.ts";
import { describePostgres } from "./store/pg/testing/suite.ts";
import { SqliteStore } from "./store/sqlite/store.ts";
import { replayDurable } from "./testing/replay.ts";
import { sampleSet } from "./testing/samples.ts";
import type { SidecarStore } from "./store/port.ts";

/**
 * The playbooks live: every sample journey with its event stream, replayed through the durable
 * runtime on PostgreSQL (and on SQLite, for comparison) with a clock that follows the events. The
 * effects committed must be simulate()'s — the same grants, messages, refusals and notes, at the
 * same times — so every assertion of playbooks.test.ts holds on both stores too.
 */
const SAMPLES = readdirSync(new URL("../../samples/journeys/", import.meta.url))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();

const canonical = (effects: Array<Record<string, unknown>>) => effects.map((e) => JSON.stringify(e)).sort();

async function check(name: string, store: SidecarStore) {
  // A journey of a group runs with the rest of its group, on the group's stream; the samples' coupon
  // pools are imported first, as `npm start` imports them, and simulate draws from the same files.
  const { executables, events, levels, pools } = sampleSet(name);
  for (const [pool, codes] of Object.entries(pools)) await store.importPoolCodes(pool, codes, 0);
  const expected = simulate({ journeys: executables.map((executable) => ({ executable })), events, levels, pools });
  const until = expected.stats.until === null ? null : Date.parse(expected.stats.until);
  const actual = await replayDurable(store, executables, events, until, null, {}, levels);
  expect(expected.effects.length, `${name} has effects to compare`).toBeGreaterThan(0);
  expect(canonical(actual)).toEqual(canonical(expected.effects as Array<Record<string, unknown>>));
}

it("has sample playbooks to replay", () => {
  expect(SAMPLES.length).toBeGreaterThanOrEqual(9);
});

for (const name of SAMPLES) {
  it(`${name} on SQLite commits what simulate() says`, async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      await check(name, store);
    } finally {
      await store.close();
    }
  });
}

describePostgres("sample playbooks on PostgreSQL", (db) => {
  for (const name of SAMPLES) {
    it(`${name} on PostgreSQL commits what simulate() says`, async () => {
      const store = await PgStore.open({ url: db() });
      try {
        await store.pool.query(
          "TRUNCATE events, users, timers, ledger, counters, outbox, timeline, schedules, feed, coupon_pool_codes",
        );
        await check(name, store);
        // And what was committed is in the tables: one outbox row per grant (coupons' redemptions and
        // expiries are ledger rows too, with no webhook), counters within caps.
        const n = async (sql: string) => Number((await store.pool.query(sql)).rows[0].n);
        expect(await n("SELECT count(*) AS n FROM outbox WHERE kind = 'reward'")).toBe(
          await n("SELECT count(*) AS n FROM ledger WHERE entry = 'grant'"),
        );
        expect(await n("SELECT count(*) AS n FROM counters WHERE used > cap")).toBe(0);
      } finally {
        await store.close();
      }
    });
  }
});
