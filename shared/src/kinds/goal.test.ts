import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { around } from "../testing/builders.ts";
import { goal } from "./goal.ts";
import { RAW_NAMES } from "./types.ts";

describe("goal", () => {
  it("compiles a named conversion milestone with an optional next", () => {
    const r = compileJourney(around({ id: "g", kind: "goal", params: { name: "first_order" } }, []));
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.g).toEqual({
      id: "g",
      kind: "goal",
      params: { name: "first_order" },
      next: { next: null },
      path: "$.nodes[1]",
    });
    expect(goal.summary({ name: "first_order" }, "zh-CN", RAW_NAMES)).toBe("转化：first_order");
  });

  it("refuses a name with spaces", () => {
    const r = compileJourney(around({ id: "g", kind: "goal", params: { name: "first order" } }, []));
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: "schema", path: "$.nodes[1].params.name", nodeId: "g" }),
    );
  });
});
