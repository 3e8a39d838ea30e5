import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { around } from "../testing/builders.ts";
import { condition } from "./condition.ts";

describe("condition", () => {
  const rule = {
    and: [
      { ">=": [{ agg_sum: ["transaction", "amount", "30d"] }, 500000] },
      { "!=": [{ var: "profile.tier" }, "VIP"] },
    ],
  };

  it("has a required yes and an optional no", () => {
    expect(condition.handles({ rule: true })).toMatchObject([
      { id: "yes", required: true },
      { id: "no", required: false },
    ]);
  });

  it("compiles its rule and the aggregates it reads", () => {
    const r = compileJourney(around({ id: "c", kind: "condition", params: { rule } }, ["yes", "no"]));
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.c).toEqual({
      id: "c",
      kind: "condition",
      params: { rule },
      next: { yes: "end_yes", no: "end_no" },
      path: "$.nodes[1]",
    });
    expect(r.executable!.aggregates).toEqual([
      { key: "sum:transaction:amount:30d", fn: "sum", event: "transaction", prop: "amount", window: "30d" },
    ]);
  });

  it("needs a rule", () => {
    const r = compileJourney(around({ id: "c", kind: "condition", params: {} }, ["yes"]));
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: "schema", path: "$.nodes[1].params.rule", nodeId: "c", field: "params.rule" }),
    );
  });

  it("declares its rule for the engine", () => {
    const loose = kindOf("condition")!; // as the engine and reports hold it: params from an executable
    const compiled = compileJourney(around({ id: "c", kind: "condition", params: { rule } }, ["yes"])).executable!.nodes
      .c!.params;
    expect(loose.rules!(compiled)).toEqual([{ key: "main", rule, field: "rule" }]);
  });
});
