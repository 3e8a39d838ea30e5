/**
 * Evaluator instances. Each owns its operator table (standard + Lifeloop + its own custom operators)
 * and its limits; nothing is global, so registering an operator on one instance is invisible to every
 * other instance and to json-logic-js's process-wide table.
 */
import { LIMITS, type Limits } from "../limits.ts";
import { resolveLimits } from "./budget.ts";
import { newSession, RuleCompiler } from "./compiler.ts";
import { toPublicError } from "./errors.ts";
import { CUSTOM_OPERATOR_NAME, customOpSpec } from "./ops/custom.ts";
import { LIFELOOP_OPS } from "./ops/lifeloop.ts";
import { STANDARD_OPS } from "./ops/standard.ts";
import { refusalReason } from "./refused.ts";
import {
  Ctx,
  type CompiledRule,
  type CompileOptions,
  type CustomOperator,
  type EvalEnv,
  type Node,
  type OpSpec,
} from "./types.ts";

export interface EvaluatorOptions {
  /** Extra operators for this instance only. Names: letters, digits, underscore; no built-in or refused name. */
  operators?: Readonly<Record<string, CustomOperator>>;
  /** Overrides of LIMITS for this instance (e.g. a tighter budget for previews). */
  limits?: Partial<Limits>;
}

export interface Evaluator {
  /** Compiles once; the returned closure evaluates without re-reading the rule. Throws LogicError. */
  compile(rule: unknown, opts?: CompileOptions): CompiledRule;
  /** compile + run, for one-off evaluations. */
  evaluate(rule: unknown, data: unknown, env?: EvalEnv, opts?: CompileOptions): unknown;
  isOperator(name: string): boolean;
  /** Every operator name this instance accepts, sorted. */
  operators(): string[];
  /** The limits this instance enforces (LIMITS with its overrides). */
  readonly limits: Readonly<Limits>;
}

export function createEvaluator(options: EvaluatorOptions = {}): Evaluator {
  const limits = resolveLimits(LIMITS, options.limits);
  const table = new Map<string, OpSpec>();
  for (const [name, spec] of Object.entries(STANDARD_OPS)) table.set(name, spec);
  for (const [name, spec] of Object.entries(LIFELOOP_OPS)) table.set(name, spec);
  for (const [name, fn] of Object.entries(options.operators ?? {})) {
    if (!CUSTOM_OPERATOR_NAME.test(name)) {
      throw new TypeError(`custom operator name "${name}" must be letters, digits and underscores (no dots)`);
    }
    if (refusalReason(name) !== undefined) throw new TypeError(`operator "${name}" is refused and cannot be added`);
    if (table.has(name)) throw new TypeError(`operator "${name}" is built in and cannot be replaced`);
    if (typeof fn !== "function") throw new TypeError(`custom operator "${name}" must be a function`);
    table.set(name, customOpSpec(fn));
  }

  const compile = (rule: unknown, opts?: CompileOptions): CompiledRule => {
    let root: Node;
    try {
      root = new RuleCompiler(
        newSession(table, limits, opts?.segments, opts?.onAlwaysFails, opts?.foldBudget),
      ).compileRoot(rule).run;
    } catch (e) {
      // The compiler throws LogicError by design; anything else is a gap we still must not leak.
      throw toPublicError(e);
    }
    return finish(root);
  };

  return {
    compile,
    evaluate: (rule, data, env, opts) => compile(rule, opts)(data, env),
    isOperator: (name) => table.has(name),
    operators: () => [...table.keys()].sort(),
    limits,
  };
}

/**
 * The closure callers get: a per-evaluation context (step budget, root data), the guarantee that no
 * function escapes, and one error discipline — rule and data problems surface as LogicError, host
 * failures as themselves.
 *
 * The context object is recycled between calls rather than allocated per call (it is measurable at
 * tens of millions of evaluations per second). A re-entrant call — a custom operator evaluating the
 * same compiled rule — finds no spare and allocates its own, so contexts are never shared.
 */
function finish(root: Node): CompiledRule {
  let spare: Ctx | null = null;
  return (data, env) => {
    let c = spare;
    if (c === null) {
      c = new Ctx(env, data);
    } else {
      spare = null;
      c.env = env;
      c.root = data;
      c.steps = 0;
    }
    try {
      const result = root(data, c);
      return typeof result === "function" ? null : result;
    } catch (e) {
      throw toPublicError(e);
    } finally {
      // Drop references to the caller's data and env so a recycled context retains nothing.
      c.env = undefined;
      c.root = undefined;
      spare = c;
    }
  };
}

/** A shared instance with only the standard and Lifeloop operators and the default limits. */
export const defaultEvaluator: Evaluator = createEvaluator();
