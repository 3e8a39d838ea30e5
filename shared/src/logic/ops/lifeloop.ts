/** Lifeloop's operators, present in every evaluator instance next to the standard ones. */
import type { OpSpec } from "../types.ts";
import { AGGREGATE_OPS } from "./aggregates.ts";
import { SEGMENT_OPS } from "./segments.ts";
import { TIME_OPS } from "./time.ts";

export const LIFELOOP_OPS: Readonly<Record<string, OpSpec>> = Object.freeze({
  ...AGGREGATE_OPS,
  ...TIME_OPS,
  ...SEGMENT_OPS,
});

export const LIFELOOP_OPERATORS: readonly string[] = Object.freeze(Object.keys(LIFELOOP_OPS));
