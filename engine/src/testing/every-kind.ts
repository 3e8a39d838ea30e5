/**
 * A node kind in the smallest journey it can sit in, run to its end: how the engine's tests prove
 * that every registered kind (and a kind a test registers) works end to end with its defaults.
 */
import { compileJourney, entryOf, EventEnvelope, type ExecutableJourney } from "@lifeloop/shared";
import type { NodeKindDef } from "@lifeloop/shared";
import { edge, exitNode, journey, trigger } from "@lifeloop/shared/testing";
import { expect } from "vitest";
import { simulate, type SimulationResult } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { replayDurable } from "./replay.ts";

const SUBJECT = "subject";
const ENTRY_EVENT = "registered";

/**
 * trigger → a node of this kind with its palette defaults → an exit on each of its handles. A node
 * of an entry kind is the start itself.
 */
export function minimalJourney(def: NodeKindDef) {
  const handles = def.handles(def.params.parse(def.defaults())).map((h) => h.id);
  const subject = { id: SUBJECT, kind: def.kind, params: def.defaults() };
  const exits = handles.map((h) => exitNode(`end_${h}`));
  const out = handles.map((h) => edge(SUBJECT, `end_${h}`, h));
  if (def.enters) return journey({ nodes: [subject, ...exits], edges: out });
  const start = trigger("start", ENTRY_EVENT);
  return journey({ nodes: [start, subject, ...exits], edges: [edge(start.id, SUBJECT), ...out] });
}

/** Three people entering an hour apart, by the event the journey's entry node listens for. */
function entryEvents(def: NodeKindDef): EventEnvelope[] {
  const entry = def.enters ? entryOf(def.kind, def.defaults()) : { on: "event" as const, event: ENTRY_EVENT };
  if (entry?.on !== "event") {
    const how = entry ? `on a ${entry.on}` : "nowhere";
    throw new Error(`kind "${def.kind}" enters ${how} with its defaults: this harness enters by event`);
  }
  return ["u1", "u2", "u3"].map((userId, i) => {
    const at = new Date(Date.UTC(2026, 0, 5, 9 + i)).toISOString();
    return EventEnvelope.parse({ id: `e${i + 1}`, userId, type: entry.event, at, props: {} });
  });
}

export interface KindRun {
  executable: ExecutableJourney;
  events: EventEnvelope[];
  result: SimulationResult;
}

/**
 * Compiles the minimal journey (no errors), simulates it to simulate's default end, and checks that
 * every run completed: each person entered and exited, each passed the node under test (through one
 * of its handles, or ended there), and one that pauses on every visit was resumed there.
 */
export function expectRunsToItsEnd(def: NodeKindDef): KindRun {
  const compiled = compileJourney(minimalJourney(def));
  expect(compiled.issues.filter((i) => i.severity === "error")).toEqual([]);
  const executable = compiled.executable!;
  const events = entryEvents(def);
  const result = simulate({ journeys: [{ executable }], events });
  for (const { userId } of events) {
    const mine = result.effects.filter((e) => e.userId === userId);
    const kinds = mine.map((e) => e.kind);
    expect(
      kinds.filter((k) => k === "enter"),
      `${def.kind}: ${userId} entered once`,
    ).toHaveLength(1);
    expect(kinds.at(-1), `${def.kind}: ${userId}'s run ended (${kinds.join(", ")})`).toBe("exit");
    const atSubject = mine.filter((e) => e.nodeId === SUBJECT);
    const past = atSubject.some((e) => e.kind === "move" || e.kind === "exit");
    expect(past, `${def.kind}: ${userId} got past the node`).toBe(true);
    if (def.pauses?.always(def.params.parse(def.defaults()))) {
      const kindsThere = atSubject.map((e) => e.kind);
      expect(kindsThere, `${def.kind}: paused and resumed within simulate's horizon`).toContain("resume");
    }
  }
  return { executable, events, result };
}

/** The same input through the durable runtime on SQLite commits what simulate said, byte for byte. */
export async function expectLiveMatchesSimulate({ executable, events, result }: KindRun): Promise<void> {
  const store = new SqliteStore({ path: ":memory:" });
  try {
    const until = result.stats.until === null ? null : Date.parse(result.stats.until);
    const live = await replayDurable(store, [executable], events, until);
    const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
    expect(canonical(live)).toEqual(canonical(result.effects));
  } finally {
    await store.close();
  }
}
