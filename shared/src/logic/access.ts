/**
 * Reading data by `var` paths, own properties only. json-logic-js reads `data[segment]`, which walks the
 * prototype chain: `{"var": "__proto__"}` hands out Object.prototype, `{"var": "a.constructor"}` a
 * function, and anything polluted onto Object.prototype elsewhere becomes visible to rules. Here a
 * segment resolves only when it is an own property of the current value, and a value that is a function
 * counts as absent (rules compute over JSON).
 *
 * Own properties include an array's `length` and indices, and — since JavaScript boxes strings — a
 * string's `length` and character indices: `{"var": "name.length"}` works on both, as in json-logic-js.
 */

/** Segments no path may contain, whatever the data: they name the prototype machinery, never data. */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const hasOwn = Object.prototype.hasOwnProperty;

/** The own property `key` of `value`, or undefined when absent, inherited, undefined or a function. */
export function getOwn(value: unknown, key: string): unknown {
  if (typeof value === "object") {
    if (value === null) return undefined;
  } else if (typeof value !== "string") {
    // Numbers, booleans, undefined and functions have no own data properties a rule may read.
    return undefined;
  }
  const v = (value as Record<string, unknown>)[key];
  if (v === undefined || typeof v === "function" || !hasOwn.call(value, key)) return undefined;
  return v;
}

/** Follows pre-split segments; undefined when any step is missing (json-logic-js's "not found"). */
export function getPath(value: unknown, segments: readonly string[]): unknown {
  let v = value;
  for (let i = 0; i < segments.length; i++) {
    v = getOwn(v, segments[i]!);
    if (v === undefined) return undefined;
  }
  return v;
}

/** Splits a path as json-logic-js does (`String(path).split(".")`). */
export function splitPath(path: unknown): string[] {
  return String(path).split(".");
}

export function hasForbiddenSegment(segments: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) if (FORBIDDEN_SEGMENTS.has(segments[i]!)) return true;
  return false;
}

/** json-logic-js treats these paths as "the whole current data". */
export function isWholeDataPath(path: unknown): boolean {
  return path === undefined || path === null || path === "";
}

/**
 * A specialised reader for a static path: no split, no loop for the common 1–3 segment paths. Returns
 * undefined when missing, like getPath.
 */
export function pathReader(segments: readonly string[]): (value: unknown) => unknown {
  const [a, b, c] = segments as [string, string, string];
  switch (segments.length) {
    case 1:
      return (v) => getOwn(v, a);
    case 2:
      return (v) => {
        const x = getOwn(v, a);
        return x === undefined ? undefined : getOwn(x, b);
      };
    case 3:
      return (v) => {
        const x = getOwn(v, a);
        if (x === undefined) return undefined;
        const y = getOwn(x, b);
        return y === undefined ? undefined : getOwn(y, c);
      };
    default:
      return (v) => getPath(v, segments);
  }
}
