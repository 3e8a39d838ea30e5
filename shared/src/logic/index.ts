/**
 * The hardened JSON-logic evaluator: json-logic-js 2.0.5 semantics, precompiled to closures, with
 * Lifeloop's aggregate, time and segment operators, and the limits and refusals that make it safe to
 * run rules from untrusted journeys. See docs/evaluator.md.
 */
export { createEvaluator, defaultEvaluator, type Evaluator, type EvaluatorOptions } from "./evaluator.ts";
export { LogicError, type LogicErrorCode } from "./errors.ts";
export { truthy } from "./truthy.ts";
export { REFUSED_OPERATORS } from "./refused.ts";
export { STANDARD_OPERATORS, SCOPED_OPERATORS } from "./ops/standard.ts";
export { LIFELOOP_OPERATORS } from "./ops/lifeloop.ts";
export type { CompiledRule, CompileOptions, CustomOperator, EvalEnv } from "./types.ts";
