import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { around } from "../testing/builders.ts";
import { split, SplitParams } from "./split.ts";

const branches = [
  { id: "gold", label: "Gold", rule: { ">": [{ agg_sum: ["transaction", "amount", "month"] }, 3000000] } },
  { id: "silver", rule: { ">": [{ agg_sum: ["transaction", "amount", "month"] }, 1000000] } },
];

describe("split", () => {
  it("has one handle per branch in order, then else", () => {
    expect(split.handles(SplitParams.parse({ branches })).map((h) => h.id)).toEqual(["gold", "silver", "else"]);
  });

  it("compiles branches in order", () => {
    const r = compileJourney(around({ id: "s", kind: "split", params: { branches } }, ["gold", "silver", "else"]));
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.s!.params).toEqual({ branches: branches.map((b) => ({ handle: b.id, rule: b.rule })) });
    expect(r.executable!.nodes.s!.next).toEqual({ gold: "end_gold", silver: "end_silver", else: "end_else" });
  });

  it("refuses duplicate and reserved branch ids where they are", () => {
    const dup = SplitParams.safeParse({
      branches: [
        { id: "a", rule: true },
        { id: "a", rule: false },
      ],
    });
    expect(dup.error?.issues[0]).toMatchObject({ path: ["branches", 1, "id"] });
    const reserved = SplitParams.safeParse({ branches: [{ id: "else", rule: true }] });
    expect(reserved.error?.issues[0]?.message).toContain("reserved");
  });

  it("points at the branch whose rule is wrong", () => {
    const r = compileJourney(
      around({ id: "s", kind: "split", params: { branches: [branches[0], { id: "x", rule: { frobnicate: [1] } }] } }, [
        "gold",
        "x",
      ]),
    );
    expect(r.issues).toContainEqual(
      expect.objectContaining({
        code: "unknown_operator",
        path: "$.nodes[1].params.branches[1].rule.frobnicate",
        nodeId: "s",
        field: "params.branches[1].rule",
      }),
    );
  });

  it("declares one rule per branch, keyed by its handle, pointing at its field", () => {
    const loose = kindOf("split")!; // as the engine and reports hold it: params from an executable
    const compiled = compileJourney(around({ id: "s", kind: "split", params: { branches } }, ["gold", "silver"]))
      .executable!.nodes.s!.params;
    expect(loose.rules!(compiled)).toEqual(
      branches.map((b, i) => ({ key: b.id, rule: b.rule, field: `branches[${i}].rule` })),
    );
  });
});
