import { instantOfLocal, localParts } from "@lifeloop/shared";

/** Wall-clock arithmetic in a journey's time zone, for waits and quiet hours. Pure: `now` is passed in. */

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};

/**
 * The first instant at or after `now` when the local clock shows `time`, on one of `weekdays`
 * (ISO, 1 = Monday) when given. A time that a DST gap skips resolves forward, as instantOfLocal does.
 */
export function nextLocalTime(now: number, tz: string, time: string, weekdays: number[] | null): number {
  const target = minutesOf(time);
  const p = localParts(now, tz);
  for (let offset = 0; offset <= 8; offset++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day + offset));
    const weekday = ((day.getUTCDay() + 6) % 7) + 1;
    if (weekdays && weekdays.length > 0 && !weekdays.includes(weekday)) continue;
    const at = instantOfLocal(
      tz,
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      Math.floor(target / 60),
      target % 60,
    );
    if (at >= now) return at;
  }
  // Unreachable with a valid weekday list: eight days always contain every weekday.
  throw new Error(`no local ${time} within eight days of ${new Date(now).toISOString()} in ${tz}`);
}

/** The epoch ms of a local date-time ("2026-12-01T09:00") in the zone. */
export function localDateTime(text: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a local date-time: ${text}`);
  return instantOfLocal(tz, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/**
 * When quiet hours end, if `now` falls inside them; null otherwise. Quiet hours are [start, end)
 * in local time and span midnight when start > end (21:00–09:00).
 */
export function quietUntil(now: number, tz: string, quiet: { start: string; end: string } | null): number | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const p = localParts(now, tz);
  const minute = p.hour * 60 + p.minute;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  return inside ? nextLocalTime(now, tz, quiet.end, null) : null;
}
