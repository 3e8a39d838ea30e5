/**
 * Arithmetic as json-logic-js does it: `+` and `*` run every operand through parseFloat ("3" + 4 = 7,
 * [] counts as NaN), a lone `*` operand is returned untouched, `-` with one operand negates, and
 * `min`/`max` use Math's coercions. Results match json-logic-js bit for bit, including its -0 → 0.
 */
import { conversionGuard, type Guard } from "../budget.ts";
import { LogicError } from "../errors.ts";
import type { Ctx, Node, OpSite, OpSpec } from "../types.ts";
import { evaluateArgs, withSurplus } from "./eager.ts";

/**
 * parseFloat(v) without the string round trip for numbers. String(x) is the shortest text that reads
 * back as x, so parseFloat(String(x)) === x for every number but -0, which prints as "0".
 */
function toFloat(v: unknown, c: Ctx, G: Guard): number {
  if (typeof v === "number") return v === 0 ? 0 : v;
  if (typeof v === "string") return parseFloat(v);
  if (typeof v === "object" && v !== null) G(v, c);
  return parseFloat(v as string);
}

/** Guards an operand JavaScript is about to convert implicitly; returns it for use inline. */
function operand(v: unknown, c: Ctx, G: Guard): number {
  if (typeof v === "object" && v !== null) G(v, c);
  return v as number;
}

function compilePlus(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const runs = site.args.map((a) => a.run);
  // reduce((a, b) => parseFloat(a) + parseFloat(b), 0): the running sum is never -0, so it needs no
  // re-parsing; only the operands do.
  if (runs.length === 0) return () => 0;
  if (runs.length === 1) {
    const A = runs[0]!;
    return (d, c) => 0 + toFloat(A(d, c), c, G);
  }
  if (runs.length === 2) {
    const [A, B] = runs as [Node, Node];
    return (d, c) => 0 + toFloat(A(d, c), c, G) + toFloat(B(d, c), c, G);
  }
  const all = evaluateArgs(site);
  return (d, c) => {
    const values = all(d, c);
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += toFloat(values[i], c, G);
    return sum;
  };
}

function compileTimes(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const runs = site.args.map((a) => a.run);
  if (runs.length === 0) {
    // json-logic-js: reduce of an empty list with no initial value throws — when evaluated, not before.
    const path = site.path;
    return () => {
      throw new LogicError("bad_argument", '"*" needs at least one operand', path);
    };
  }
  if (runs.length === 1) return runs[0]!; // reduce without an initial value returns a lone element as is
  if (runs.length === 2) {
    const [A, B] = runs as [Node, Node];
    return (d, c) => toFloat(A(d, c), c, G) * toFloat(B(d, c), c, G);
  }
  const all = evaluateArgs(site);
  return (d, c) => {
    const values = all(d, c);
    let product: unknown = values[0];
    for (let i = 1; i < values.length; i++) product = toFloat(product, c, G) * toFloat(values[i], c, G);
    return product;
  };
}

function compileMinus(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const A = site.arg(0).run;
  const b = site.arg(1);
  if (site.args.length < 2) return (d, c) => -operand(A(d, c), c, G);
  const B = b.run;
  return withSurplus(site, 2, (d, c) => {
    const x = A(d, c);
    const y = B(d, c);
    // The operand count is not enough: an operand that evaluates to undefined also means "negate".
    return y === undefined ? -operand(x, c, G) : operand(x, c, G) - operand(y, c, G);
  });
}

function binaryNumeric(f: (a: number, b: number) => number) {
  return (site: OpSite): Node => {
    const G = conversionGuard(site.limits, site.path);
    const A = site.arg(0).run;
    const B = site.arg(1).run;
    return withSurplus(site, 2, (d, c) => f(operand(A(d, c), c, G), operand(B(d, c), c, G)));
  };
}

function compileExtreme(pick: (...values: number[]) => number) {
  return (site: OpSite): Node => {
    const G = conversionGuard(site.limits, site.path);
    const all = evaluateArgs(site);
    return (d, c) => {
      const values = all(d, c);
      for (let i = 0; i < values.length; i++) operand(values[i], c, G);
      return pick(...(values as number[]));
    };
  };
}

export const ARITHMETIC_OPS: Readonly<Record<string, OpSpec>> = {
  "+": { pure: true, compile: compilePlus },
  "*": { pure: true, compile: compileTimes },
  "-": { pure: true, compile: compileMinus },
  "/": { pure: true, compile: binaryNumeric((a, b) => a / b) },
  "%": { pure: true, compile: binaryNumeric((a, b) => a % b) },
  min: { pure: true, compile: compileExtreme(Math.min) },
  max: { pure: true, compile: compileExtreme(Math.max) },
};
