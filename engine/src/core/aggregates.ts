import { periodStart, windowRange, type AggregateSpec, type CalendarPeriod } from "@lifeloop/shared";
import type { Bucket, CoreEvent, Series } from "./types.ts";

/**
 * Windowed aggregates kept incrementally: each event updates the series that name its type, and a
 * rule reads a value without scanning history. One series serves count, sum, min and max of the
 * same (event, property, window); calendar windows also depend on the journey's time zone.
 *
 * Rolling windows keep one entry per event, pruned as they fall out of the window; past
 * ROLLING_MAX_ENTRIES the two oldest entries merge (at the later time), so a very busy person
 * costs bounded memory and at worst an old event counts a little longer than its window.
 */
const ROLLING_MAX_ENTRIES = 512;

export interface SeriesSpec {
  /** Storage key of the series: "transaction|amount|30d" or "transaction|amount|month@Asia/Shanghai". */
  key: string;
  event: string;
  prop: string | null;
  spec: AggregateSpec;
  timeZone: string;
}

export function seriesKey(spec: AggregateSpec, timeZone: string): string {
  const prop = spec.fn === "count" || spec.fn === "last_seen" ? "" : (spec.prop ?? "");
  const w = spec.fn === "last_seen" ? "lifetime" : spec.window;
  const calendar = spec.parsedWindow.kind === "calendar" || spec.parsedWindow.kind === "calendar_previous";
  return `${spec.event}|${prop}|${w}${calendar && spec.fn !== "last_seen" ? `@${timeZone}` : ""}`;
}

/** Numbers only: a missing or non-numeric property does not count towards sum/min/max. */
// a module-private helper; the deprecated global valueOf is never meant
// biome-ignore lint/suspicious/noShadowRestrictedNames: the reason above
function valueOf(event: CoreEvent, prop: string | null): number | null {
  if (prop === null) return null;
  let v: unknown = event.props;
  for (const part of prop.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, part)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function horizonMs(spec: AggregateSpec): number {
  const w = spec.parsedWindow;
  return w.kind === "rolling" ? w.ms : w.kind === "previous" ? 2 * w.ms : 0;
}

const emptyBucket = (start: number): Bucket => ({ start, n: 0, sum: 0, min: null, max: null });

function add(
  b: { n: number; sum: number; min: number | null; max: number | null },
  v: number | null,
  prop: string | null,
): void {
  if (prop !== null && v === null) return;
  b.n += 1;
  if (v !== null) {
    b.sum += v;
    b.min = b.min === null ? v : Math.min(b.min, v);
    b.max = b.max === null ? v : Math.max(b.max, v);
  }
}

function periodOf(spec: AggregateSpec): CalendarPeriod | null {
  const w = spec.parsedWindow;
  return w.kind === "calendar" || w.kind === "calendar_previous" ? w.period : null;
}

/** Folds one event into a series (creating it when needed). */
export function updateSeries(current: Series | undefined, s: SeriesSpec, event: CoreEvent): Series {
  const v = valueOf(event, s.prop);
  if (s.spec.fn === "last_seen" || s.spec.parsedWindow.kind === "lifetime") {
    const life =
      current?.w === "life" ? current : { w: "life" as const, n: 0, sum: 0, min: null, max: null, last: null };
    add(life, v, s.prop);
    life.last = life.last === null ? event.at : Math.max(life.last, event.at);
    return life;
  }
  const period = periodOf(s.spec);
  if (period) {
    const start = periodStart(event.at, s.timeZone, period);
    const cal = current?.w === "cal" ? current : { w: "cal" as const, cur: emptyBucket(start), prev: null };
    if (start === cal.cur.start) add(cal.cur, v, s.prop);
    else if (start > cal.cur.start) {
      const prevStart = periodStart(start - 1, s.timeZone, period);
      cal.prev = cal.cur.start === prevStart ? cal.cur : null;
      cal.cur = emptyBucket(start);
      add(cal.cur, v, s.prop);
    } else if (cal.prev && start === cal.prev.start) add(cal.prev, v, s.prop);
    // Older than the previous period: no window this series keeps can see it.
    return cal;
  }
  const roll = current?.w === "roll" ? current : { w: "roll" as const, entries: [] };
  const entry: [number, number, number, number | null, number | null] = [event.at, 0, 0, null, null];
  const b = { n: 0, sum: 0, min: null as number | null, max: null as number | null };
  add(b, v, s.prop);
  if (b.n === 0) return roll;
  entry[1] = b.n;
  entry[2] = b.sum;
  entry[3] = b.min;
  entry[4] = b.max;
  // Keep entries ordered by time so pruning and merging look at the oldest first.
  let i = roll.entries.length;
  while (i > 0 && roll.entries[i - 1]![0] > event.at) i--;
  roll.entries.splice(i, 0, entry);
  const latest = roll.entries[roll.entries.length - 1]![0];
  const horizon = horizonMs(s.spec);
  let drop = 0;
  while (drop < roll.entries.length && roll.entries[drop]![0] <= latest - horizon) drop++;
  if (drop > 0) roll.entries.splice(0, drop);
  while (roll.entries.length > ROLLING_MAX_ENTRIES) {
    const [a, c] = [roll.entries[0]!, roll.entries[1]!];
    roll.entries.splice(0, 2, [c[0], a[1] + c[1], a[2] + c[2], minOf(a[3], c[3]), maxOf(a[4], c[4])]);
  }
  return roll;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function pickFn(
  spec: AggregateSpec,
  b: { n: number; sum: number; min: number | null; max: number | null } | null,
): number | null {
  switch (spec.fn) {
    case "count":
      return b?.n ?? 0;
    case "sum":
      return b?.sum ?? 0;
    case "min":
      return b?.min ?? null;
    case "max":
      return b?.max ?? null;
    case "last_seen":
      return null;
  }
}

/** The aggregate's value at `now`. Count and sum of nothing are 0; min, max and last_seen of nothing are null. */
export function readSeries(series: Series | undefined, s: SeriesSpec, now: number): number | null {
  const spec = s.spec;
  if (spec.fn === "last_seen") return series?.w === "life" ? series.last : null;
  if (!series) return pickFn(spec, null);
  const w = spec.parsedWindow;
  if (series.w === "life") return pickFn(spec, series);
  if (series.w === "cal") {
    const period = periodOf(spec)!;
    const start = periodStart(now, s.timeZone, period);
    const target = w.kind === "calendar" ? start : periodStart(start - 1, s.timeZone, period);
    const bucket = series.cur.start === target ? series.cur : series.prev?.start === target ? series.prev : null;
    return pickFn(spec, bucket);
  }
  const { from, to } = windowRange(w, now, s.timeZone);
  const [lo, hi] = [from - 1, to];
  const acc = { n: 0, sum: 0, min: null as number | null, max: null as number | null };
  for (const [at, n, sum, min, max] of series.entries) {
    if (at <= lo || at > hi) continue;
    acc.n += n;
    acc.sum += sum;
    acc.min = minOf(acc.min, min);
    acc.max = maxOf(acc.max, max);
  }
  return pickFn(spec, acc);
}
