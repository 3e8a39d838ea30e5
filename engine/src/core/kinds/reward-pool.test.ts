import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileJourney, EventId, type EventEnvelope, JourneyId, UserId } from "@lifeloop/shared";
import { around } from "@lifeloop/shared/testing";
import { afterAll, describe, expect, it } from "vitest";
import { World } from "../index.ts";
import { DurableEngine } from "../../runtime/durable.ts";
import { simulate, toCoreEvent } from "../../simulate.ts";
import { SqliteStore } from "../../store/sqlite/store.ts";
import { replayDurable } from "../../testing/replay.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = around(
  {
    id: "r",
    kind: "reward",
    params: { reward: { type: "coupon", code: "vip", pool: "vip-codes" }, cap: { count: 1, period: "lifetime" } },
  },
  ["next", "exhausted"],
);
const executable = compileJourney(doc).executable!;
const events: EventEnvelope[] = Array.from({ length: 5 }, (_, i) => ({
  id: EventId.parse(`e${i}`),
  userId: UserId.parse(`p${i}`),
  type: "registered",
  at: new Date(Date.UTC(2026, 0, 5, 9, i)).toISOString(),
  props: {},
}));
const CODES = ["A-1", "B-2", "A-1", "C-3"];

/** Who got which code, and who was refused for an empty pool, in order. */
const handed = (effects: ReadonlyArray<Record<string, unknown>>) =>
  effects
    .filter((e) => e.kind === "reward" || e.kind === "refuse")
    .map((e) =>
      e.kind === "reward" ? [e.userId, (e.reward as { code: string }).code] : [e.userId, `refused ${String(e.reason)}`],
    );
const EXPECTED = [
  ["p0", "A-1"],
  ["p1", "B-2"],
  ["p2", "C-3"],
  ["p3", "refused pool_empty"],
  ["p4", "refused pool_empty"],
];

describe("coupon pool", () => {
  it("hands the pool's codes in import order, once each, then takes the exhausted branch", () => {
    const r = simulate({ journeys: [{ executable }], events, pools: { "vip-codes": CODES } });
    expect(handed(r.effects)).toEqual(EXPECTED);
    const exits = r.effects.filter((e) => e.kind === "exit").map((e) => [e.userId, e.nodeId]);
    expect(exits).toEqual([
      ["p0", "end_next"],
      ["p1", "end_next"],
      ["p2", "end_next"],
      ["p3", "end_exhausted"],
      ["p4", "end_exhausted"],
    ]);
    // Without the pool's content, every grant finds it empty.
    expect(handed(simulate({ journeys: [{ executable }], events }).effects).map((h) => h[1])).toEqual(
      Array(5).fill("refused pool_empty"),
    );
  });

  it("commits on SQLite what simulate drew; a batch of five draws the same; a re-sent one draws none", async () => {
    const store = new SqliteStore({ path: join(dir, "one.db") });
    try {
      expect(await store.importPoolCodes("vip-codes", CODES, 0)).toEqual({ added: 3, duplicates: 1, codes: 3 });
      expect(handed(await replayDurable(store, [executable], events, null))).toEqual(EXPECTED);
      expect(await store.couponPools()).toEqual([{ pool: "vip-codes", codes: 3, handed: 3 }]);
    } finally {
      await store.close();
    }

    const batch = new SqliteStore({ path: join(dir, "batch.db") });
    try {
      await batch.importPoolCodes("vip-codes", CODES.slice(0, 2), 0);
      // Imports append: the second file's new code comes after the first file's.
      expect(await batch.importPoolCodes("vip-codes", ["B-2", "C-3"], 0)).toEqual({
        added: 1,
        duplicates: 1,
        codes: 3,
      });
      const world = new World([
        {
          journeyId: JourneyId.parse(executable.journeyId),
          status: "live",
          liveVersion: 1,
          versions: [{ version: 1, inFlight: "keep", executable }],
        },
      ]);
      const engine = new DurableEngine(batch, world, { now: () => Date.UTC(2026, 0, 5, 10) });
      const core = events.map(toCoreEvent);
      expect((await engine.ingest(core)).accepted).toBe(5);
      expect((await engine.ingest(core)).accepted).toBe(0);
      const ledger = await batch.ledger({ limit: 100 });
      expect(ledger.map((g) => [g.userId, g.code])).toEqual(EXPECTED.slice(0, 3));
      expect(await batch.couponPools()).toEqual([{ pool: "vip-codes", codes: 3, handed: 3 }]);
    } finally {
      await batch.close();
    }
  });
});
