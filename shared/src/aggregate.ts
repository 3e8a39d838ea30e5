import { parseWindow, type Window } from "./duration.ts";

/**
 * A windowed aggregate over one event type, as rules name it:
 *   {"agg_count": ["login", "30d"]}                 how many logins in the last 30 days
 *   {"agg_sum":   ["transaction", "amount", "month"]} amount transacted this month (minor units)
 *   {"agg_min"|"agg_max": [event, prop, window]}
 *   {"last_seen": ["login"]}                         epoch ms of the last login, or null
 * The compiler collects every spec a journey uses so the engine keeps exactly those, incrementally.
 */
export const AGGREGATE_FUNCTIONS = ["count", "sum", "min", "max", "last_seen"] as const;
export type AggregateFn = (typeof AGGREGATE_FUNCTIONS)[number];

/** Operator name in JSON-logic for each aggregate function. */
export const AGGREGATE_OPERATORS: Record<string, AggregateFn> = {
  agg_count: "count",
  agg_sum: "sum",
  agg_min: "min",
  agg_max: "max",
  last_seen: "last_seen",
};

export interface AggregateSpec {
  /** Canonical key, stable across compiles: "sum:transaction:amount:month". */
  readonly key: string;
  readonly fn: AggregateFn;
  readonly event: string;
  /** Event property summed / compared (sum, min, max); null for count and last_seen. */
  readonly prop: string | null;
  /** Window text as written ("30d", "month", "prev_30d", "lifetime"). */
  readonly window: string;
  readonly parsedWindow: Window;
}

export const EVENT_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;
export const PROP_PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/;

/**
 * Builds a spec from an aggregate operator's literal arguments, or explains what is wrong.
 * Arguments must be literals: the engine has to know every aggregate before any event arrives.
 */
export function aggregateSpecFromArgs(
  op: string,
  args: readonly unknown[],
): { spec: AggregateSpec } | { error: string } {
  const fn = AGGREGATE_OPERATORS[op];
  if (!fn) return { error: `"${op}" is not an aggregate operator` };
  const needsProp = fn === "sum" || fn === "min" || fn === "max";
  const expected = fn === "last_seen" ? 1 : needsProp ? 3 : 2;
  const shape = fn === "last_seen" ? "[event]" : needsProp ? "[event, property, window]" : "[event, window]";
  if (args.length !== expected || !args.every((a) => typeof a === "string")) {
    return { error: `"${op}" takes ${expected} literal string argument(s): ${shape}` };
  }
  const [event, second, third] = args as string[];
  if (!EVENT_TYPE_PATTERN.test(event!)) return { error: `"${op}": "${event}" is not a valid event type` };
  const prop = needsProp ? second! : null;
  if (prop !== null && !PROP_PATH_PATTERN.test(prop)) {
    return { error: `"${op}": "${prop}" is not a valid property name` };
  }
  const windowText = fn === "last_seen" ? "lifetime" : needsProp ? third! : second!;
  const parsedWindow = parseWindow(windowText);
  if (!parsedWindow) {
    return {
      error:
        `"${op}": "${windowText}" is not a window (use e.g. "7d", "24h", "prev_30d", "day", "week", "month", ` +
        `"prev_month", "lifetime")`,
    };
  }
  const key = `${fn}:${event}:${prop ?? ""}:${windowText}`;
  return { spec: Object.freeze({ key, fn, event: event!, prop, window: windowText, parsedWindow }) };
}

/**
 * The spec of an aggregate as an executable lists it ({key, fn, event, prop, window}), rebuilt with
 * its parsed window; null for one this version cannot read.
 */
export function aggregateSpecOf(a: {
  fn: string;
  event: string;
  prop: string | null;
  window: string;
}): AggregateSpec | null {
  const op = Object.keys(AGGREGATE_OPERATORS).find((k) => AGGREGATE_OPERATORS[k] === a.fn);
  if (!op) return null;
  const args = a.fn === "last_seen" ? [a.event] : a.prop === null ? [a.event, a.window] : [a.event, a.prop, a.window];
  const r = aggregateSpecFromArgs(op, args);
  return "spec" in r ? r.spec : null;
}
