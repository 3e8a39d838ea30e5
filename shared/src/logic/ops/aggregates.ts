/**
 * Windowed aggregates: `agg_count [event, window]`, `agg_sum | agg_min | agg_max [event, prop, window]`,
 * `last_seen [event]`. Arguments must be literal strings — the engine has to know every aggregate a
 * journey uses before any event arrives — so each use becomes an AggregateSpec at compile time, and at
 * run time the node only asks env.aggregate for that spec.
 */
import { AGGREGATE_OPERATORS, aggregateSpecFromArgs } from "../../aggregate.ts";
import { HostFailure, LogicError } from "../errors.ts";
import type { Node, OpSite, OpSpec } from "../types.ts";
import { missingEnv } from "./env.ts";

function compileAggregate(site: OpSite): Node {
  const parsed = aggregateSpecFromArgs(site.op, site.raw);
  if ("error" in parsed) throw new LogicError("bad_argument", parsed.error, site.valuePath);
  const spec = parsed.spec;
  const { op, path } = site;
  return (_d, c) => {
    const aggregate = c.env?.aggregate;
    if (typeof aggregate !== "function") throw missingEnv(op, "aggregate", path);
    let value: unknown;
    try {
      value = aggregate(spec);
    } catch (e) {
      throw new HostFailure(e);
    }
    return typeof value === "number" ? value : null;
  };
}

export const AGGREGATE_OPS: Readonly<Record<string, OpSpec>> = Object.fromEntries(
  Object.keys(AGGREGATE_OPERATORS).map((name) => [name, { pure: false, compile: compileAggregate }]),
);
