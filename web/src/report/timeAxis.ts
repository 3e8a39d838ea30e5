/**
 * Daily and weekly series on a real time axis. The engine answers one row per local day (or week) that
 * has data, as a calendar date of the journey's time zone ("YYYY-MM-DD"); a chart that plots one point
 * per row spaces them evenly, and a day without data disappears. Here each date becomes its day number
 * (whole days since 1970-01-01, the engine's own numbering: report/facts.ts) and every day (or week)
 * between the first row and the last gets a point: a count of nothing is 0, a rate of nobody is null,
 * which a line draws as a gap.
 *
 * The dates are already the journey's, so they are read and written as UTC calendar dates: never
 * through the browser's zone, whose midnight (and daylight saving) would move a day onto its neighbour.
 */

const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" as whole days since 1970-01-01. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.round(Date.UTC(y!, m! - 1, d!) / DAY_MS);
}

/** A day number back as "YYYY-MM-DD". */
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export type TimePoint<K extends string> = { day: number; date: string } & Record<K, number | null>;

/**
 * One point per day (or per `stepDays`, 7 for weekly cohorts) from the first row's date to the last,
 * in date order. Rows share a date? Their values are added (a count of two units' rows, say). A day
 * without a row has `missing` for every key: 0 for counts and amounts, null for rates.
 */
export function onTimeAxis<K extends string>(
  rows: ReadonlyArray<{ date: string; values: Readonly<Record<K, number | null>> }>,
  keys: readonly K[],
  missing: 0 | null,
  stepDays = 1,
): Array<TimePoint<K>> {
  if (rows.length === 0) return [];
  const byDay = new Map<number, Record<K, number | null>>();
  for (const r of rows) {
    const day = dayNumber(r.date);
    const seen = byDay.get(day);
    if (!seen) {
      byDay.set(day, { ...r.values });
      continue;
    }
    for (const k of keys) {
      const v = r.values[k];
      seen[k] = v === null ? seen[k]! : (seen[k] ?? 0) + v;
    }
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const first = days[0]!;
  const last = days.at(-1)!;
  // fromEntries types its keys as string: they are exactly `keys`.
  const empty = Object.fromEntries(keys.map((k) => [k, missing])) as Record<K, number | null>;
  const points: Array<TimePoint<K>> = [];
  // A row off the step (a weekly cohort that is not a Monday) still gets its own point, at its date.
  const grid = new Set<number>();
  for (let d = first; d <= last; d += stepDays) grid.add(d);
  for (const d of days) grid.add(d);
  for (const d of [...grid].sort((a, b) => a - b)) {
    const values = byDay.get(d) ?? empty;
    // A spread of a Record<K, …> beside two fixed keys is not narrowed to the intersection by TypeScript.
    points.push({ day: d, date: dateOf(d), ...values } as TimePoint<K>);
  }
  return points;
}

/**
 * At most `max` ticks on whole steps from the first point: every day for a short series, else every
 * 2nd, 7th, 14th… so labels never crowd. The last point's day is not forced in (it would crowd).
 */
export function dayTicks(points: ReadonlyArray<{ day: number }>, max = 8, stepDays = 1): number[] {
  if (points.length === 0) return [];
  const first = points[0]!.day;
  const span = points.at(-1)!.day - first;
  const every = [1, 2, 7, 14, 28, 56, 91, 182, 364].map((n) => n * stepDays).find((n) => span / n < max) ?? span;
  const ticks: number[] = [];
  for (let d = first; d <= first + span; d += Math.max(1, every)) ticks.push(d);
  return ticks;
}

/** A tick's label: "11-05", or with the year ("2026-11-05") when the series crosses years. */
export function dayLabel(day: number, points: ReadonlyArray<{ day: number }>): string {
  const date = dateOf(day);
  const years = new Set(points.map((p) => dateOf(p.day).slice(0, 4)));
  return years.size > 1 ? date : date.slice(5);
}

/**
 * The props of a recharts XAxis for these points: numeric, by day number, labelled by date; a lone
 * point gets a day either side so it is not drawn on the axis' edge.
 */
export function timeAxisProps(points: ReadonlyArray<{ day: number }>, stepDays = 1) {
  const first = points[0]?.day ?? 0;
  const last = points.at(-1)?.day ?? 0;
  return {
    dataKey: "day",
    type: "number" as const,
    domain: first < last ? [first, last] : [first - stepDays, last + stepDays],
    ticks: dayTicks(points, 8, stepDays),
    tickFormatter: (day: number) => dayLabel(day, points),
    allowDecimals: false,
    padding: { left: 12, right: 12 },
  };
}
