/**
 * Hostile rules and data. Whatever comes in, every call must either return a value that is not a
 * function or throw a LogicError — never another error type, never hang, never touch Object.prototype.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { createEvaluator, defaultEvaluator, LogicError, type CompiledRule } from "./index.ts";

/** Wall-clock bound per call. Generous for a 2-core CI box; a hang would blow far past it. */
const BOUND_MS = 3_000;

function pristinePrototype(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(pristinePrototype);

/** Runs compile + evaluate and checks the contract; returns the LogicError code or "ok". */
function safely(rule: unknown, data: unknown, evaluator = defaultEvaluator): string {
  const started = performance.now();
  let code = "ok";
  try {
    const result = evaluator.evaluate(rule, data, { now: 0, timeZone: "UTC", aggregate: () => 1 });
    expect(typeof result).not.toBe("function");
  } catch (e) {
    if (!(e instanceof LogicError)) throw new Error(`leaked ${String(e)} for ${safeJson(rule)}`, { cause: e });
    code = e.code;
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `took ${elapsed} ms`).toBeLessThan(BOUND_MS);
  return code;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 300) ?? String(v);
  } catch {
    return String(v);
  }
}

const EVIL_SEGMENTS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "length",
  "0",
  "a",
];
const evilPath = fc
  .array(fc.constantFrom(...EVIL_SEGMENTS), { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join("."));

/** Data as it arrives over the wire: JSON.parse output, own "__proto__" keys included. */
const hostileData = fc
  .jsonValue({ maxDepth: 3 })
  .chain((v) =>
    fc.constantFrom(
      v,
      JSON.parse(
        '{"__proto__": {"polluted": true, "isAdmin": true}, "a": [1, 2], "constructor": {"prototype": {"x": 1}}}',
      ),
      JSON.parse('{"a": {"__proto__": {"toString": "x"}}, "toString": "not a function", "valueOf": 1}'),
      JSON.parse('[{"__proto__": []}, {"indexOf": 3, "length": 2}]'),
      { a: "x".repeat(70_000), b: Array.from({ length: 20_000 }, (_, i) => i) },
    ),
  );

const hostileRule: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => {
  const rule = tie("rule");
  return {
    rule: fc.oneof(
      { depthSize: "small" },
      fc.jsonValue({ maxDepth: 2 }),
      evilPath.map((p) => ({ var: p })),
      fc.tuple(evilPath, rule).map(([p, d]) => ({ var: [p, d] })),
      fc.array(fc.constantFrom(...EVIL_SEGMENTS, "."), { maxLength: 5 }).map((parts) => ({ var: { cat: parts } })),
      fc
        .constantFrom(
          "method",
          "log",
          "Math.abs",
          "__proto__",
          "constructor",
          "toString",
          "hasOwnProperty",
          "a.b",
          "eval",
        )
        .chain((op) => rule.map((arg) => ({ [op]: arg }))),
      fc
        .constantFrom("merge", "cat", "in", "substr", "+", "*", "<", "==", "missing", "missing_some", "min", "if", "or")
        .chain((op) => fc.array(rule, { maxLength: 3 }).map((args) => ({ [op]: args }))),
      fc
        .constantFrom("map", "filter", "reduce", "all", "some", "none")
        .chain((op) => fc.tuple(rule, rule).map(([a, b]) => ({ [op]: [a, b] }))),
      fc.constant(JSON.parse('{"__proto__": {"var": "a"}}')),
      fc.constant(JSON.parse('{"__proto__": 1, "var": "a"}')),
    ),
  };
}).rule;

describe("hostile rules and data", () => {
  it("random hostile rules × hostile data: a value or a LogicError, quickly, prototype intact", () => {
    fc.assert(
      fc.property(hostileRule, hostileData, (rule, data) => {
        safely(rule, data);
      }),
      { numRuns: 1500 },
    );
  });

  it("refuses method, log and dotted operators at compile time", () => {
    expect(safely({ method: [{ var: "a" }, "toString"] }, {})).toBe("refused_operator");
    expect(safely({ log: "hello" }, {})).toBe("refused_operator");
    expect(safely({ "Math.abs": [-1] }, {})).toBe("refused_operator");
    expect(safely({ "var.constructor": [] }, {})).toBe("refused_operator");
  });

  it("static paths through the prototype machinery are compile errors; dynamic ones find nothing", () => {
    for (const path of ["__proto__", "a.__proto__", "constructor", "a.constructor.prototype", "prototype"]) {
      expect(safely({ var: path }, { a: {} })).toBe("forbidden_path");
    }
    // A path computed from literals folds to a constant at compile time, so it counts as static.
    expect(safely({ var: { cat: ["__pro", "to__"] } }, {})).toBe("forbidden_path");
    const data = JSON.parse('{"__proto__": {"polluted": true}, "a": {"constructor": 5}}');
    const dynamic = (p: string) =>
      defaultEvaluator.evaluate({ var: [{ var: "$path" }, "default"] }, { ...data, $path: p });
    expect(dynamic("__proto__")).toBe("default");
    expect(dynamic("__proto__.polluted")).toBe("default");
    expect(dynamic("a.constructor")).toBe("default");
    expect(dynamic("toString")).toBe("default"); // inherited, not own
    expect(defaultEvaluator.evaluate({ var: ["a.hasOwnProperty", 0] }, data)).toBe(0);
  });

  it("never returns a function, whatever the data holds", () => {
    const data = { f: () => 1, a: [() => 2], o: { g: Math.max } };
    expect(defaultEvaluator.evaluate({ var: "f" }, data)).toBeNull();
    expect(defaultEvaluator.evaluate({ var: ["a.0", 7] }, data)).toBe(7);
    expect(defaultEvaluator.evaluate({ var: "o.g" }, data)).toBeNull();
    expect(defaultEvaluator.evaluate({ var: "" }, () => 1)).toBeNull();
    expect(defaultEvaluator.evaluate({ var: "a.map" }, { a: [1] })).toBeNull();
  });

  it("JSON-parsed rules with own __proto__ keys neither pollute nor crash", () => {
    expect(safely(JSON.parse('{"__proto__": {"polluted": true}}'), {})).toBe("unknown_operator");
    const literal = JSON.parse('{"__proto__": {"polluted": true}, "b": 1}');
    const out = defaultEvaluator.evaluate(literal, {}) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(out.polluted).toBeUndefined();
    expect(safely({ merge: [JSON.parse('[{"__proto__": {"polluted": 1}, "b": 2}]'), { var: "x" }] }, { x: [1] })).toBe(
      "ok",
    );
  });

  it("10,000 levels of nesting fail with limit_depth, built iteratively", () => {
    let ops: unknown = true;
    let arrays: unknown = 1;
    let literal: unknown = { a: 1, b: 2 };
    for (let i = 0; i < 10_000; i++) {
      ops = { "!": [ops] };
      arrays = [arrays];
      literal = { a: literal, b: i };
    }
    expect(safely(ops, {})).toBe("limit_depth");
    expect(safely(arrays, {})).toBe("limit_depth");
    expect(safely(literal, {})).toBe("limit_depth");
  });

  it("deeply nested data does not overflow the stack", () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(safely({ cat: [{ var: "d" }] }, { d: deep })).toBe("limit_depth");
    expect(safely({ "<": [{ var: "d" }, 1] }, { d: deep })).toBe("limit_depth");
    let obj: Record<string, unknown> = {};
    const root = obj;
    for (let i = 0; i < 10_000; i++) obj = obj.a = {};
    obj.a = 42;
    expect(defaultEvaluator.evaluate({ var: Array(10_001).fill("a").join(".") }, root)).toBe(42);
  });

  it("million-element arrays are refused wherever an operator would consume them", () => {
    const big = { big: new Array(1_000_000).fill(1), small: [1, 2, 3] };
    const consumers = [
      { map: [{ var: "big" }, { var: "" }] },
      { filter: [{ var: "big" }, true] },
      { reduce: [{ var: "big" }, { "+": [{ var: "current" }, { var: "accumulator" }] }, 0] },
      { all: [{ var: "big" }, true] },
      { some: [{ var: "big" }, false] },
      { none: [{ var: "big" }, false] },
      { in: [2, { var: "big" }] },
      { merge: [{ var: "big" }, { var: "small" }] },
      { cat: [{ var: "big" }] },
      { "+": { var: "big" } },
      { "<": [{ var: "big" }, 1] },
      { "==": [{ var: "big" }, "1"] },
      { substr: [{ var: "big" }, 0, 5] },
      { missing: { var: "big" } },
      { var: { var: "big" } },
    ];
    for (const rule of consumers) expect(safely(rule, big), safeJson(rule)).toBe("limit_array");
    expect(safely({ var: "big" }, big)).toBe("ok"); // reading is not consuming
  });

  it("nested loops over large arrays stop at the step budget", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const data = { items, rows: items.map(() => items) };
    expect(safely({ map: [{ var: "rows" }, { map: [{ var: "" }, { "+": [{ var: "" }, 1] }] }] }, data)).toBe(
      "limit_steps",
    );
    expect(safely({ all: [{ var: "rows" }, { none: [{ var: "" }, { "<": [{ var: "" }, 0] }] }] }, data)).toBe(
      "limit_steps",
    );
    // A rule comparing against a big array in every iteration pays for each conversion.
    const rows = { rows: items, big: items };
    expect(safely({ map: [{ var: "rows" }, { in_segment: "s" }] }, rows, segmentEvaluator)).toBe("limit_steps");
    // merge in a reduce: quadratic copying is paid for too.
    const merged = { reduce: [{ var: "items" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] };
    expect(["ok", "limit_steps"]).toContain(safely(merged, data));
  });

  it("huge strings stop at the string limit", () => {
    const doubling = { reduce: [{ var: "n" }, { cat: [{ var: "accumulator" }, { var: "accumulator" }] }, "ab"] };
    expect(safely(doubling, { n: Array(40).fill(0) })).toBe("limit_string");
    expect(safely({ cat: [{ var: "s" }, "x"] }, { s: "y".repeat(100_000) })).toBe("limit_string");
    expect(safely({ substr: [{ var: "s" }, 1] }, { s: "y".repeat(100_000) })).toBe("limit_string");
  });

  it("values JavaScript cannot convert become LogicErrors", () => {
    const data = JSON.parse('{"o": {"toString": "x"}}');
    expect(safely({ cat: [{ var: "o" }] }, data)).toBe("runtime_error");
    expect(safely({ "<": [{ var: "o" }, 1] }, data)).toBe("runtime_error");
    expect(safely({ var: { var: "o" } }, data)).toBe("runtime_error");
  });

  it("non-JSON rules are refused", () => {
    expect(safely({ "==": [() => 1, 1] }, {})).toBe("invalid_rule");
    expect(safely({ "==": [Symbol("s"), 1] }, {})).toBe("invalid_rule");
    expect(safely({ "==": [new Date(0), 1] }, {})).toBe("invalid_rule");
    expect(safely({ a: 1n, b: 2 }, {})).toBe("invalid_rule");
  });

  it("segments referencing each other cannot multiply work past the node limit", () => {
    // s0 uses s1 twice, s1 uses s2 twice, …: inlined size doubles per level.
    const segments: Record<string, unknown> = { s30: true };
    for (let i = 0; i < 30; i++)
      segments[`s${i}`] = { and: [{ in_segment: `s${i + 1}` }, { in_segment: `s${i + 1}` }] };
    expect(safely({ in_segment: "s0" }, {}, segmentLimitEvaluator(segments))).toBe("limit_nodes");
  });
});

const bigSegmentRule = { "<": [{ var: "big" }, 0] };
const segmentEvaluator = {
  ...defaultEvaluator,
  evaluate: (rule: unknown, data: unknown) =>
    defaultEvaluator.evaluate(rule, data, { now: 0 }, { segments: { s: bigSegmentRule } }),
} as typeof defaultEvaluator;

function segmentLimitEvaluator(segments: Record<string, unknown>): typeof defaultEvaluator {
  const ev = createEvaluator();
  return {
    ...ev,
    evaluate: (rule, data, env) => {
      const compiled: CompiledRule = ev.compile(rule, { segments });
      return compiled(data, env);
    },
  };
}
