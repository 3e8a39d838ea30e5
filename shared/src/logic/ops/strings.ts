/**
 * `cat`, `substr` and `in`, with json-logic-js's coercions (cat joins like Array.prototype.join: null
 * and undefined become ""), its PHP-style negative `substr` length, and `in` as indexOf on a string or
 * an array. Produced strings are held to maxStringLength; `in` only searches real strings and arrays.
 */
import { arrayTooLong, charge, checkString, conversionGuard, type Guard } from "../budget.ts";
import { inLiteralSet } from "../fastpaths.ts";
import { LogicError } from "../errors.ts";
import type { CNode, Ctx, Node, OpSite, OpSpec } from "../types.ts";
import { evaluateArgs, withSurplus } from "./eager.ts";

/** ToString as Array.prototype.join applies it to an element. */
function joinPart(v: unknown, c: Ctx, G: Guard): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") G(v, c);
  return `${v as string}`;
}

function compileCat(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const max = site.limits.maxStringLength;
  const path = site.path;
  // Literal parts alone too long: the result is at least that long whatever the other parts are.
  // (All parts literal is constant folding's case, reported there.)
  if (!site.args.every((a) => a.constant)) {
    const literal = site.args.reduce((n, a) => n + literalLength(a), 0);
    if (literal > max) {
      site.alwaysFails(
        new LogicError(
          "limit_string",
          `its literal parts alone are ${literal} characters, over the limit of ${max}`,
          path,
        ),
      );
    }
  }
  const all = evaluateArgs(site);
  return (d, c) => {
    const values = all(d, c);
    let s = "";
    for (let i = 0; i < values.length; i++) {
      s += joinPart(values[i], c, G);
      // Checked per part: a rule doubling a string in a reduce fails at the limit, not after.
      if (s.length > max) checkString(s, max, path);
    }
    return s;
  };
}

/** Length a constant part surely adds to a `cat` (strings, numbers, booleans; 0 for anything else). */
function literalLength(a: CNode): number {
  if (!a.constant) return 0;
  const v = a.value;
  return typeof v === "string" ? v.length : typeof v === "number" || typeof v === "boolean" ? String(v).length : 0;
}

function compileSubstr(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const max = site.limits.maxStringLength;
  const path = site.path;
  const S = site.arg(0).run;
  const START = site.arg(1).run;
  const END = site.arg(2).run;
  return withSurplus(site, 3, (d, c) => {
    const source: unknown = S(d, c);
    const start: any = START(d, c);
    const end: any = END(d, c);
    if (typeof source === "object" && source !== null) G(source, c);
    if (typeof start === "object" && start !== null) G(start, c);
    if (typeof end === "object" && end !== null) G(end, c);
    let out: string;
    if (end < 0) {
      // JavaScript's substr has no negative length; json-logic-js emulates PHP: drop that many from the end.
      const temp = String(source).substr(start);
      out = temp.substr(0, temp.length + end);
    } else {
      out = String(source).substr(start, end);
    }
    return checkString(out, max, path);
  });
}

function compileIn(site: OpSite): Node {
  const fast = inLiteralSet(site);
  if (fast !== null) return fast;
  const G = conversionGuard(site.limits, site.path);
  const { maxArrayLength, maxSteps } = site.limits;
  const path = site.path;
  const A = site.arg(0).run;
  const B = site.arg(1).run;
  return withSurplus(site, 2, (d, c) => {
    const a: any = A(d, c);
    const b: unknown = B(d, c);
    if (!b) return false; // json-logic-js: a falsy haystack (including "") contains nothing
    if (typeof b === "string") {
      if (typeof a === "object" && a !== null) G(a, c);
      return b.indexOf(a) !== -1;
    }
    if (Array.isArray(b)) {
      if (b.length > maxArrayLength) throw arrayTooLong(b.length, maxArrayLength, path);
      charge(c, b.length, maxSteps, path);
      return b.indexOf(a) !== -1;
    }
    // json-logic-js would call any `indexOf` it finds on an object; only real strings and arrays are searched here.
    return false;
  });
}

export const STRING_OPS: Readonly<Record<string, OpSpec>> = {
  cat: { pure: true, compile: compileCat },
  substr: { pure: true, compile: compileSubstr },
  in: { pure: true, compile: compileIn },
};
