/**
 * Shapes common in journey rules that have a faster exact implementation than the general closures.
 * Each fast path returns exactly what the general one would, for every input; the tests pin that down.
 *
 * - `or` of three or more `==` / `===` comparisons of one var against distinct string literals
 *   ("event.type is one of these 20 types"): one Set lookup when the value is a string. For any other
 *   value the loose comparisons still run one by one, so 1 == "1" and ["a"] == "a" stay true.
 * - `in` with a constant array of primitives: a Set lookup. indexOf uses ===, Set uses SameValueZero;
 *   they differ only for NaN, which is kept out of the Set (indexOf never finds NaN).
 */
import { isWholeDataPath, pathReader, splitPath } from "./access.ts";
import { conversionGuard } from "./budget.ts";
import { isPlainObject } from "./literals.ts";
import type { Node, OpSite } from "./types.ts";

interface Equality {
  readonly strict: boolean;
  /** The var's argument, normalised to its path string. */
  readonly path: string;
  readonly literal: string;
}

function oneKey(value: unknown): [string, unknown] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !isPlainObject(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1) return null;
  return [keys[0]!, (value as Record<string, unknown>)[keys[0]!]];
}

/** `{"var": "a.b"}` or `{"var": ["a.b"]}` (no default) → "a.b". */
function plainVarPath(value: unknown): string | null {
  const entry = oneKey(value);
  if (entry === null || entry[0] !== "var") return null;
  const arg = entry[1];
  if (typeof arg === "string") return arg;
  if (Array.isArray(arg) && arg.length === 1 && typeof arg[0] === "string") return arg[0];
  return null;
}

function matchEquality(rule: unknown): Equality | null {
  const entry = oneKey(rule);
  if (entry === null || (entry[0] !== "==" && entry[0] !== "===")) return null;
  const args = entry[1];
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [x, y] = args as [unknown, unknown];
  const strict = entry[0] === "===";
  const left = plainVarPath(x);
  if (left !== null && typeof y === "string") return { strict, path: left, literal: y };
  const right = plainVarPath(y);
  if (right !== null && typeof x === "string") return { strict, path: right, literal: x };
  return null;
}

export function orOfEqualities(site: OpSite): Node | null {
  if (site.raw.length < 3) return null;
  let path: string | null = null;
  const all = new Set<string>();
  const loose = new Set<string>();
  for (const item of site.raw) {
    const m = matchEquality(item);
    if (m === null || (path !== null && m.path !== path)) return null;
    path = m.path;
    all.add(m.literal);
    if (!m.strict) loose.add(m.literal);
  }
  if (path === null) return null;
  // The compiler compiled (and path-checked) each comparison already; reading once is equivalent
  // because reading data has no effects.
  const read: (d: unknown) => unknown = isWholeDataPath(path)
    ? (d) => (typeof d === "function" ? null : d)
    : pathReader(splitPath(path));
  const looseList = [...loose];
  const G = conversionGuard(site.limits, site.path);
  return (d, c) => {
    const v = read(d);
    if (typeof v === "string") return all.has(v); // for strings, == and === against a string agree
    if (v === undefined || v === null) return false; // var yields null; null == "x" is false
    for (let i = 0; i < looseList.length; i++) {
      if (typeof v === "object") G(v, c);
      // Loose on purpose: this is the semantics being preserved.
      if ((v as string) == looseList[i]) return true;
    }
    return false;
  };
}

export function inLiteralSet(site: OpSite): Node | null {
  if (site.args.length !== 2) return null;
  const haystack = site.arg(1);
  if (!haystack.constant || !Array.isArray(haystack.value) || haystack.value.length === 0) return null;
  const items = haystack.value as readonly unknown[];
  for (const x of items) {
    const t = typeof x;
    if (!(x === null || t === "string" || t === "boolean" || (t === "number" && !Number.isNaN(x)))) return null;
  }
  const set = new Set(items);
  const needle = site.arg(0).run;
  return (d, c) => set.has(needle(d, c));
}
