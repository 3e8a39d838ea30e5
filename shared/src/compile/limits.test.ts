/** Rules over the evaluator's limits whatever the data are refused at validation, with the node and the rule's path. */
import { describe, expect, it } from "vitest";
import { LIMITS } from "../limits.ts";
import { around, journey } from "../testing/builders.ts";
import { compileJourney } from "./compile.ts";
import type { Issue } from "./issues.ts";

const condition = (rule: unknown) => around({ id: "c", kind: "condition", params: { rule } }, ["yes", "no"]);
const errorsOf = (doc: unknown): Issue[] => compileJourney(doc).issues.filter((i) => i.severity === "error");
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("rules over a limit whatever the data", () => {
  it("a cat of one literal longer than the string limit", () => {
    const rule = { "==": [{ var: "event.props.code" }, { cat: ["x".repeat(LIMITS.maxStringLength + 1)] }] };
    const issues = errorsOf(condition(rule));
    expect(issues).toEqual([
      expect.objectContaining({
        code: "rule_over_limit",
        path: '$.nodes[1].params.rule["=="][1]',
        nodeId: "c",
        field: "params.rule",
      }),
    ]);
    expect(issues[0]!.message).toContain("longer than 65,536 characters");
    expect(issues[0]!.message).toContain("whatever the event or the profile holds");
  });

  it("a cat whose literal parts, each under the limit, pass it together next to data", () => {
    const half = "y".repeat(LIMITS.maxStringLength / 2 + 1);
    const issues = errorsOf(condition({ "==": [{ cat: [{ var: "event.props.name" }, half, half] }, "z"] }));
    expect(issues).toEqual([
      expect.objectContaining({ code: "rule_over_limit", path: '$.nodes[1].params.rule["=="][0]', nodeId: "c" }),
    ]);
  });

  it("a reduce building a string over a literal array", () => {
    const rule = {
      "==": [
        { reduce: [range(3000), { cat: [{ var: "accumulator" }, "abcdefghijklmnopqrstuvwxyz"] }, ""] },
        { var: "event.props.code" },
      ],
    };
    const issues = errorsOf(condition(rule));
    expect(issues).toEqual([
      expect.objectContaining({
        code: "rule_over_limit",
        path: '$.nodes[1].params.rule["=="][0].reduce[1]',
        nodeId: "c",
        field: "params.rule",
      }),
    ]);
  });

  it("a loop over a literal array that takes more steps than the budget", () => {
    // merge copies the accumulator each time: 1 + 2 + … + 2000 ≈ 2 million steps.
    const rule = {
      ">": [
        { var: "event.props.n" },
        { reduce: [range(2000), { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] },
      ],
    };
    const issues = errorsOf(condition(rule));
    expect(issues).toEqual([
      expect.objectContaining({ code: "rule_over_limit", path: '$.nodes[1].params.rule[">"][1].reduce[1]' }),
    ]);
    expect(issues[0]!.message).toContain("more than 1,000,000 steps");
  });

  it("a literal nested deeper, or larger, than a rule may be", () => {
    let deep: unknown = 1;
    for (let i = 0; i < LIMITS.maxRuleDepth; i++) deep = [deep];
    const nested = errorsOf(condition({ in: [{ var: "event.props.x" }, deep] }));
    expect(nested).toEqual([expect.objectContaining({ code: "rule_over_limit", nodeId: "c" })]);
    expect(nested[0]!.path.startsWith("$.nodes[1].params.rule.in[1]")).toBe(true);
    expect(nested[0]!.message).toContain("nested more than 48 levels");
    const big = errorsOf(condition({ in: [{ var: "event.props.x" }, range(LIMITS.maxRuleNodes + 1)] }));
    expect(big).toEqual([expect.objectContaining({ code: "rule_over_limit", nodeId: "c" })]);
    expect(big[0]!.message).toContain("more than 5,000 parts");
  });

  it("in a segment: reported at the segment's rule, once, not at every reference", () => {
    const doc = {
      ...condition({ in_segment: "loud" }),
      segments: [
        {
          id: "loud",
          name: "Loud",
          condition: { "!=": [{ var: "profile.name" }, { cat: ["!".repeat(LIMITS.maxStringLength + 1)] }] },
        },
      ],
    };
    expect(errorsOf(doc)).toEqual([
      expect.objectContaining({ code: "rule_over_limit", path: '$.segments[0].condition["!="][1]' }),
    ]);
  });

  it("in a branch that would never run it is still refused: the rule is wrong as written", () => {
    const rule = { if: [false, { cat: ["q".repeat(LIMITS.maxStringLength + 1)] }, true] };
    expect(errorsOf(condition(rule))).toEqual([
      expect.objectContaining({ code: "rule_over_limit", path: "$.nodes[1].params.rule.if[1]" }),
    ]);
  });
});

describe("the cost of finding them", () => {
  it("is bounded per document: after five evaluations' worth of steps, constant parts are left to run time", () => {
    // Each just under the step limit (~983,000 steps): six of them spend the document's budget.
    const heavy = {
      ">": [
        { var: "event.props.n" },
        { reduce: [range(1400), { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] },
      ],
    };
    const over = {
      ">": [
        { var: "event.props.n" },
        { reduce: [range(2000), { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] },
      ],
    };
    const rules = [heavy, heavy, heavy, heavy, heavy, heavy, over];
    const ids = rules.map((_, i) => `c${i}`);
    const doc = journey({
      nodes: [
        { id: "start", kind: "trigger", params: { mode: "event", event: "registered" } },
        ...rules.map((rule, i) => ({ id: ids[i]!, kind: "condition", params: { rule } })),
        { id: "end", kind: "exit", params: { reason: "completed" } },
      ],
      edges: [
        { id: "e0", source: "start", sourceHandle: "next", target: "c0" },
        ...ids.flatMap((id, i) =>
          ["yes", "no"].map((h) => ({ id: `${id}-${h}`, source: id, sourceHandle: h, target: ids[i + 1] ?? "end" })),
        ),
      ],
    });
    expect(errorsOf(doc)).toEqual([]);
    // The same rule first in a document is found.
    expect(errorsOf(condition(over))).toEqual([expect.objectContaining({ code: "rule_over_limit" })]);
  });
});

describe("ordinary rules are not flagged", () => {
  it.each([
    ["a comparison", { ">=": [{ var: "event.props.amount" }, 500000] }],
    ["a membership test in a literal list", { in: [{ var: "event.props.plan" }, ["gold", "silver", "bronze"]] }],
    ["a greeting", { "!=": [{ cat: ["Hello ", { var: "profile.name" }, "!"] }, ""] }],
    ["a loop over a literal list", { some: [[1, 2, 3], { "==": [{ var: "" }, 2] }] }],
    [
      "a long literal that is only compared",
      { "==": [{ var: "event.props.code" }, "x".repeat(LIMITS.maxStringLength + 1)] },
    ],
    // Over the limit only with a big enough event: that is for run time (the event is marked failed).
    [
      "a reduce over event data",
      {
        "!=": [
          { reduce: [{ var: "event.props.list" }, { cat: [{ var: "accumulator" }, { var: "current" }] }, ""] },
          "",
        ],
      },
    ],
  ])("%s", (_name, rule) => {
    const r = compileJourney(condition(rule));
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("the smallest journey and one with a segment", () => {
    expect(compileJourney(journey()).ok).toBe(true);
    expect(
      compileJourney({
        ...condition({ in_segment: "vip" }),
        segments: [{ id: "vip", name: "VIP", condition: { ">=": [{ var: "profile.spend" }, 1000] } }],
      }).issues,
    ).toEqual([]);
  });
});
