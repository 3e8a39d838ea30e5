/**
 * `merge` and the scoped array operators. In `map`, `filter`, `all`, `some` and `none` the second argument
 * runs once per element with that element as its data; in `reduce` it runs with
 * `{current, accumulator}`. Every iteration costs a step from the evaluation's budget and every array
 * consumed or produced is length-checked, so nested loops over large arrays stop with limit_steps /
 * limit_array instead of hanging.
 */
import { arrayTooLong, charge } from "../budget.ts";
import { truthy } from "../truthy.ts";
import type { Ctx, Node, OpSite, OpSpec } from "../types.ts";
import { evaluateArgs } from "./eager.ts";

function compileMerge(site: OpSite): Node {
  const { maxArrayLength, maxSteps } = site.limits;
  const path = site.path;
  const all = evaluateArgs(site);
  return (d, c) => {
    const values = all(d, c);
    const out: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // One level of flattening, like Array.prototype.concat; only real arrays are spread.
      if (Array.isArray(v)) {
        if (out.length + v.length > maxArrayLength) throw arrayTooLong(out.length + v.length, maxArrayLength, path);
        charge(c, v.length, maxSteps, path);
        for (let j = 0; j < v.length; j++) out.push(v[j]);
      } else {
        if (out.length + 1 > maxArrayLength) throw arrayTooLong(out.length + 1, maxArrayLength, path);
        out.push(v);
      }
    }
    return out;
  };
}

/** Shared shape of the scoped operators: the source array, its checks, and the per-iteration step. */
function scoped(
  site: OpSite,
  build: (source: Node, body: Node, step: (c: Ctx) => void, check: (arr: unknown[]) => void) => Node,
): Node {
  const { maxArrayLength, maxSteps } = site.limits;
  const path = site.path;
  const check = (arr: unknown[]): void => {
    if (arr.length > maxArrayLength) throw arrayTooLong(arr.length, maxArrayLength, path);
  };
  const step = (c: Ctx): void => {
    if (++c.steps > maxSteps) charge(c, 0, maxSteps, path);
  };
  return build(site.arg(0).run, site.arg(1).run, step, check);
}

const compileFilter = (site: OpSite): Node =>
  scoped(site, (source, body, step, check) => (d, c) => {
    const arr = source(d, c);
    if (!Array.isArray(arr)) return [];
    check(arr);
    const out: unknown[] = [];
    for (let i = 0; i < arr.length; i++) {
      step(c);
      const item: unknown = arr[i];
      if (truthy(body(item, c))) out.push(item);
    }
    return out;
  });

const compileMap = (site: OpSite): Node =>
  scoped(site, (source, body, step, check) => (d, c) => {
    const arr = source(d, c);
    if (!Array.isArray(arr)) return [];
    check(arr);
    const out = new Array<unknown>(arr.length);
    for (let i = 0; i < arr.length; i++) {
      step(c);
      out[i] = body(arr[i], c);
    }
    return out;
  });

function compileReduce(site: OpSite): Node {
  // json-logic-js: the initial value is the third argument if one is written, else null.
  const initial: Node = site.raw.length > 2 && site.raw[2] !== undefined ? site.arg(2).run : () => null;
  return scoped(site, (source, body, step, check) => (d, c) => {
    const arr = source(d, c);
    let accumulator = initial(d, c);
    if (!Array.isArray(arr)) return accumulator;
    check(arr);
    for (let i = 0; i < arr.length; i++) {
      step(c);
      accumulator = body({ current: arr[i], accumulator }, c);
    }
    return accumulator;
  });
}

/** all: false for an empty list; some: false for an empty list; none: true for an empty list. */
function quantifier(kind: "all" | "some" | "none") {
  return (site: OpSite): Node =>
    scoped(site, (source, body, step, check) => (d, c) => {
      const arr = source(d, c);
      if (!Array.isArray(arr) || arr.length === 0) return kind === "none";
      check(arr);
      for (let i = 0; i < arr.length; i++) {
        step(c);
        const t = truthy(body(arr[i], c));
        if (kind === "all" ? !t : t) return kind === "some";
      }
      return kind !== "some";
    });
}

/** The per-element body is the second argument ({current, accumulator} for reduce). */
const BODY: readonly number[] = [1];

export const ARRAY_OPS: Readonly<Record<string, OpSpec>> = {
  merge: { pure: true, compile: compileMerge },
  filter: { pure: true, bodies: BODY, compile: compileFilter },
  map: { pure: true, bodies: BODY, compile: compileMap },
  reduce: { pure: true, bodies: BODY, compile: compileReduce },
  all: { pure: true, bodies: BODY, compile: quantifier("all") },
  some: { pure: true, bodies: BODY, compile: quantifier("some") },
  none: { pure: true, bodies: BODY, compile: quantifier("none") },
};
