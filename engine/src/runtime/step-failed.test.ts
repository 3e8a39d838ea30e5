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
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { RuleFailure } from "../core/index.ts";
import { simulate } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { ReportProjector } from "../report/project.ts";
import { zonesOf } from "../report/index.ts";
import {
  expectFailedSteps,
  failingStream,
  OVER_STEPS_RULE,
  runFailingStream,
  waitThenCheck,
} from "../testing/failed-steps.ts";
import { executableOf, worldOf } from "../testing/world.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-step-failed-"));
  dirs.push(dir);
  return join(dir, "engine.sqlite");
};

describe("a failed step, in simulate and live", () => {
  it(
    "on SQLite: a failing timer leaves the person waiting, writes one step_failed and is not claimed again; " +
      "their next event fails the same way",
    async () => {
      const store = new SqliteStore({ path: tempDb() });
      try {
        const run = await runFailingStream(
          store,
          async (userId) =>
            store.db.prepare("SELECT count(*) FROM timers WHERE user_id = ?").pluck().get(userId) as number,
        );
        await expectFailedSteps(run);
        expect(store.db.prepare("SELECT error FROM events WHERE id = 'later'").pluck().get()).toContain("limit_steps");
        // u1 is still waiting at the wait, as before the failures.
        expect((await store.userState("u1"))!.runs.map((r) => r.nodeId)).toEqual(["w"]);
        // Reports count what happened: the abandoned steps are no visit to "check".
        const world = worldOf([{ doc: waitThenCheck }]);
        new ReportProjector(store.facts, { ...zonesOf(() => world) }).catchUp();
        const visits = (userId: string) =>
          store.facts.prepare("SELECT node_id FROM fact_visits WHERE user_id = ? ORDER BY ord").pluck().all(userId);
        expect(visits("u1")).toEqual(["start", "w"]);
        expect(visits("u2")).toEqual(["start", "w", "check", "end_yes"]);
      } finally {
        await store.close();
      }
    },
  );

  it("simulate, by default, stops with a typed RuleFailure naming the rule, the person and the event", () => {
    const instant = journey({
      id: "check-now",
      nodes: [
        trigger("start", "order"),
        node("check", "condition", { rule: OVER_STEPS_RULE }),
        exitNode("end_yes"),
        exitNode("end_no"),
      ],
      edges: [edge("start", "check"), edge("check", "end_yes", "yes"), edge("check", "end_no", "no")],
    });
    let thrown: unknown;
    try {
      simulate({ journeys: [{ executable: executableOf(instant) }], events: failingStream });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RuleFailure);
    expect(thrown).toMatchObject({
      code: "limit_steps",
      journeyId: "check-now",
      nodeId: "check",
      path: "$.nodes[1].params.rule",
      field: "params.rule",
      rulePath: '$["!!"][0].reduce[1]',
      userId: "u1",
      eventId: "big",
    });
    // The small events alone replay fine.
    expect(
      simulate({ journeys: [{ executable: executableOf(instant) }], events: [failingStream[1]!] }).failures,
    ).toEqual([]);
  });
});
