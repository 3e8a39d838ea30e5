import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { engineWith, ev, executableOf } from "../../testing/world.ts";
import { World } from "../journeys.ts";
import { groupEntryOrder } from "./group.ts";

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
});
