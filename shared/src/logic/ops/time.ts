/**
 * Clock and calendar operators. The clock is env.now, never the system clock, so evaluation is
 * deterministic and simulations can replay any instant. Timestamps are epoch-ms numbers or ISO-8601
 * instants with an explicit offset; anything else (null, "yesterday", NaN) yields null rather than an
 * error, because event payloads routinely lack a field.
 *
 *   now []                         env.now
 *   timestamp [ts]                 epoch ms, or null
 *   hours_since [ts], days_since [ts]   (env.now − ts) in hours / days, fractional (36 h → 1.5 days)
 *   local_hour [ts?], local_weekday [ts?] (ISO: 1 = Monday … 7 = Sunday), local_date [ts?] ("YYYY-MM-DD")
 *                                  in env.timeZone; ts defaults to env.now
 */
import { localDate, localParts, parseInstant } from "../../time.ts";
import { LogicError } from "../errors.ts";
import type { Node, OpSite, OpSpec } from "../types.ts";
import { envNow, envTimeZone } from "./env.ts";

/** ECMAScript dates cover ±8.64e15 ms; beyond that Intl cannot format them. */
const MAX_EPOCH_MS = 8.64e15;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function toEpochMs(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS ? value : null;
  if (typeof value === "string") return parseInstant(value);
  return null;
}

function arity(site: OpSite, min: number, max: number, shape: string): void {
  const n = site.args.length;
  if (n < min || n > max) {
    throw new LogicError("bad_argument", `"${site.op}" takes ${shape}, got ${n} argument(s)`, site.valuePath);
  }
}

function compileNow(site: OpSite): Node {
  arity(site, 0, 0, 'no arguments: {"now": []}');
  const { op, path } = site;
  return (_d, c) => envNow(c, op, path);
}

function compileTimestamp(site: OpSite): Node {
  arity(site, 1, 1, "[timestamp]");
  const A = site.arg(0).run;
  return (d, c) => toEpochMs(A(d, c));
}

function compileSince(unitMs: number) {
  return (site: OpSite): Node => {
    arity(site, 1, 1, "[timestamp]");
    const { op, path } = site;
    const A = site.arg(0).run;
    return (d, c) => {
      const now = envNow(c, op, path);
      const ts = toEpochMs(A(d, c));
      return ts === null ? null : (now - ts) / unitMs;
    };
  };
}

function compileLocal(read: (epochMs: number, timeZone: string) => unknown) {
  return (site: OpSite): Node => {
    arity(site, 0, 1, "[timestamp?] (default: now)");
    const { op, path } = site;
    if (site.args.length === 0) {
      return (_d, c) => read(envNow(c, op, path), envTimeZone(c, op, path));
    }
    const A = site.arg(0).run;
    return (d, c) => {
      const tz = envTimeZone(c, op, path);
      const ts = toEpochMs(A(d, c));
      return ts === null ? null : read(ts, tz);
    };
  };
}

export const TIME_OPS: Readonly<Record<string, OpSpec>> = {
  now: { pure: false, compile: compileNow },
  // Needs no env: a literal timestamp folds to a number at compile time.
  timestamp: { pure: true, compile: compileTimestamp },
  hours_since: { pure: false, compile: compileSince(HOUR_MS) },
  days_since: { pure: false, compile: compileSince(DAY_MS) },
  local_hour: { pure: false, compile: compileLocal((ms, tz) => localParts(ms, tz).hour) },
  local_weekday: { pure: false, compile: compileLocal((ms, tz) => localParts(ms, tz).weekday) },
  local_date: { pure: false, compile: compileLocal(localDate) },
};
