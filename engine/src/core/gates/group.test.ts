import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { engineWith, ev, executableOf } from "../../testing/world.ts";
import { World } from "../journeys.ts";
import { groupEntryOrder } from "./group.ts";
import { EventEnvelope } from "@lifeloop/shared";
import { simulate } from "../../simulate.ts";
import { SqliteStore } from "../../store/sqlite/store.ts";
import { replayDurable } from "../../testing/replay.ts";

const H = 3_600_000;
const t0 = "2026-11-02T02:00:00Z";
const plus = (ms: number) => new Date(Date.parse(t0) + ms).toISOString();

/** A live world of these documents, one version each. */
const worldOfMany = (docs: unknown[]) =>
  new World(
    docs.map((doc) => {
      const executable = executableOf(doc);
      return {
        journeyId: executable.journeyId,
        status: "live" as const,
        liveVersion: 1,
        versions: [{ version: 1, inFlight: "keep" as const, executable }],
      };
    }),
  );

/** trigger on `event` → exit at once, or → wait `wait` → exit. */
const gift = (id: string, extra: Record<string, unknown>, opts: { event?: string; wait?: string } = {}) =>
  journey({
    id,
    name: id,
    entry: { reentry: "always" },
    nodes: opts.wait
      ? [trigger("start", opts.event), node("w", "wait", { mode: "duration", duration: opts.wait }), exitNode()]
      : [trigger("start", opts.event), exitNode()],
    edges: opts.wait ? [edge("start", "w"), edge("w", "end")] : [edge("start", "end")],
    ...extra,
  });

const entered = (effects: Array<{ kind: string; journeyId: string }>) =>
  effects.filter((e) => e.kind === "enter").map((e) => e.journeyId);

describe("journey groups", () => {
  it("lets one event enter only the highest-priority journey of a group; others say which won", () => {
    const world = worldOfMany([
      gift("a-low", { group: "newcomer", priority: 1 }),
      gift("b-high", { group: "newcomer", priority: 5 }),
      gift("c-free", {}),
    ]);
    const { engine, effects, trace } = engineWith(world);
    engine.ingest(ev("u1", "registered", t0));
    expect(entered(effects)).toEqual(["b-high", "c-free"]);
    expect(trace).toEqual([
      {
        userId: "u1",
        note: "not_entered",
        reason: "group newcomer: b-high (priority 5) won this entry over this journey (priority 1)",
      },
    ]);
  });

  it("breaks a tie of priorities by the lower journey id", () => {
    const world = worldOfMany([gift("zeta", { group: "g", priority: 2 }), gift("alpha", { group: "g", priority: 2 })]);
    const { engine, effects, trace } = engineWith(world);
    engine.ingest(ev("u1", "registered", t0));
    expect(entered(effects)).toEqual(["alpha"]);
    expect(trace.map((t) => t.reason)).toEqual([
      "group g: alpha (priority 2) won this entry over this journey (priority 2)",
    ]);
  });

  it("keeps someone in a group's journey out of the others until they leave it", () => {
    const world = worldOfMany([
      gift("holder", { group: "g" }, { wait: "1h" }),
      gift("other", { group: "g", priority: 9 }, { event: "login" }),
    ]);
    const { engine, effects, trace } = engineWith(world);
    engine.ingest(ev("u1", "registered", t0));
    engine.ingest(ev("u1", "login", plus(H / 2)));
    expect(trace.map((t) => t.reason)).toEqual(["group g: already in holder until it ends"]);
    engine.ingest(ev("u1", "login", plus(2 * H)));
    expect(entered(effects)).toEqual(["holder", "other"]);
  });

  it("lets the next journey win when the first one refuses the person on its own rules", () => {
    const world = worldOfMany([
      gift("first", { group: "g", priority: 5, entry: { reentry: "once" } }),
      gift("second", { group: "g", priority: 1 }),
    ]);
    const { engine, effects, trace } = engineWith(world);
    engine.ingest(ev("u1", "registered", t0));
    engine.ingest(ev("u1", "registered", plus(H)));
    // Both runs end at once: the second event is refused by `first` (once), so `second` enters.
    expect(entered(effects)).toEqual(["first", "second"]);
    expect(trace.map((t) => t.reason)).toEqual([
      "group g: first (priority 5) won this entry over this journey (priority 1)",
      "entered before; this journey is once per person",
    ]);
  });

  it("does not hold people of another group or of none", () => {
    const world = worldOfMany([
      gift("g1", { group: "one" }, { wait: "1h" }),
      gift("g2", { group: "two" }, { event: "login" }),
      gift("none", {}, { event: "login" }),
    ]);
    const { engine, effects, trace } = engineWith(world);
    engine.ingest(ev("u1", "registered", t0));
    engine.ingest(ev("u1", "login", plus(H / 2)));
    expect(entered(effects)).toEqual(["g1", "g2", "none"]);
    expect(trace).toEqual([]);
  });

  it("orders each group among its own places and leaves journeys in no group where they were", () => {
    const world = worldOfMany([
      gift("a", { group: "g", priority: 1 }),
      gift("b", {}),
      gift("c", { group: "g", priority: 3 }),
      gift("d", { group: "h", priority: 0 }),
      gift("e", { group: "g", priority: 2 }),
    ]);
    expect(world.live.map((j) => j.journeyId)).toEqual(["a", "b", "c", "d", "e"]);
    expect(groupEntryOrder(world.live).map((j) => j.journeyId)).toEqual(["c", "b", "e", "d", "a"]);
    const plain = worldOfMany([gift("x", {}), gift("y", {})]);
    expect(groupEntryOrder(plain.live)).toEqual(plain.live);
  });

  describe("per period", () => {
    const D = 86_400_000;
    // Two gifts on one event, one group, one gift per 30 days; each run ends at once.
    const docs = [
      gift("gift-big", { group: "newcomer", priority: 5, groupPeriod: "30d" }),
      gift("gift-small", { group: "newcomer", priority: 1, groupPeriod: "30d" }, { event: "login" }),
    ];
    const events = [
      ["u1", "registered", 0],
      ["u1", "login", 10 * D], // within 30 days of gift-big: refused though that run ended
      ["u1", "login", 30 * D - 1], // one ms before the period ends: still refused
      ["u1", "login", 30 * D], // the period is over: enters
      ["u1", "registered", 45 * D], // 15 days after gift-small: refused
    ].map(([userId, type, ms], i) =>
      EventEnvelope.parse({ id: `e${i}`, userId, type, at: plus(ms as number), props: {} }),
    );
    const expected = {
      entered: ["gift-big", "gift-small"],
      reasons: [
        `group newcomer: entered gift-big at ${plus(0)}, one per period until ${plus(30 * D)}`,
        `group newcomer: entered gift-big at ${plus(0)}, one per period until ${plus(30 * D)}`,
        `group newcomer: entered gift-small at ${plus(30 * D)}, one per period until ${plus(60 * D)}`,
      ],
    };

    it("keeps a person to one journey of the group per period in simulate, even after the run ended", () => {
      const result = simulate({ journeys: docs.map((d) => ({ executable: executableOf(d) })), events });
      expect(entered(result.effects)).toEqual(expected.entered);
      expect(result.effects.filter((e) => e.kind === "enter").map((e) => e.at)).toEqual([plus(0), plus(30 * D)]);
      expect(result.trace.map((t) => t.reason)).toEqual(expected.reasons);
    });

    it("decides the same live, on the durable runtime over SQLite", async () => {
      const sim = simulate({ journeys: docs.map((d) => ({ executable: executableOf(d) })), events });
      const store = new SqliteStore({ path: ":memory:" });
      try {
        const live = await replayDurable(store, docs.map(executableOf), events, Date.parse(plus(60 * D)));
        const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
        expect(canonical(live)).toEqual(canonical(sim.effects));
        expect(entered(live as Array<{ kind: string; journeyId: string }>)).toEqual(expected.entered);
      } finally {
        await store.close();
      }
    });

    it("without a period, an ended run frees the person at once", () => {
      const plain = docs.map((d) => ({ ...(d as object), groupPeriod: undefined }));
      const result = simulate({ journeys: plain.map((d) => ({ executable: executableOf(d) })), events });
      expect(entered(result.effects)).toEqual(["gift-big", "gift-small", "gift-small", "gift-small", "gift-big"]);
    });
  });
});
