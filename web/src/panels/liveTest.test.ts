import { describe, expect, it } from "vitest";
import { livePath, livePathEdges, liveSteps } from "./liveTest.ts";
import { pathOf } from "./simulation.ts";

const base = { userId: "tester", journeyId: "tiered-rebate", version: 2 };
const SENT = "2026-11-23T08:00:00.000Z";

describe("a live test event's path, from the engine's timeline", () => {
  it("keeps the journey's steps from the event's instant on, in order, and skips what is not a record", () => {
    const timeline = [
      // An earlier test, before this event: not this event's path.
      { ...base, at: "2026-11-22T08:00:00.000Z", nodeId: "transaction", kind: "enter", entry: 1, trigger: "x" },
      { ...base, at: SENT, nodeId: "transaction", kind: "enter", entry: 2, trigger: "transaction" },
      { ...base, at: SENT, nodeId: "transaction", kind: "move", handle: "next", to: "tier" },
      { ...base, at: SENT, nodeId: "tier", kind: "decide", handle: "over_10k", inputs: {} },
      { ...base, at: SENT, nodeId: "tier", kind: "move", handle: "over_10k", to: "rebate_3" },
      // Another journey the same event entered, a failed step, and a row no schema knows.
      { ...base, journeyId: "other", at: SENT, nodeId: "t", kind: "enter", entry: 1, trigger: "transaction" },
      { ...base, at: SENT, nodeId: "rebate_3", kind: "step_failed", code: "x", eventId: null, message: "m" },
      { at: SENT, kind: "nonsense" },
    ];
    const steps = liveSteps({ timeline }, "tiered-rebate", "tester", SENT);
    expect(steps.map((s) => s.kind)).toEqual(["enter", "move", "decide", "move"]);
    expect(pathOf(steps)).toEqual(["transaction", "tier", "rebate_3"]);
    expect(liveSteps({ timeline }, "tiered-rebate", "someone-else", SENT)).toEqual([]);
  });

  it("draws the path from the nodes the records name, by the branch each decision took", () => {
    // As the engine keeps them: no moves, each record at its node.
    const timeline = [
      { ...base, at: SENT, nodeId: "transaction", kind: "enter", entry: 1, trigger: "transaction" },
      { ...base, at: SENT, nodeId: "tier", kind: "decide", handle: "over_10k", inputs: {} },
      { ...base, at: SENT, nodeId: "rebate_3", kind: "exit", reason: "end_of_path" },
    ];
    const steps = liveSteps({ timeline }, "tiered-rebate", "tester", SENT);
    expect(livePath(steps)).toEqual(["transaction", "tier", "rebate_3"]);
    const edges = [
      { id: "e1", source: "transaction", sourceHandle: "next", target: "tier" },
      // Two branches to the same node: the one decided is drawn.
      { id: "e2", source: "tier", sourceHandle: "over_30k", target: "rebate_3" },
      { id: "e3", source: "tier", sourceHandle: "over_10k", target: "rebate_3" },
    ];
    expect(livePathEdges(steps, { edges })).toEqual(["e1", "e3"]);
  });
});
