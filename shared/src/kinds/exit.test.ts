import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { edge, journey, node, trigger } from "../testing/builders.ts";

describe("exit", () => {
  it("ends the run with a reason and has no branches", () => {
    const r = compileJourney(journey({ nodes: [trigger(), node("bye", "exit", {})], edges: [edge("start", "bye")] }));
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.bye).toEqual({
      id: "bye",
      kind: "exit",
      params: { reason: "completed" },
      next: {},
      path: "$.nodes[1]",
    });
  });

  it("an edge out of an exit is an error on that edge", () => {
    const r = compileJourney(
      journey({
        nodes: [trigger(), node("bye", "exit", {}), node("after", "exit", {})],
        edges: [edge("start", "bye"), edge("bye", "after", "next", "e_out")],
      }),
    );
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: "unknown_handle", path: "$.edges[1].sourceHandle", nodeId: "bye" }),
    );
  });
});
