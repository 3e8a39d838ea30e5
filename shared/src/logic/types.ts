import type { AggregateSpec } from "../aggregate.ts";
import type { Limits } from "../limits.ts";

/** What the engine hands every evaluation: the clock, the journey's zone, and windowed aggregates. */
export type EvalEnv = {
  /** Epoch ms; the evaluator never reads the system clock. */
  now?: number;
  /** IANA zone for local_hour / local_weekday / local_date. */
  timeZone?: string;
  aggregate?: (spec: AggregateSpec) => number | null;
};

/** A precompiled rule: call it as often as you like; it never re-reads the rule's JSON. */
export type CompiledRule = (data: unknown, env?: EvalEnv) => unknown;

export interface CompileOptions {
  /** Segment rules `in_segment` may reference, by id. */
  segments?: Record<string, unknown>;
}

/**
 * Per-evaluation state. One small object per top-level call: the step budget is per evaluation and
 * `root` is the data the rule was called with (in_segment evaluates against it even inside a map body).
 */
export class Ctx {
  steps = 0;
  constructor(
    public env: EvalEnv | undefined,
    public root: unknown,
  ) {}
}

/** A compiled node: `d` is the current data (the item inside map/filter/…), `c` the evaluation. */
export type Node = (d: unknown, c: Ctx) => unknown;

/** A compiled node plus what the compiler knows about it statically. */
export interface CNode {
  readonly run: Node;
  /** True when the node's value is known at compile time (a literal or a folded subtree). */
  readonly constant: boolean;
  /** The value when `constant` (deep-frozen), else undefined. */
  readonly value: unknown;
}

/** Everything an operator's compile step sees about one use of the operator in a rule. */
export interface OpSite {
  readonly op: string;
  /** Path of the operator object, e.g. `$.and[1]`. */
  readonly path: string;
  /** Path of the operator's value, e.g. `$.and[1].var` (where argument errors point). */
  readonly valuePath: string;
  /** The arguments as written (a non-array value already wrapped in an array, as json-logic-js does). */
  readonly raw: readonly unknown[];
  /** The arguments compiled. */
  readonly args: readonly CNode[];
  readonly limits: Readonly<Limits>;
  /** Path of argument i (the value path itself when the value was not an array). */
  argPath(i: number): string;
  /** Compiled argument i, or a constant `undefined` when absent (json-logic-js passes undefined). */
  arg(i: number): CNode;
  /** Compiles a segment rule by id for in_segment (cycle, unknown and limit checks included). */
  segment(id: string): Node;
}

export interface OpSpec {
  /**
   * Pure operators depend only on their arguments: when every argument is constant the compiler
   * evaluates the node once and replaces it by its value (constant folding).
   */
  readonly pure: boolean;
  compile(site: OpSite): Node;
}

/** A host-supplied operator, added to one evaluator instance. Arguments arrive evaluated. */
export type CustomOperator = (
  args: readonly unknown[],
  context: { readonly data: unknown; readonly env: EvalEnv | undefined },
) => unknown;
