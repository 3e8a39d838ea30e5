/**
 * Durations ("24h", "15d") and aggregate windows ("30d", "month", "prev_30d").
 * Written the way operators say them; parsed once into integers (milliseconds), never floats.
 */

export const DURATION_PATTERN = /^([1-9][0-9]{0,5})(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** A duration string like "30m", "24h", "15d", "2w" in milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export type CalendarPeriod = "day" | "week" | "month";

/**
 * Where an aggregate looks:
 * - rolling: the last `ms` milliseconds up to now (`"7d"`, `"24h"`);
 * - previous: the `ms` milliseconds before the rolling window of the same length (`"prev_30d"`),
 *   so "this 30 d against the previous 30 d" compares two windows of equal length;
 * - calendar: the current period to date in the journey's time zone (`"day"`, `"week"`, `"month"`);
 * - calendar-previous: the whole previous period (`"prev_month"`);
 * - lifetime: everything seen.
 */
export type Window =
  | { kind: "rolling"; ms: number }
  | { kind: "previous"; ms: number }
  | { kind: "calendar"; period: CalendarPeriod }
  | { kind: "calendar_previous"; period: CalendarPeriod }
  | { kind: "lifetime" };

export const WINDOW_PATTERN = /^(?:(prev_)?([1-9][0-9]{0,5}(?:m|h|d|w))|(prev_)?(day|week|month)|lifetime)$/;

export function parseWindow(text: string): Window | null {
  const m = WINDOW_PATTERN.exec(text);
  if (!m) return null;
  if (m[2]) {
    const ms = parseDuration(m[2]);
    if (ms === null) return null;
    return m[1] ? { kind: "previous", ms } : { kind: "rolling", ms };
  }
  if (m[4]) {
    const period = m[4] as CalendarPeriod;
    return m[3] ? { kind: "calendar_previous", period } : { kind: "calendar", period };
  }
  return { kind: "lifetime" };
}
