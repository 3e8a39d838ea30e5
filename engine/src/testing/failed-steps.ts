/**
 * A journey whose condition goes over the evaluator's step budget on a long list in the event, and
 * a stream that makes it fail once on a timer and once on an event: the scenario the durable
 * runtime is checked on, on SQLite and on PostgreSQL, against simulate().
 */
import { expect } from "vitest";
import { EventEnvelope, UserId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { DurableEngine } from "../runtime/durable.ts";
import { simulate, toCoreEvent } from "../simulate.ts";
import type { SidecarStore } from "../store/port.ts";
import { executableOf, worldOf } from "./world.ts";

/** ~n²/2 steps for n items: over the 1,000,000 budget from ~1,415 items. */
export const OVER_STEPS_RULE = {
  "!!": [{ reduce: [{ var: "event.props.list" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] }],
};

export const waitThenCheck = journey({
  id: "wait-check",
  nodes: [
    trigger("start", "order"),
    node("w", "wait", { mode: "duration", duration: "1h" }),
    node("check", "condition", { rule: OVER_STEPS_RULE }),
    exitNode("end_yes"),
    exitNode("end_no"),
  ],
  edges: [edge("start", "w"), edge("w", "check"), edge("check", "end_yes", "yes"), edge("check", "end_no", "no")],
});

const H = 3_600_000;
const T0 = Date.parse("2026-11-02T02:00:00Z");
const envelope = (id: string, userId: string, type: string, at: number, n: number): EventEnvelope =>
  EventEnvelope.parse({
    id,
    userId,
    type,
    at: new Date(at).toISOString(),
    props: { list: Array.from({ length: n }, (_, i) => i) },
  });
/** u1 orders with a long list (fails after the wait, then on their next event); u2 with a short one. */
export const failingStream = [
  envelope("big", "u1", "order", T0, 2000),
  envelope("small", "u2", "order", T0 + 60_000, 3),
  envelope("later", "u1", "ping", T0 + 2 * H, 0),
];
const FAILING_UNTIL = T0 + 2 * H;

/** What the durable runtime did with the stream, read back from the store. */
export interface FailingRun {
  ingests: Array<{ accepted: number; duplicates: number; failed: number }>;
  /** Timers claimed by each pass: at the wait's end (u1), again at once, a minute later (u2). */
  passes: number[];
  /** u1's timers right after their timer failed. */
  timersAfterFailure: number;
  errors: string[];
  timeline(userId: string): Promise<Array<Record<string, unknown>>>;
}

export async function runFailingStream(
  store: SidecarStore,
  timersOf: (userId: string) => Promise<number>,
): Promise<FailingRun> {
  const clock = { now: T0 };
  const errors: string[] = [];
  const engine = new DurableEngine(
    store,
    worldOf([{ doc: waitThenCheck }]),
    { now: () => clock.now },
    { onError: (e, context) => errors.push(`${context}: ${(e as Error).message}`) },
  );
  const ingests = [];
  const passes = [];
  ingests.push(await engine.ingest([toCoreEvent(failingStream[0]!)]));
  clock.now = T0 + 60_000;
  ingests.push(await engine.ingest([toCoreEvent(failingStream[1]!)]));
  clock.now = T0 + H;
  passes.push(await engine.runDueTimers());
  const timersAfterFailure = await timersOf("u1");
  passes.push(await engine.runDueTimers());
  clock.now = T0 + H + 60_000;
  passes.push(await engine.runDueTimers());
  clock.now = FAILING_UNTIL;
  ingests.push(await engine.ingest([toCoreEvent(failingStream[2]!)]));
  return {
    ingests,
    passes,
    timersAfterFailure,
    errors,
    timeline: async (userId) => (await store.timelineRows(UserId.parse(userId), 1000)).reverse().flat(),
  };
}

/** What must hold of a durable run of the failing stream, on any store; returns u1's step_failed records. */
export async function expectFailedSteps(run: FailingRun): Promise<Array<Record<string, unknown>>> {
  expect(run.ingests).toEqual([
    { accepted: 1, duplicates: 0, failed: 0 },
    { accepted: 1, duplicates: 0, failed: 0 },
    { accepted: 1, duplicates: 0, failed: 1 },
  ]);
  // u1's timer fails and is dropped, not claimed again; u2's, a minute later, goes on.
  expect(run.passes).toEqual([1, 0, 1]);
  expect(run.timersAfterFailure).toBe(0);
  expect(run.errors).toHaveLength(2);
  const u1 = await run.timeline("u1");
  const failed = u1.filter((t) => t.kind === "step_failed");
  expect(failed.map((t) => [t.input, t.eventId, t.at, t.code, t.nodeId, t.path])).toEqual([
    ["tick", null, "2026-11-02T03:00:00.000Z", "limit_steps", "check", "$.nodes[2].params.rule"],
    ["event", "later", "2026-11-02T04:00:00.000Z", "limit_steps", "check", "$.nodes[2].params.rule"],
  ]);
  expect(u1.some((t) => t.kind === "decide")).toBe(false);
  expect((await run.timeline("u2")).map((t) => t.kind)).toEqual(expect.arrayContaining(["decide", "exit"]));
  // simulate == live: the memory runtime gives the same records, byte for byte.
  const sim = simulate({
    journeys: [{ executable: executableOf(waitThenCheck) }],
    events: failingStream,
    until: FAILING_UNTIL,
    onRuleFailure: "record",
  });
  expect(JSON.stringify(sim.failures)).toBe(JSON.stringify(failed));
  expect(sim.effects.filter((e) => e.userId === "u1").map((e) => e.kind)).toEqual(["enter", "move", "wait"]);
  expect(sim.effects.filter((e) => e.userId === "u2").map((e) => e.kind)).toEqual(
    expect.arrayContaining(["decide", "exit"]),
  );
  return failed;
}
