/**
 * The fast paths must be taken for the shapes they target and must be exact: the same answers as
 * json-logic-js for every kind of value, including the loose-equality corner cases.
 */
import { describe, expect, it } from "vitest";
import { LIMITS } from "../limits.ts";
import { inLiteralSet, orOfEqualities } from "./fastpaths.ts";
import { defaultEvaluator as ev } from "./index.ts";
import { jsonLogic } from "./testing/reference.ts";
import type { CNode, OpSite } from "./types.ts";

const TYPES = Array.from({ length: 20 }, (_, i) => `type_${i}`);
const VALUES: unknown[] = [
  "type_3",
  "type_19",
  "type_20",
  "",
  "1",
  "01",
  " 1 ",
  "0",
  "true",
  "false",
  "null",
  "[object Object]",
  1,
  0,
  -0,
  2,
  1.5,
  Number.NaN,
  true,
  false,
  null,
  undefined,
  [],
  [1],
  ["1"],
  ["type_3"],
  [["type_3"]],
  {},
  { a: 1 },
];

function site(raw: unknown[], args: CNode[] = []): OpSite {
  return {
    op: "or",
    path: "$",
    valuePath: "$.or",
    raw,
    args,
    limits: LIMITS,
    argPath: () => "$",
    arg: (i) => args[i] ?? { run: () => undefined, constant: true, value: undefined, itemOnly: true },
    segment: () => {
      throw new Error("unused");
    },
    alwaysFails: () => {
      throw new Error("unused");
    },
  };
}

describe("or of equalities against string literals", () => {
  const loose = {
    or: [...TYPES.map((t) => ({ "==": [{ var: "event.type" }, t] })), { "==": ["1", { var: "event.type" }] }],
  };
  const strict = { or: TYPES.map((t) => ({ "===": [{ var: "event.type" }, t] })) };
  const mixed = {
    or: [
      { "===": [{ var: "v" }, "1"] },
      { "==": [{ var: "v" }, "2"] },
      { "===": [{ var: "v" }, "true"] },
      { "==": [{ var: "v" }, "0"] },
    ],
  };

  it("is recognised for its shape, and not for others", () => {
    expect(orOfEqualities(site(loose.or))).not.toBeNull();
    expect(orOfEqualities(site(strict.or))).not.toBeNull();
    expect(orOfEqualities(site(mixed.or))).not.toBeNull();
    expect(
      orOfEqualities(
        site([{ "==": [{ var: "a" }, "x"] }, { "==": [{ var: "b" }, "y"] }, { "==": [{ var: "a" }, "z"] }]),
      ),
    ).toBeNull();
    expect(
      orOfEqualities(site([{ "==": [{ var: "a" }, 1] }, { "==": [{ var: "a" }, "y"] }, { "==": [{ var: "a" }, "z"] }])),
    ).toBeNull();
    expect(
      orOfEqualities(
        site([
          { "==": [{ var: ["a", "x"] }, "x"] },
          { "==": [{ var: ["a", "x"] }, "y"] },
          { "==": [{ var: ["a", "x"] }, "z"] },
        ]),
      ),
    ).toBeNull();
    expect(orOfEqualities(site([{ "==": [{ var: "a" }, "x"] }, { "==": [{ var: "a" }, "y"] }]))).toBeNull();
  });

  it('keeps loose-equality semantics for non-string values (1 == "1", ["type_3"] == "type_3", …)', () => {
    for (const rule of [loose, strict, mixed]) {
      const compiled = ev.compile(rule);
      for (const v of VALUES) {
        for (const data of [{ event: { type: v }, v }, {}, { event: null }]) {
          expect(compiled(data), `${JSON.stringify(rule).slice(0, 40)} with ${String(v)}`).toEqual(
            jsonLogic.apply(rule, data),
          );
        }
      }
    }
    expect(ev.evaluate(loose, { event: { type: 1 } })).toBe(true);
    expect(ev.evaluate(strict, { event: { type: ["type_3"] } })).toBe(false);
    expect(ev.evaluate(loose, { event: { type: ["type_3"] } })).toBe(true);
    expect(ev.evaluate(mixed, { v: 1 })).toBe(false); // 1 === "1" is false and 1 == "2" too
    expect(ev.evaluate(mixed, { v: false })).toBe(true); // false == "0"
  });
});

describe("in with a constant array", () => {
  const constant = (value: unknown): CNode => ({ run: () => value, constant: true, value, itemOnly: true });

  it("is recognised for arrays of primitives only (NaN and objects excluded)", () => {
    expect(
      inLiteralSet(site(["x", ["a", 1, true, null]], [constant("x"), constant(["a", 1, true, null])])),
    ).not.toBeNull();
    expect(inLiteralSet(site([], [constant("x"), constant([Number.NaN])]))).toBeNull();
    expect(inLiteralSet(site([], [constant("x"), constant([{}])]))).toBeNull();
    expect(inLiteralSet(site([], [constant("x"), constant("abc")]))).toBeNull();
  });

  it("answers as indexOf would", () => {
    const rule = { in: [{ var: "v" }, ["a", "1", 1, 0, true, null, "", "type_3"]] };
    const compiled = ev.compile(rule);
    for (const v of VALUES) expect(compiled({ v }), String(v)).toBe(jsonLogic.apply(rule, { v }));
    expect(compiled({ v: -0 })).toBe(true);
    expect(compiled({ v: Number.NaN })).toBe(false);
    expect(compiled({})).toBe(true); // a missing var is null, and null is in the list
  });
});

describe("constant folding and literal specialisation", () => {
  it("folds literal-only subtrees but keeps their run-time errors lazy", () => {
    expect(ev.compile({ "+": [1, { "*": [2, 3] }] })({})).toBe(7);
    const lazy = ev.compile({ if: [{ var: "x" }, { "*": [] }, { cat: ["a", 1] }] });
    expect(lazy({})).toBe("a1");
    expect(() => lazy({ x: true })).toThrow(/at least one operand/);
  });

  it("comparisons with a literal on either side match json-logic-js", () => {
    for (const op of ["==", "===", "!=", "!==", "<", "<=", ">", ">="]) {
      for (const k of [1, "1", 0, "", null, true, "b"]) {
        for (const v of [0, 1, 2, "1", "a", "b", "", null, true, false, [1], [], {}]) {
          for (const rule of [
            { [op]: [{ var: "v" }, k] },
            { [op]: [k, { var: "v" }] },
            { [op]: [{ var: "v" }, { var: "k" }] },
          ]) {
            expect(ev.evaluate(rule, { v, k }), JSON.stringify([rule, v])).toEqual(jsonLogic.apply(rule, { v, k }));
          }
        }
      }
    }
  });
});
