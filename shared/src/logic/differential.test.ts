/**
 * Differential property test: random rules over the standard operators and random JSON data must give
 * exactly what json-logic-js 2.0.5 gives (deep equality, -0 and NaN included), and throw whenever it
 * throws. The generators stay inside the domain where our documented deviations cannot show: data keys
 * never shadow methods json-logic-js would call (indexOf, toString, …), and `missing` keys are literals
 * (json-logic-js would run data that looks like logic as logic; we never do).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEvaluator, LogicError } from "./index.ts";
import { jsonLogic } from "./testing/reference.ts";

const evaluator = createEvaluator();

const KEYS = ["a", "b", "c", "x", "0", "1"] as const;
const PATHS = ["", "a", "b", "x", "a.b", "a.0", "b.c.a", "0", "1", "x.length", "a.length", "a.1", "c.x.0", "nope.deep"];

const scalar = fc.oneof(
  fc.integer({ min: -5, max: 12 }),
  fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom("", "a", "b", "0", "1", "-1", "2.5", " 3 ", "abc", "a.b", "x", "true", "null"),
  fc.boolean(),
  fc.constant(null),
);

const dataArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const literalKey = fc.oneof(fc.constantFrom(...PATHS), fc.integer({ min: 0, max: 2 }));

const STRICT_OPS = [
  "==",
  "===",
  "!=",
  "!==",
  ">",
  ">=",
  "<",
  "<=",
  "!",
  "!!",
  "%",
  "in",
  "cat",
  "substr",
  "+",
  "*",
  "-",
  "/",
  "min",
  "max",
  "merge",
  "if",
  "?:",
  "and",
  "or",
] as const;
const SCOPED = ["map", "filter", "reduce", "all", "some", "none"] as const;

const ruleArb: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => {
  const rule = tie("rule");
  const args = fc.array(rule, { maxLength: 4 });
  return {
    rule: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { arbitrary: scalar, weight: 3 },
      // Literal data inside rules: arrays are evaluated element-wise, objects of ≠ 1 key are returned as is.
      { arbitrary: fc.array(rule, { maxLength: 3 }), weight: 1 },
      { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), scalar, { minKeys: 2, maxKeys: 3 }), weight: 1 },
      { arbitrary: fc.constantFrom(...PATHS).map((p) => ({ var: p })), weight: 3 },
      { arbitrary: fc.tuple(fc.constantFrom(...PATHS), rule).map(([p, d]) => ({ var: [p, d] })), weight: 1 },
      { arbitrary: rule.map((p) => ({ var: p })), weight: 1 }, // dynamic paths
      { arbitrary: fc.tuple(fc.constantFrom(...STRICT_OPS), args).map(([op, a]) => ({ [op]: a })), weight: 12 },
      { arbitrary: fc.tuple(fc.constantFrom(...STRICT_OPS), rule).map(([op, a]) => ({ [op]: a })), weight: 3 },
      {
        arbitrary: fc.tuple(fc.constantFrom(...SCOPED), rule, rule).map(([op, src, body]) => ({ [op]: [src, body] })),
        weight: 2,
      },
      { arbitrary: fc.tuple(rule, rule, rule).map(([src, body, init]) => ({ reduce: [src, body, init] })), weight: 1 },
      { arbitrary: fc.array(literalKey, { maxLength: 4 }).map((keys) => ({ missing: keys })), weight: 1 },
      { arbitrary: fc.array(literalKey, { maxLength: 3 }).map((keys) => ({ missing: [keys] })), weight: 1 },
      {
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 3 }), fc.array(literalKey, { maxLength: 3 }))
          .map(([n, keys]) => ({ missing_some: [n, keys] })),
        weight: 1,
      },
    ),
  };
}).rule;

/** Data that makes scoped operators iterate: arrays of objects and numbers at known paths. */
const iterableData = fc.record({
  a: fc.array(fc.oneof(scalar, fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 3 })), { maxLength: 5 }),
  b: dataArb,
  x: fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })),
});

function outcome(run: () => unknown): { threw: true; error: unknown } | { threw: false; value: unknown } {
  try {
    return { threw: false, value: run() };
  } catch (error) {
    return { threw: true, error };
  }
}

function agree(rule: unknown, data: unknown): void {
  const theirs = outcome(() => jsonLogic.apply(rule, data));
  const ours = outcome(() => evaluator.evaluate(rule, data));
  if (theirs.threw) {
    expect(ours.threw, `json-logic-js threw ${String(theirs.error)}; we returned ${JSON.stringify(ours)}`).toBe(true);
    if (ours.threw) expect(ours.error).toBeInstanceOf(LogicError);
  } else {
    if (ours.threw) throw ours.error;
    expect(ours.value).toEqual(theirs.value);
  }
}

describe("differential: same answers as json-logic-js 2.0.5", () => {
  it("random rules × random data", () => {
    fc.assert(fc.property(ruleArb, dataArb, agree), { numRuns: 2000 });
  });

  it("random rules × data with arrays to iterate", () => {
    fc.assert(fc.property(ruleArb, iterableData, agree), { numRuns: 1000 });
  });

  it("scoped operators over data arrays", () => {
    const body = ruleArb;
    fc.assert(
      fc.property(fc.constantFrom(...SCOPED), body, iterableData, (op, b, data) =>
        agree({ [op]: [{ var: "a" }, b] }, data),
      ),
      { numRuns: 500 },
    );
  });
});
