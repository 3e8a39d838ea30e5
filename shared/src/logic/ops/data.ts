/**
 * Reading the data: `var` (dotted path, optional default, numeric segments index arrays and strings),
 * `missing` and `missing_some`. Lookups are own-property only (see access.ts).
 *
 * A static path is split, checked and specialised once at compile time; a path through `__proto__`,
 * `constructor` or `prototype` is a compile error there. A path computed at run time
 * (`{"var": {"cat": [...]}}`) cannot be checked in advance, so one containing those segments simply
 * finds nothing and yields the default.
 */
import { getOwn, getPath, hasForbiddenSegment, isWholeDataPath, splitPath } from "../access.ts";
import { arrayTooLong, charge, conversionGuard, type Guard } from "../budget.ts";
import { LogicError } from "../errors.ts";
import type { Limits } from "../../limits.ts";
import type { Ctx, Node, OpSite, OpSpec } from "../types.ts";
import { withSurplus } from "./eager.ts";

/** `{"var": ""}` is the whole current data; a function there is not a value a rule can have. */
function wholeData(d: unknown): unknown {
  return typeof d === "function" ? null : d;
}

/** var with a path known only at run time: json-logic-js's algorithm plus the own/forbidden rules. */
function lookupDynamic(d: unknown, path: unknown, notFound: unknown, c: Ctx, G: Guard): unknown {
  if (isWholeDataPath(path)) return wholeData(d);
  if (typeof path === "object" && path !== null) G(path, c);
  const segments = splitPath(path);
  if (hasForbiddenSegment(segments)) return notFound;
  const v = getPath(d, segments);
  return v === undefined ? notFound : v;
}

function staticVar(segments: readonly string[], notFound: unknown): Node {
  const [k0, k1, k2] = segments as [string, string, string];
  switch (segments.length) {
    case 1:
      return (d) => {
        const v = getOwn(d, k0);
        return v === undefined ? notFound : v;
      };
    case 2:
      return (d) => {
        const x = getOwn(d, k0);
        if (x === undefined) return notFound;
        const v = getOwn(x, k1);
        return v === undefined ? notFound : v;
      };
    case 3:
      return (d) => {
        const x = getOwn(d, k0);
        if (x === undefined) return notFound;
        const y = getOwn(x, k1);
        if (y === undefined) return notFound;
        const v = getOwn(y, k2);
        return v === undefined ? notFound : v;
      };
    default:
      return (d) => {
        const v = getPath(d, segments);
        return v === undefined ? notFound : v;
      };
  }
}

function compileVar(site: OpSite): Node {
  const path = site.arg(0);
  const fallback = site.arg(1);
  const G = conversionGuard(site.limits, site.path);
  // Only primitive constant paths are static: converting an object path to a string can throw (a
  // null-prototype object), and json-logic-js would only throw if and when the node is evaluated.
  if (path.constant && (typeof path.value !== "object" || path.value === null)) {
    const p = path.value;
    if (isWholeDataPath(p)) {
      // The default is never used, but json-logic-js still evaluates it (and any surplus argument).
      return withSurplus(site, 1, wholeData);
    }
    const segments = splitPath(p);
    if (hasForbiddenSegment(segments)) {
      throw new LogicError(
        "forbidden_path",
        `var path "${String(p)}" goes through __proto__, constructor or prototype; rules may only read the ` +
          `data's own fields`,
        site.argPath(0),
      );
    }
    if (fallback.constant) {
      const notFound = fallback.value === undefined ? null : fallback.value;
      return withSurplus(site, 2, staticVar(segments, notFound));
    }
    const D = fallback.run;
    return withSurplus(site, 2, (d, c) => {
      const b = D(d, c); // evaluated even when the path is found, as json-logic-js does
      const v = getPath(d, segments);
      return v === undefined ? (b === undefined ? null : b) : v;
    });
  }
  const P = path.run;
  const D = fallback.run;
  return withSurplus(site, 2, (d, c) => {
    const a = P(d, c);
    const b = D(d, c);
    return lookupDynamic(d, a, b === undefined ? null : b, c, G);
  });
}

/** json-logic-js's `missing`: each key is looked up as `{"var": key}`; null and "" count as missing. */
function missingKeys(
  d: unknown,
  args: readonly unknown[],
  c: Ctx,
  G: Guard,
  limits: Readonly<Limits>,
  path: string,
): unknown[] {
  // Keys come as separate arguments, or as one array argument (e.g. the result of `merge`).
  const first = args[0];
  const keys = Array.isArray(first) ? first : args;
  if (keys.length > limits.maxArrayLength) throw arrayTooLong(keys.length, limits.maxArrayLength, path);
  charge(c, keys.length, limits.maxSteps, path);
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key: unknown = keys[i];
    // An array key is `{"var": [path, default]}`. json-logic-js would also evaluate a key that looks
    // like logic; keys are data here, and data is never run as logic.
    const value = Array.isArray(key)
      ? lookupDynamic(d, key[0], key[1] === undefined ? null : key[1], c, G)
      : lookupDynamic(d, key, null, c, G);
    if (value === null || value === "") out.push(key);
  }
  return out;
}

function compileMissing(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const { limits, path } = site;
  const runs = site.args.map((a) => a.run);
  return (d, c) => {
    const values = runs.map((r) => r(d, c));
    return missingKeys(d, values, c, G, limits, path);
  };
}

function compileMissingSome(site: OpSite): Node {
  const G = conversionGuard(site.limits, site.path);
  const { limits, path } = site;
  const NEED = site.arg(0).run;
  const OPTIONS = site.arg(1).run;
  return withSurplus(site, 2, (d, c) => {
    const need: any = NEED(d, c);
    const options: unknown = OPTIONS(d, c);
    const areMissing = missingKeys(d, Array.isArray(options) ? options : [options], c, G, limits, path);
    if (options === null || options === undefined) {
      throw new LogicError("bad_argument", '"missing_some" takes [minimum, [keys…]]', path);
    }
    // json-logic-js reads options.length; only real arrays and strings have one here.
    const length: any = Array.isArray(options) || typeof options === "string" ? options.length : undefined;
    if (typeof need === "object" && need !== null) G(need, c);
    return length - areMissing.length >= need ? [] : areMissing;
  });
}

export const DATA_OPS: Readonly<Record<string, OpSpec>> = {
  var: { pure: false, readsItem: true, compile: compileVar },
  missing: { pure: false, readsItem: true, compile: compileMissing },
  missing_some: { pure: false, readsItem: true, compile: compileMissingSome },
};
