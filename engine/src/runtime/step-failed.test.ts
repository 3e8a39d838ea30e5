/**
 * A step whose rule fails is treated the same by the memory runtime (simulate) and the durable one
 * on a real SQLite file: the person stays as they were, a `step_failed` record says why, the rest
 * goes on — byte for byte the same records. A timer whose step fails is not retried until the
 * person's next event (the same state fails the same way).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventEnvelope } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing/builders";
import { RuleFailure } from "../core/index.ts";
import { simulate, toCoreEvent } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { executableOf, worldOf } from "../testing/world.ts";
import { DurableEngine } from "./durable.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-step-failed-"));
  dirs.push(dir);
  return join(dir, "engine.sqlite");
};

/** ~n²/2 steps for n items: over the 1,000,000 budget from ~1,415 items. */
const RULE = { "!!": [{ reduce: [{ var: "event.props.list" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] }] };
const doc = journey({
  id: "wait-check",
  nodes: [trigger("start", "order"), node("w", "wait", { mode: "duration", duration: "1h" }), node("check", "condition", { rule: RULE }), exitNode("end_yes"), exitNode("end_no")],
  edges: [edge("start", "w"), edge("w", "check"), edge("check", "end_yes", "yes"), edge("check", "end_no", "no")],
});
const H = 3_600_000;
const t0 = Date.parse("2026-11-02T02:00:00Z");
const envelope = (id: string, userId: string, type: string, at: number, n: number): EventEnvelope => ({
  id,
  userId,
  type,
  at: new Date(at).toISOString(),
  props: { list: Array.from({ length: n }, (_, i) => i) },
});
const stream = [envelope("big", "u1", "order", t0, 2000), envelope("small", "u2", "order", t0 + 60_000, 3), envelope("later", "u1", "ping", t0 + 2 * H, 0)];

describe("a failed step, in simulate and live", () => {
  it("live: a failing timer leaves the person waiting, writes one step_failed and is not claimed again; their next event fails the same way", async () => {
    const store = new SqliteStore({ path: tempDb() });
    const clock = { now: t0 };
    const errors: string[] = [];
    const engine = new DurableEngine(store, worldOf([{ doc }]), { now: () => clock.now }, { onError: (e, context) => errors.push(`${context}: ${(e as Error).message}`) });
    const count = (sql: string, ...args: unknown[]) => store.db.prepare(sql).pluck().get(...args) as number;

    expect(await engine.ingest([toCoreEvent(stream[0]!)])).toEqual({ accepted: 1, duplicates: 0, failed: 0 });
    clock.now = t0 + 60_000;
    expect(await engine.ingest([toCoreEvent(stream[1]!)])).toEqual({ accepted: 1, duplicates: 0, failed: 0 });

    clock.now = t0 + H;
    expect(await engine.runDueTimers()).toBe(1); // u1 (u2 is due a minute later)
    expect(count("SELECT count(*) FROM timers WHERE user_id = 'u1'")).toBe(0);
    expect(await engine.runDueTimers()).toBe(0);
    clock.now = t0 + H + 60_000;
    expect(await engine.runDueTimers()).toBe(1); // u2 goes on

    clock.now = t0 + 2 * H;
    expect(await engine.ingest([toCoreEvent(stream[2]!)])).toEqual({ accepted: 1, duplicates: 0, failed: 1 });
    expect(store.db.prepare("SELECT error FROM events WHERE id = 'later'").pluck().get()).toContain("limit_steps");

    const timeline = (userId: string) => (store.db.prepare("SELECT record FROM timeline WHERE user_id = ? ORDER BY seq").pluck().all(userId) as string[]).flatMap((r) => JSON.parse(r) as Array<Record<string, unknown>>);
    const failed = timeline("u1").filter((t) => t.kind === "step_failed");
    expect(failed.map((t) => [t.input, t.eventId, t.at, t.code, t.nodeId, t.path])).toEqual([
      ["tick", null, "2026-11-02T03:00:00.000Z", "limit_steps", "check", "$.nodes[2].params.rule"],
      ["event", "later", "2026-11-02T04:00:00.000Z", "limit_steps", "check", "$.nodes[2].params.rule"],
    ]);
    // u1 is still waiting at the wait, as before the failures.
    const state = await store.userState("u1");
    expect(state!.runs.map((r) => r.nodeId)).toEqual(["w"]);
    expect(timeline("u2").map((t) => t.kind)).toEqual(expect.arrayContaining(["decide", "exit"]));
    expect(errors).toHaveLength(2);

    // simulate == live: the same stream in the memory runtime gives the same records, byte for byte.
    const sim = simulate({ journeys: [{ executable: executableOf(doc) }], events: stream, until: t0 + 2 * H, onRuleFailure: "record" });
    expect(JSON.stringify(sim.failures)).toBe(JSON.stringify(failed));
    expect(sim.effects.filter((e) => e.userId === "u1").map((e) => e.kind)).toEqual(["enter", "move", "wait"]);
    expect(sim.effects.filter((e) => e.userId === "u2").map((e) => e.kind)).toEqual(expect.arrayContaining(["decide", "exit"]));
    store.close();
  });

  it("simulate, by default, stops with a typed RuleFailure naming the rule, the person and the event", () => {
    const instant = journey({
      id: "check-now",
      nodes: [trigger("start", "order"), node("check", "condition", { rule: RULE }), exitNode("end_yes"), exitNode("end_no")],
      edges: [edge("start", "check"), edge("check", "end_yes", "yes"), edge("check", "end_no", "no")],
    });
    let thrown: unknown;
    try {
      simulate({ journeys: [{ executable: executableOf(instant) }], events: stream });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RuleFailure);
    expect(thrown).toMatchObject({ code: "limit_steps", journeyId: "check-now", nodeId: "check", path: "$.nodes[1].params.rule", rulePath: '$["!!"][0].reduce[1]', userId: "u1", eventId: "big" });
    // The small events alone replay fine.
    expect(simulate({ journeys: [{ executable: executableOf(instant) }], events: [stream[1]!] }).failures).toEqual([]);
  });
});
