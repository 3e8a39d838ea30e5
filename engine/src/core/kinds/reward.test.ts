import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileJourney, EventId, type EventEnvelope, UserId } from "@lifeloop/shared";
import Database from "better-sqlite3";
import { around } from "@lifeloop/shared/testing";
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../../simulate.ts";
import { SqliteStore } from "../../store/sqlite/store.ts";
import { expectLiveMatchesSimulate } from "../../testing/every-kind.ts";
import { replayDurable } from "../../testing/replay.ts";
import { pick, runSample, sampleEvents, sampleExecutable } from "../../testing/samples.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-reward-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const amounts = (effects: ReadonlyArray<Record<string, unknown>>) =>
  effects.filter((e) => e.kind === "reward").map((e) => (e.reward as { amount: number }).amount);

describe("red packet, live", () => {
  it("commits on SQLite exactly what simulate paid, and its counters end at 5 claims and ¥10.00", async () => {
    const executable = sampleExecutable("red-packet");
    const events = sampleEvents("red-packet");
    const result = runSample("red-packet");
    await expectLiveMatchesSimulate({ executable, events, result });

    const path = join(dir, "red-packet.db");
    const store = new SqliteStore({ path });
    try {
      expect(amounts(await replayDurable(store, [executable], events, null))).toEqual([373, 296, 80, 190, 61]);
    } finally {
      await store.close();
    }
    // The file as the store left it: the claim counter at its limit, the paid counter at the total.
    const db = new Database(path, { readonly: true });
    try {
      expect(
        db.prepare("SELECT key, used, cap FROM counters WHERE key LIKE 'red_packet/%' ORDER BY key").all(),
      ).toEqual([
        { key: "red_packet/red-packet/packet/claims", used: 5, cap: 5 },
        { key: "red_packet/red-packet/packet/paid", used: 1000, cap: 1000 },
      ]);
    } finally {
      db.close();
    }
  });

  it("pays a packet of 3 to the first 3 of 40 people, summing exactly, and refuses the other 37", () => {
    const doc = around(
      {
        id: "r",
        kind: "reward",
        params: {
          reward: { type: "red_packet", total: 1001, count: 3, min: 7 },
          cap: { count: 1, period: "lifetime" },
        },
      },
      ["next", "exhausted"],
    );
    const executable = compileJourney(doc).executable!;
    const events: EventEnvelope[] = Array.from({ length: 40 }, (_, i) => ({
      id: EventId.parse(`e${i}`),
      userId: UserId.parse(`p${i}`),
      type: "registered",
      at: new Date(Date.UTC(2026, 0, 5, 9, i)).toISOString(),
      props: {},
    }));
    const r = simulate({ journeys: [{ executable }], events });
    const paid = amounts(r.effects);
    expect(paid).toHaveLength(3);
    expect(paid.reduce((s, a) => s + a, 0)).toBe(1001);
    expect(paid.every((a) => a >= 7)).toBe(true);
    expect(pick(r, "refuse")).toHaveLength(37);
  });
});

describe("random amount", () => {
  it("draws each grant within [min, max] from its key, the same in simulate and live", async () => {
    const doc = around(
      {
        id: "r",
        kind: "reward",
        params: { reward: { type: "random", currency: "CNY", min: 100, max: 888 }, cap: { count: 1, period: "day" } },
      },
      ["next", "exhausted"],
    );
    const executable = compileJourney(doc).executable!;
    const events: EventEnvelope[] = Array.from({ length: 30 }, (_, i) => ({
      id: EventId.parse(`e${i}`),
      userId: UserId.parse(`p${i % 10}`),
      type: "registered",
      at: new Date(Date.UTC(2026, 0, 5 + Math.floor(i / 10), 9, i)).toISOString(),
      props: {},
    }));
    const result = simulate({ journeys: [{ executable }], events });
    const paid = amounts(result.effects);
    // The builder's journey enters people once: ten grants, one each.
    expect(paid).toHaveLength(10);
    expect(paid.every((a) => a >= 100 && a <= 888)).toBe(true);
    expect(new Set(paid).size).toBeGreaterThan(5);
    expect(amounts(simulate({ journeys: [{ executable }], events }).effects)).toEqual(paid);
    await expectLiveMatchesSimulate({ executable, events, result });
  });
});
