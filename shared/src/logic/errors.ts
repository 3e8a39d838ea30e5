/**
 * The one error type the evaluator lets out for anything a rule or its data did. Callers (the journey
 * compiler, the engine) switch on `code` and point the author at `path`, a JSON path inside the rule
 * such as `$.and[1].var`.
 */
export type LogicErrorCode =
  /** `method`, `log`, or a dotted sub-operation: see REFUSED_OPERATORS. */
  | "refused_operator"
  /** An operator this evaluator instance does not know. */
  | "unknown_operator"
  /** A static `var` path through `__proto__`, `constructor` or `prototype`. */
  | "forbidden_path"
  /** The rule is not JSON (a function, symbol, bigint or class instance inside it). */
  | "invalid_rule"
  /** An operator's arguments have the wrong shape (e.g. aggregate arguments that are not literals). */
  | "bad_argument"
  | "limit_depth"
  | "limit_nodes"
  | "limit_array"
  | "limit_string"
  | "limit_steps"
  | "unknown_segment"
  | "segment_cycle"
  /** An operator needs something from the evaluation env (now, timeZone, aggregate) that was not given. */
  | "missing_env"
  /** The JavaScript runtime refused a value conversion (e.g. an object with a non-callable own `toString`). */
  | "runtime_error";

export class LogicError extends Error {
  override readonly name = "LogicError";
  readonly code: LogicErrorCode;
  /** JSON path of the offending node inside the rule ("$" is the rule itself). */
  readonly path: string;

  constructor(code: LogicErrorCode, message: string, path = "$", options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.path = path;
  }
}

/**
 * Wraps an exception thrown by host code (env.aggregate, a custom operator). Host failures are not rule
 * errors — a database outage must not be reported as "your rule is wrong" — so the top-level closure
 * unwraps and rethrows the original instead of converting it into a LogicError.
 */
export class HostFailure {
  constructor(readonly error: unknown) {}
}

/** Converts anything thrown during evaluation into what the caller should see. */
export function toPublicError(e: unknown): unknown {
  if (e instanceof LogicError) return e;
  if (e instanceof HostFailure) return e.error;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new LogicError("limit_depth", "data is nested too deeply to evaluate", "$", { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new LogicError("runtime_error", `evaluation failed: ${message}`, "$", { cause: e });
}
