/**
 * json-logic-js, the reference implementation, for the differential tests and the benchmark only
 * (never imported by the evaluator). It ships no types and is CommonJS, so it is loaded through
 * createRequire with the small surface we use typed here.
 */
import { createRequire } from "node:module";

export interface JsonLogicJs {
  apply(rule: unknown, data?: unknown): unknown;
  add_operation(name: string, fn: (...args: any[]) => unknown): void;
  rm_operation(name: string): void;
  truthy(value: unknown): boolean;
}

export const jsonLogic = createRequire(import.meta.url)("json-logic-js") as JsonLogicJs;
