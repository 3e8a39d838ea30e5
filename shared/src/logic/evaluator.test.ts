/** Evaluator instances, errors and their paths, limits, and the semantic decisions documented in docs/evaluator.md. */
import { describe, expect, it } from "vitest";
import { LIMITS } from "../limits.ts";
import {
  createEvaluator,
  defaultEvaluator as ev,
  LogicError,
  REFUSED_OPERATORS,
  SCOPED_OPERATORS,
  STANDARD_OPERATORS,
  truthy,
} from "./index.ts";
import { jsonLogic } from "./testing/reference.ts";

function errorOf(run: () => unknown): LogicError {
  try {
    run();
  } catch (e) {
    if (e instanceof LogicError) return e;
    throw e;
  }
  throw new Error("expected a LogicError, nothing was thrown");
}

describe("operator tables are per instance", () => {
  it("a custom operator exists only on its own instance, and never in json-logic-js's global table", () => {
    const withDouble = createEvaluator({ operators: { double: ([x]) => 2 * (x as number) } });
    const plain = createEvaluator();
    expect(withDouble.evaluate({ double: [{ var: "n" }] }, { n: 21 })).toBe(42);
    expect(withDouble.isOperator("double")).toBe(true);
    expect(withDouble.operators()).toContain("double");
    expect(plain.isOperator("double")).toBe(false);
    expect(ev.isOperator("double")).toBe(false);
    expect(errorOf(() => plain.compile({ double: [1] })).code).toBe("unknown_operator");
    expect(() => jsonLogic.apply({ double: [1] })).toThrow(/Unrecognized operation double/);
  });

  it("custom operators see evaluated args, the current data and the env; functions they return become null", () => {
    const seen: unknown[] = [];
    const custom = createEvaluator({
      operators: {
        spy: (args, { data, env }) => {
          seen.push(args, data, env?.now);
          return "ok";
        },
        leak: () => () => "a function",
      },
    });
    expect(
      custom.evaluate({ map: [[{ k: 1, j: 0 }], { spy: [{ var: "k" }, { "+": [1, 1] }] }] }, {}, { now: 5 }),
    ).toEqual(["ok"]);
    expect(seen).toEqual([[1, 2], { k: 1, j: 0 }, 5]);
    expect(custom.evaluate({ leak: [] }, {})).toBeNull();
  });

  it("refuses custom operators that are refused, built in, dotted, or not functions", () => {
    expect(() => createEvaluator({ operators: { log: () => 1 } })).toThrow(/refused/);
    expect(() => createEvaluator({ operators: { var: () => 1 } })).toThrow(/built in/);
    expect(() => createEvaluator({ operators: { agg_sum: () => 1 } })).toThrow(/built in/);
    expect(() => createEvaluator({ operators: { "a.b": () => 1 } })).toThrow(/no dots/);
    // @ts-expect-error not a function: what an untyped caller could pass
    expect(() => createEvaluator({ operators: { x: 1 } })).toThrow(/function/);
  });

  it("lists the standard operators (json-logic-js's, minus refused ones) and the scoped ones", () => {
    expect([...STANDARD_OPERATORS].sort()).toEqual(
      [
        "!",
        "!!",
        "!=",
        "!==",
        "%",
        "*",
        "+",
        "-",
        "/",
        "<",
        "<=",
        "==",
        "===",
        ">",
        ">=",
        "?:",
        "all",
        "and",
        "cat",
        "filter",
        "if",
        "in",
        "map",
        "max",
        "merge",
        "min",
        "missing",
        "missing_some",
        "none",
        "or",
        "reduce",
        "some",
        "substr",
        "var",
      ].sort(),
    );
    expect([...SCOPED_OPERATORS].sort()).toEqual(["all", "filter", "map", "none", "reduce", "some"]);
    for (const op of Object.keys(REFUSED_OPERATORS)) expect(ev.isOperator(op)).toBe(false);
    expect(ev.operators()).toEqual([...ev.operators()].sort());
  });
});

describe("errors", () => {
  it("carry a code and the JSON path of the offending node", () => {
    const e = errorOf(() => ev.compile({ and: [{ var: "a" }, { if: [true, { frobnicate: [] }, 2] }] }));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("LogicError");
    expect(e).toMatchObject({ code: "unknown_operator", path: "$.and[1].if[1]" });
    expect(errorOf(() => ev.compile({ and: [true, { var: "user.__proto__.x" }] }))).toMatchObject({
      code: "forbidden_path",
      path: "$.and[1].var",
    });
    expect(errorOf(() => ev.compile({ var: ["constructor", 1] }))).toMatchObject({ path: "$.var[0]" });
    expect(errorOf(() => ev.compile({ "==": [{ var: "a" }, { "x.y": 1 }] }))).toMatchObject({
      code: "refused_operator",
      path: '$["=="][1]',
    });
  });

  it("unknown operators are compile errors even in branches json-logic-js would never evaluate", () => {
    expect(jsonLogic.apply({ if: [true, 1, { nope: [] }] })).toBe(1);
    expect(errorOf(() => ev.compile({ if: [true, 1, { nope: [] }] })).code).toBe("unknown_operator");
  });

  it("json-logic-js's own run-time failures surface as LogicError at run time only", () => {
    const times = ev.compile({ if: [{ var: "go" }, { "*": [] }, 0] });
    expect(times({ go: false })).toBe(0);
    expect(errorOf(() => times({ go: true }))).toMatchObject({ code: "bad_argument", path: "$.if[1]" });
    expect(errorOf(() => ev.evaluate({ missing_some: [1] }, {})).code).toBe("bad_argument");
  });
});

describe("limits", () => {
  it("rule depth and node count are checked at compile time, with the path where they were exceeded", () => {
    const small = createEvaluator({ limits: { maxRuleDepth: 3, maxRuleNodes: 6 } });
    expect(small.evaluate({ "!": { "!": true } }, {})).toBe(true); // depth 3
    expect(errorOf(() => small.compile({ "!": { "!": { "!": true } } }))).toMatchObject({
      code: "limit_depth",
      path: '$["!"]["!"]["!"]',
    });
    expect(errorOf(() => small.compile({ and: [1, 2, 3, 4, 5, 6] }))).toMatchObject({
      code: "limit_nodes",
      path: "$.and[5]",
    });
    expect(errorOf(() => small.compile({ a: [1, 2], b: [3, 4, 5] }))).toMatchObject({ code: "limit_nodes" });
  });

  it("array, string and step limits are checked at run time, with the operator's path", () => {
    const small = createEvaluator({ limits: { maxArrayLength: 3, maxStringLength: 5, maxSteps: 10 } });
    const data = { four: [1, 2, 3, 4], three: [1, 2, 3] };
    expect(small.evaluate({ map: [{ var: "three" }, 1] }, data)).toEqual([1, 1, 1]);
    expect(errorOf(() => small.evaluate({ or: [false, { map: [{ var: "four" }, 1] }] }, data))).toMatchObject({
      code: "limit_array",
      path: "$.or[1]",
    });
    expect(errorOf(() => small.evaluate({ merge: [{ var: "three" }, 4] }, data))).toMatchObject({
      code: "limit_array",
      path: "$",
    });
    expect(small.evaluate({ cat: ["ab", "cde"] }, {})).toBe("abcde");
    expect(errorOf(() => small.evaluate({ and: [true, { cat: ["ab", { var: "x" }] }] }, { x: "cdef" }))).toMatchObject({
      code: "limit_string",
      path: "$.and[1]",
    });
    // 3 + 3 × 3 = 12 steps (the inner loop runs over the item, so nothing folds away at compile time)
    const rows = {
      rows: [
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ],
    };
    const nested = { map: [{ var: "rows" }, { map: [{ var: "" }, { var: "" }] }] };
    expect(errorOf(() => small.evaluate(nested, rows))).toMatchObject({ code: "limit_steps", path: "$.map[1]" });
    // An inner loop over a literal array is folded once at compile time: 3 steps per evaluation.
    expect(small.evaluate({ map: [{ var: "three" }, { map: [[1, 2, 3], { var: "" }] }] }, data)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it("folds loops over literal arrays whose body reads only the element, and says which parts always fail", () => {
    const small = createEvaluator({ limits: { maxStringLength: 5, maxSteps: 10 } });
    const seen: LogicError[] = [];
    const onAlwaysFails = (e: LogicError) => seen.push(e);
    // Folded: evaluating it later costs no steps, so it fits a budget of 10 however often it runs.
    const doubled = small.compile({ map: [[1, 2, 3, 4, 5, 6, 7, 8], { "*": [{ var: "" }, 2] }] }, { onAlwaysFails });
    expect(doubled({})).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(Object.isFrozen(doubled({}))).toBe(true);
    // Always over the string limit, whatever the data: compiles (json-logic fails only when reached), reported once.
    const building = { if: [{ var: "x" }, { reduce: [[1, 2, 3], { cat: [{ var: "accumulator" }, "ab"] }, ""] }, "no"] };
    const rule = small.compile(building, { onAlwaysFails });
    expect(rule({ x: false })).toBe("no");
    expect(errorOf(() => rule({ x: true }))).toMatchObject({ code: "limit_string", path: "$.if[1].reduce[1]" });
    expect(seen.map((e) => [e.code, e.path])).toEqual([["limit_string", "$.if[1].reduce[1]"]]);
    // Literal parts of a cat that alone pass the limit, next to data.
    seen.length = 0;
    small.compile({ cat: [{ var: "name" }, "abc", 123] }, { onAlwaysFails });
    expect(seen.map((e) => [e.code, e.path])).toEqual([["limit_string", "$"]]);
    // Loops that read the clock, the root data (segments) or a host operator are never run at compile time.
    seen.length = 0;
    const spy = createEvaluator({ limits: { maxSteps: 10 }, operators: { spy: () => "x" } });
    spy.compile({ map: [[1, 2], { spy: [] }] }, { onAlwaysFails });
    spy.compile({ map: [[1, 2], { now: [] }] }, { onAlwaysFails });
    spy.compile(
      { map: [[1, 2], { in_segment: "s" }] },
      { onAlwaysFails, segments: { s: { map: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 1] } } },
    );
    expect(seen).toEqual([]);
    // Folding spends from a budget that compile() calls can share; once spent, parts are left for run time, unreported.
    seen.length = 0;
    const foldBudget = { steps: 15 };
    const loop = { map: [[1, 2, 3, 4, 5, 6, 7, 8], { var: "" }] }; // 8 steps
    expect(small.compile(loop, { onAlwaysFails, foldBudget })({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(foldBudget.steps).toBe(7);
    const later = small.compile(loop, { onAlwaysFails, foldBudget });
    expect(foldBudget.steps).toBe(0);
    expect(later({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // evaluated at run time, within its own budget
    small.compile({ map: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { var: "" }] }, { onAlwaysFails, foldBudget });
    expect(seen).toEqual([]);
    // Ordinary rules report nothing.
    ev.compile(
      { and: [{ ">=": [{ var: "event.props.amount" }, 100] }, { in: ["vip", { var: "profile.tags" }] }] },
      { onAlwaysFails },
    );
    ev.compile({ cat: ["Hello ", { var: "profile.name" }] }, { onAlwaysFails });
    expect(seen).toEqual([]);
  });

  it("default limits come from LIMITS, and bad overrides are refused", () => {
    const tooDeep = (n: number) => {
      let r: unknown = true;
      for (let i = 1; i < n; i++) r = { "!!": r };
      return r;
    };
    expect(ev.compile(tooDeep(LIMITS.maxRuleDepth))({})).toBe(true);
    expect(errorOf(() => ev.compile(tooDeep(LIMITS.maxRuleDepth + 1))).code).toBe("limit_depth");
    expect(() => createEvaluator({ limits: { maxSteps: 0 } })).toThrow(/positive integer/);
    // @ts-expect-error not a limit: what an untyped caller could pass
    expect(() => createEvaluator({ limits: { nope: 1 } })).toThrow(/unknown limit/);
  });
});

describe("var semantics", () => {
  it("reads own properties, array indices, and length of arrays and strings", () => {
    const data = { list: [10, 20], name: "Lifeloop", n: 5, nested: { "a.b": 1, a: { b: 2 } } };
    expect(ev.evaluate({ var: "list.1" }, data)).toBe(20);
    expect(ev.evaluate({ var: "list.length" }, data)).toBe(2);
    expect(ev.evaluate({ var: "name.length" }, data)).toBe(8);
    expect(ev.evaluate({ var: "name.0" }, data)).toBe("L");
    expect(ev.evaluate({ var: ["n.length", "none"] }, data)).toBe("none"); // numbers have no own fields
    expect(ev.evaluate({ var: "nested.a.b" }, data)).toBe(2); // dots always split
    expect(ev.evaluate({ var: 1 }, ["a", "b"])).toBe("b");
    expect(ev.evaluate({ var: ["x", { var: "n" }] }, data)).toBe(5); // computed default
    expect(ev.evaluate({ var: "" }, data)).toBe(data);
  });

  it("does not see properties polluted onto Object.prototype", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.isAdmin = true;
    try {
      expect(jsonLogic.apply({ var: "user.isAdmin" }, { user: {} })).toBe(true);
      expect(ev.evaluate({ var: ["user.isAdmin", false] }, { user: {} })).toBe(false);
    } finally {
      delete proto.isAdmin;
    }
  });

  it("a null value is found (the default is for missing values only), as in json-logic-js", () => {
    expect(ev.evaluate({ var: ["a", 1] }, { a: null })).toBeNull();
    expect(ev.evaluate({ var: ["a.b", 1] }, { a: null })).toBe(1);
  });
});

describe("data and rules are never changed", () => {
  it("evaluates against deep-frozen data (any write would throw in strict mode)", () => {
    const freeze = <T>(v: T): T => {
      if (typeof v === "object" && v !== null) {
        Object.freeze(v);
        for (const x of Object.values(v)) freeze(x);
      }
      return v;
    };
    const data = freeze({ a: [3, 1, 2], b: { c: [[1], [2]] }, s: "x" });
    const rules = [
      { merge: [{ var: "a" }, { var: "b.c" }] },
      { map: [{ var: "a" }, { "*": [{ var: "" }, 2] }] },
      { filter: [{ var: "a" }, { ">": [{ var: "" }, 1] }] },
      { reduce: [{ var: "a" }, { "+": [{ var: "current" }, { var: "accumulator" }] }, 0] },
      { missing: ["a", "z"] },
      { missing_some: [1, ["a", "z"]] },
      { cat: [{ var: "a" }, { var: "s" }] },
      { in: [1, { var: "a" }] },
    ];
    for (const rule of rules) expect(ev.evaluate(rule, data)).toEqual(jsonLogic.apply(rule, data));
  });

  it("returns constants as frozen copies: mutating a result or the rule changes nothing later", () => {
    const rule = { if: [{ var: "x" }, ["a", "b"], { k: [1], j: 2 }] };
    const compiled = ev.compile(rule);
    const list = compiled({ x: true }) as string[];
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => list.push("c")).toThrow(TypeError);
    rule.if[1] = ["changed"];
    expect(compiled({ x: true })).toEqual(["a", "b"]);
    expect(compiled({ x: false })).toEqual({ k: [1], j: 2 });
    expect(Object.isFrozen((compiled({ x: false }) as { k: number[] }).k)).toBe(true);
  });

  it("builds fresh arrays for results that depend on data", () => {
    const compiled = ev.compile([{ var: "x" }, 2]);
    const first = compiled({ x: 1 }) as unknown[];
    expect(Object.isFrozen(first)).toBe(false);
    expect(compiled({ x: 1 })).not.toBe(first);
  });
});

it("truthy follows JSON-logic: empty arrays are falsy", () => {
  for (const v of [[], 0, "", null, undefined, false, Number.NaN]) expect(truthy(v)).toBe(false);
  for (const v of [[0], "0", 1, {}, true, -1, " "]) expect(truthy(v)).toBe(true);
  for (const v of [[], [0], "0", {}, 0]) expect(truthy(v)).toBe(jsonLogic.truthy(v));
});
