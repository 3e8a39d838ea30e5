import type { AggregateSpec } from "../aggregate.ts";
import type { Limits } from "../limits.ts";
import type { LogicError } from "./errors.ts";

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
  /**
   * Told about each part of the rule that fails whenever it is evaluated, whatever the data: a
   * sub-expression that depends on no data and throws when the compiler evaluates it (constant
   * folding), or a `cat` whose literal parts alone are longer than maxStringLength. The rule still
   * compiles (json-logic only fails if that part is reached); the journey compiler uses this to
   * refuse such rules before they are published. Not called for parts inside a referenced segment
   * (the segment's own rule is where they are reported).
   */
  onAlwaysFails?: (error: LogicError) => void;
  /**
   * Steps constant folding may spend, counted down and shared by every compile() call given the
   * same object (the journey compiler passes one per journey, so a document full of loops over
   * literal arrays cannot make validation slow). Default: a fresh `maxSteps` for this call. Parts
   * left once it is spent are evaluated at run time, as json-logic-js would, and not reported.
   */
  foldBudget?: { steps: number };
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
  /**
   * True when the node depends on nothing but the current data item: no env (clock, aggregates), no
   * root data (in_segment), no host operator. Inside a map/filter/reduce/all/some/none body over a
   * constant array such a node is as good as constant, so the whole loop can be folded.
   */
  readonly itemOnly: boolean;
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
  /** Reports an error this use will raise whenever it is evaluated (see CompileOptions.onAlwaysFails). */
  alwaysFails(error: LogicError): void;
}

export interface OpSpec {
  /**
   * Pure operators depend only on their arguments: when every argument is constant the compiler
   * evaluates the node once and replaces it by its value (constant folding).
   */
  readonly pure: boolean;
  /**
   * Not pure, but reads only its arguments and the current data item (`var`, `missing`,
   * `missing_some`): such a node is `itemOnly` when its arguments are.
   */
  readonly readsItem?: boolean;
  /**
   * Arguments that run once per element with the element as their data (the bodies of the scoped
   * array operators). A pure operator whose other arguments are constant and whose bodies are
   * `itemOnly` is folded too.
   */
  readonly bodies?: readonly number[];
  compile(site: OpSite): Node;
}

/** A host-supplied operator, added to one evaluator instance. Arguments arrive evaluated. */
export type CustomOperator = (
  args: readonly unknown[],
  context: { readonly data: unknown; readonly env: EvalEnv | undefined },
) => unknown;
