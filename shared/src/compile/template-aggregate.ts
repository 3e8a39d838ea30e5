/**
 * Aggregates in message templates: `{{agg_sum(fee_waived, fee_saved, month) | money}}` shows what a
 * rule's `{"agg_sum": ["fee_waived", "fee_saved", "month"]}` would read, the same windowed series.
 * `agg_count(event, window)`, `agg_sum|agg_min|agg_max(event, property, window)`; when the catalog
 * has exactly one event with that property, `agg_sum(fee_saved, month)` names it by the property
 * alone (the compiler writes the event in, so the engine reads the full form).
 */
import { aggregateSpecFromArgs, type AggregateSpec } from "../aggregate.ts";
import { propCurrency } from "../catalog.ts";
import type { Catalog } from "../schema/journey.ts";

/** Templates show counts and amounts; last_seen is an instant, which a rule compares but a person cannot read. */
const CALL = /^(agg_count|agg_sum|agg_min|agg_max)\(([^()]*)\)$/;

export interface AggregateCall {
  op: string;
  args: string[];
}

/** The aggregate a placeholder's path calls, or null when the path is a variable. */
export function aggregateCall(path: string): AggregateCall | null {
  const m = CALL.exec(path);
  if (!m) return null;
  const args = m[2]!.trim() === "" ? [] : m[2]!.split(",").map((a) => a.trim());
  return { op: m[1]!, args };
}

/** The call's spec as the engine reads it (full form only; the compiler resolved the short one). */
export function callSpec(call: AggregateCall): AggregateSpec | null {
  const r = aggregateSpecFromArgs(call.op, call.args);
  return "spec" in r ? r.spec : null;
}

export type CheckedCall =
  | { ok: true; spec: AggregateSpec; text: string; currency: string | null }
  | { ok: false; code: "bad_aggregate" | "unknown_variable"; message: string };

/**
 * Checks a call against the catalog as rules are checked (an event or property the catalog does
 * not list is an error), fills in the event of the short form, and gives the canonical text.
 */
export function checkCall(call: AggregateCall, catalog: Catalog | undefined): CheckedCall {
  const written = `${call.op}(${call.args.join(", ")})`;
  let args = call.args;
  const takesProp = call.op !== "agg_count";
  if (takesProp && args.length === 2) {
    const [prop, window] = args as [string, string];
    const owners = Object.entries(catalog?.events ?? {})
      .filter(([, def]) => Object.hasOwn(def.props, prop))
      .map(([event]) => event);
    if (owners.length !== 1) {
      return {
        ok: false,
        code: "bad_aggregate",
        message: `${written}: ${
          owners.length === 0
            ? `no event in the catalog has a property "${prop}"`
            : `the events ${owners.map((o) => `"${o}"`).join(", ")} all have "${prop}"`
        }; name the event: ${call.op}(<event>, ${prop}, ${window})`,
      };
    }
    args = [owners[0]!, prop, window];
  }
  const r = aggregateSpecFromArgs(call.op, args);
  if ("error" in r) return { ok: false, code: "bad_aggregate", message: `${written}: ${r.error}` };
  const spec = r.spec;
  const events = catalog?.events ?? {};
  if (Object.keys(events).length > 0) {
    if (!Object.hasOwn(events, spec.event)) {
      return {
        ok: false,
        code: "unknown_variable",
        message: `unknown event "${spec.event}" in ${written}: the catalog lists ${Object.keys(events).join(", ")}`,
      };
    }
    const props = events[spec.event]!.props;
    if (spec.prop !== null && Object.keys(props).length > 0 && !Object.hasOwn(props, spec.prop)) {
      return {
        ok: false,
        code: "unknown_variable",
        message:
          `unknown property "${spec.prop}" in ${written}: the catalog lists no property "${spec.prop}" ` +
          `on "${spec.event}" (it has ${Object.keys(props).join(", ")})`,
      };
    }
  }
  const text = `${call.op}(${[spec.event, ...(spec.prop === null ? [] : [spec.prop]), spec.window].join(", ")})`;
  const currency = spec.prop === null ? null : propCurrency(catalog, spec.event, spec.prop);
  return { ok: true, spec, text, currency };
}
