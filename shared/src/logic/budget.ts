/**
 * Runtime limits. Every loop an evaluation can run is paid for from one step budget per evaluation, and
 * every array or string an operator consumes or produces is length-checked, so a hostile rule or payload
 * fails with a LogicError instead of hanging the engine or exhausting memory.
 */
import type { Limits } from "../limits.ts";
import { LogicError } from "./errors.ts";
import type { Ctx } from "./types.ts";

export function charge(c: Ctx, n: number, maxSteps: number, path: string): void {
  if ((c.steps += n) > maxSteps) {
    throw new LogicError(
      "limit_steps",
      `evaluation exceeded ${maxSteps} steps (iterations of map/filter/reduce/all/some/none and array scans)`,
      path,
    );
  }
}

export function arrayTooLong(length: number, max: number, path: string): LogicError {
  return new LogicError("limit_array", `array of ${length} elements exceeds the limit of ${max}`, path);
}

export function checkString(s: string, max: number, path: string): string {
  if (s.length > max) {
    throw new LogicError("limit_string", `string of ${s.length} characters exceeds the limit of ${max}`, path);
  }
  return s;
}

/** Called when an operand is a non-null object, right before JavaScript converts it to a primitive. */
export type Guard = (value: object, c: Ctx) => void;

/**
 * Loose comparisons, arithmetic, `cat` and `substr` convert arrays to strings implicitly, which costs time
 * proportional to every element of every nested array and recurses natively (a deeply nested array
 * overflows the stack). The guard walks the arrays first, iteratively: it charges one step per element,
 * applies the array-length limit to each array and the JSON depth limit to their nesting. Plain objects
 * convert in constant time ("[object Object]"), so they pass untouched.
 */
export function conversionGuard(limits: Readonly<Limits>, path: string): Guard {
  const { maxArrayLength, maxSteps, maxJsonDepth } = limits;
  return (value, c) => {
    if (!Array.isArray(value)) return;
    const arrays: unknown[][] = [value];
    const depths: number[] = [1];
    while (arrays.length > 0) {
      const arr = arrays.pop()!;
      const depth = depths.pop()!;
      if (arr.length > maxArrayLength) throw arrayTooLong(arr.length, maxArrayLength, path);
      if (depth > maxJsonDepth) {
        throw new LogicError("limit_depth", `array nested deeper than ${maxJsonDepth} levels`, path);
      }
      charge(c, arr.length, maxSteps, path);
      for (let i = 0; i < arr.length; i++) {
        const x = arr[i];
        if (Array.isArray(x)) {
          arrays.push(x);
          depths.push(depth + 1);
        }
      }
    }
  };
}

/** Resolves per-instance limits over the defaults, refusing nonsense (they are a security boundary). */
export function resolveLimits(defaults: Readonly<Limits>, overrides: Partial<Limits> | undefined): Readonly<Limits> {
  const out = { ...defaults };
  if (overrides) {
    for (const key of Object.keys(overrides) as (keyof Limits)[]) {
      if (!Object.hasOwn(defaults, key)) throw new TypeError(`unknown limit "${String(key)}"`);
      const v = overrides[key];
      if (v === undefined) continue;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
        throw new TypeError(`limit "${key}" must be a positive integer, got ${String(v)}`);
      }
      out[key] = v;
    }
  }
  return Object.freeze(out);
}
