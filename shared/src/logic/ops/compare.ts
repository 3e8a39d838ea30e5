/**
 * Comparisons with JavaScript's own semantics, as json-logic-js has them: loose `==`, `<` on mixed
 * types, and the "between" forms `{"<": [a, b, c]}` / `{"<=": [a, b, c]}`.
 *
 * Specialised by shape because this is the hot path of most rules: a literal on one side is captured
 * once (no call to read it), and each operator gets its own closure so the comparison itself is inline.
 * Operands that are objects go through the conversion guard first (see budget.ts) except for the strict
 * operators, which never convert.
 */
import { conversionGuard, type Guard } from "../budget.ts";
import type { Node, OpSite, OpSpec } from "../types.ts";
import { withSurplus } from "./eager.ts";

type Op = "==" | "===" | "!=" | "!==" | ">" | ">=" | "<" | "<=";

/** Variable against a constant: `{">=": [{"var": "x"}, 3]}`. */
function varConst(op: Op, A: Node, k: any, G: Guard): Node {
  switch (op) {
    case "===":
      return (d, c) => A(d, c) === k;
    case "!==":
      return (d, c) => A(d, c) !== k;
    case "==":
      return (d, c) => {
        const a: any = A(d, c);
        if (typeof a === "object" && a !== null) G(a, c);
        return a == k;
      };
    case "!=":
      return (d, c) => {
        const a: any = A(d, c);
        if (typeof a === "object" && a !== null) G(a, c);
        return a != k;
      };
    case ">":
      return (d, c) => {
        const a: any = A(d, c);
        if (typeof a === "object" && a !== null) G(a, c);
        return a > k;
      };
    case ">=":
      return (d, c) => {
        const a: any = A(d, c);
        if (typeof a === "object" && a !== null) G(a, c);
        return a >= k;
      };
    case "<":
      return (d, c) => {
        const a: any = A(d, c);
        if (typeof a === "object" && a !== null) G(a, c);
        return a < k;
      };
    case "<=":
      return (d, c) => {
        const a: any = A(d, c);
        if (typeof a === "object" && a !== null) G(a, c);
        return a <= k;
      };
  }
}

/** Constant against a variable: `{"<": [0, {"var": "x"}]}`. */
function constVar(op: Op, k: any, B: Node, G: Guard): Node {
  switch (op) {
    case "===":
      return (d, c) => k === B(d, c);
    case "!==":
      return (d, c) => k !== B(d, c);
    case "==":
      return (d, c) => {
        const b: any = B(d, c);
        if (typeof b === "object" && b !== null) G(b, c);
        return k == b;
      };
    case "!=":
      return (d, c) => {
        const b: any = B(d, c);
        if (typeof b === "object" && b !== null) G(b, c);
        return k != b;
      };
    case ">":
      return (d, c) => {
        const b: any = B(d, c);
        if (typeof b === "object" && b !== null) G(b, c);
        return k > b;
      };
    case ">=":
      return (d, c) => {
        const b: any = B(d, c);
        if (typeof b === "object" && b !== null) G(b, c);
        return k >= b;
      };
    case "<":
      return (d, c) => {
        const b: any = B(d, c);
        if (typeof b === "object" && b !== null) G(b, c);
        return k < b;
      };
    case "<=":
      return (d, c) => {
        const b: any = B(d, c);
        if (typeof b === "object" && b !== null) G(b, c);
        return k <= b;
      };
  }
}

/** Two computed operands. */
function varVar(op: Op, A: Node, B: Node, G: Guard): Node {
  if (op === "===") return (d, c) => A(d, c) === B(d, c);
  if (op === "!==") return (d, c) => A(d, c) !== B(d, c);
  const cmp = LOOSE[op];
  return (d, c) => {
    const a: any = A(d, c);
    const b: any = B(d, c);
    if (typeof a === "object" && a !== null) G(a, c);
    if (typeof b === "object" && b !== null) G(b, c);
    return cmp(a, b);
  };
}

const LOOSE: Record<Exclude<Op, "===" | "!==">, (a: any, b: any) => boolean> = {
  "==": (a, b) => a == b,
  "!=": (a, b) => a != b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
};

function compileBinary(op: Op) {
  return (site: OpSite): Node => {
    const G = conversionGuard(site.limits, site.path);
    const a = site.arg(0);
    const b = site.arg(1);
    // Both constant: any variant will do, the compiler folds the node right away.
    const run = b.constant
      ? varConst(op, a.run, b.value, G)
      : a.constant
        ? constVar(op, a.value, b.run, G)
        : varVar(op, a.run, b.run, G);
    return withSurplus(site, 2, run);
  };
}

/** `<` and `<=` take an optional third operand: a < b < c. json-logic-js tests `c === undefined` at run time. */
function compileBetween(op: "<" | "<=") {
  const binary = compileBinary(op);
  const cmp = LOOSE[op];
  return (site: OpSite): Node => {
    if (site.args.length <= 2) return binary(site);
    const G = conversionGuard(site.limits, site.path);
    const A = site.arg(0).run;
    const B = site.arg(1).run;
    const C = site.arg(2).run;
    return withSurplus(site, 3, (d, c) => {
      const a: any = A(d, c);
      const b: any = B(d, c);
      const z: any = C(d, c);
      if (typeof a === "object" && a !== null) G(a, c);
      if (typeof b === "object" && b !== null) G(b, c);
      if (z === undefined) return cmp(a, b);
      if (typeof z === "object" && z !== null) G(z, c);
      return cmp(a, b) && cmp(b, z);
    });
  };
}

export const COMPARE_OPS: Readonly<Record<string, OpSpec>> = {
  "==": { pure: true, compile: compileBinary("==") },
  "===": { pure: true, compile: compileBinary("===") },
  "!=": { pure: true, compile: compileBinary("!=") },
  "!==": { pure: true, compile: compileBinary("!==") },
  ">": { pure: true, compile: compileBinary(">") },
  ">=": { pure: true, compile: compileBinary(">=") },
  "<": { pure: true, compile: compileBetween("<") },
  "<=": { pure: true, compile: compileBetween("<=") },
};
