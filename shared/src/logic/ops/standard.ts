/** The json-logic-js 2.0.5 operator set (minus `log`, see refused.ts), assembled from its parts. */
import type { OpSpec } from "../types.ts";
import { ARITHMETIC_OPS } from "./arithmetic.ts";
import { ARRAY_OPS } from "./arrays.ts";
import { COMPARE_OPS } from "./compare.ts";
import { DATA_OPS } from "./data.ts";
import { LOGIC_OPS } from "./logic.ts";
import { STRING_OPS } from "./strings.ts";

export const STANDARD_OPS: Readonly<Record<string, OpSpec>> = Object.freeze({
  ...COMPARE_OPS,
  ...LOGIC_OPS,
  ...ARITHMETIC_OPS,
  ...STRING_OPS,
  ...DATA_OPS,
  ...ARRAY_OPS,
});

export const STANDARD_OPERATORS: readonly string[] = Object.freeze(Object.keys(STANDARD_OPS));

/**
 * Operators whose arguments after the first run with each array element (or {current, accumulator})
 * as their data: a `var` inside them reads the element, not the document. The journey compiler's
 * static analysis of which fields a rule reads skips those arguments.
 */
export const SCOPED_OPERATORS: readonly string[] = Object.freeze(["all", "some", "none", "filter", "map", "reduce"]);
