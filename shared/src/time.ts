/**
 * Time-zone arithmetic with Intl only (no date library): local calendar parts of an instant in an
 * IANA zone, and the instant at which a local wall-clock time happens. Pure; the clock is always
 * passed in, never read.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `tz` is an IANA time zone this runtime knows (e.g. "Asia/Shanghai", "UTC"). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > 64) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    // Intl throws RangeError for unknown zones; that is exactly the answer "not valid".
    return false;
  }
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number; // 0-23
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(epochMs: number, tz: string): LocalParts {
  const parts = formatterFor(tz).formatToParts(new Date(epochMs));
  const out: LocalParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of parts) {
    switch (p.type) {
      case "year":
        out.year = Number(p.value);
        break;
      case "month":
        out.month = Number(p.value);
        break;
      case "day":
        out.day = Number(p.value);
        break;
      case "hour":
        out.hour = Number(p.value);
        break;
      case "minute":
        out.minute = Number(p.value);
        break;
      case "second":
        out.second = Number(p.value);
        break;
      case "weekday":
        out.weekday = WEEKDAYS[p.value] ?? 0;
        break;
    }
  }
  return out;
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai → +8 h). */
export function zoneOffsetMs(epochMs: number, tz: string): number {
  const p = localParts(epochMs, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The instant at which the local wall-clock time y-m-d h:mi happens in `tz`. In a DST gap the
 * time is pushed forward by the gap; in an overlap the earlier instant is chosen.
 */
export function instantOfLocal(tz: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - zoneOffsetMs(guess, tz);
  const second = guess - zoneOffsetMs(first, tz);
  const matches = [first, second].filter((t) => {
    const p = localParts(t, tz);
    return p.hour === hour && p.minute === minute && p.day === day;
  });
  // No candidate shows the asked wall time: it falls in a DST gap, and the later one is pushed forward.
  return matches.length > 0 ? Math.min(...matches) : Math.max(first, second);
}

/** "YYYY-MM-DD" of an instant in a zone. */
export function localDate(epochMs: number, tz: string): string {
  const p = localParts(epochMs, tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

function computeStart(epochMs: number, tz: string, period: "day" | "week" | "month"): number {
  const p = localParts(epochMs, tz);
  if (period === "month") return instantOfLocal(tz, p.year, p.month, 1);
  if (period === "day") return instantOfLocal(tz, p.year, p.month, p.day);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day - (p.weekday - 1)));
  return instantOfLocal(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function computeNext(start: number, tz: string, period: "day" | "week" | "month"): number {
  const p = localParts(start, tz);
  const d =
    period === "month"
      ? new Date(Date.UTC(p.year, p.month, 1))
      : new Date(Date.UTC(p.year, p.month - 1, p.day + (period === "week" ? 7 : 1)));
  return instantOfLocal(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * Recently used periods per (zone, period kind), most recent first. Intl lookups cost microseconds
 * and the engine asks about the same few days and months millions of times, so an instant that
 * falls in a remembered [start, next) interval is answered without asking Intl at all.
 */
const PERIOD_CACHE_SIZE = 16;
const periods = new Map<string, Array<[start: number, next: number]>>();

function periodOf(epochMs: number, tz: string, period: "day" | "week" | "month"): [number, number] {
  const key = `${tz}|${period}`;
  let list = periods.get(key);
  if (!list) periods.set(key, (list = []));
  for (let i = 0; i < list.length; i++) {
    const iv = list[i]!;
    if (epochMs >= iv[0] && epochMs < iv[1]) {
      if (i > 0) list.unshift(list.splice(i, 1)[0]!);
      return iv;
    }
  }
  const start = computeStart(epochMs, tz, period);
  const iv: [number, number] = [start, computeNext(start, tz, period)];
  list.unshift(iv);
  if (list.length > PERIOD_CACHE_SIZE) list.pop();
  return iv;
}

/** Start (epoch ms) of the calendar day/week (ISO, Monday)/month containing `epochMs` in `tz`. */
export function periodStart(epochMs: number, tz: string, period: "day" | "week" | "month"): number {
  return periodOf(epochMs, tz, period)[0];
}

/** Start of the period after the one containing `epochMs`. */
export function nextPeriodStart(epochMs: number, tz: string, period: "day" | "week" | "month"): number {
  return periodOf(epochMs, tz, period)[1];
}

export const ISO_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The same shape with its parts captured: year, month, day, hour, minute, second, fraction, offset. */
const INSTANT_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * Why an ISO-8601 instant is not a real one, or null when it is. Date.parse is lenient where it
 * must not be: it rolls 2026-02-30 over to 2 March, and V8 answers NaN (not an error) for month 13
 * or hour 25 — which reached SQLite as a NULL. Every field is checked against the calendar here.
 */
export function instantProblem(text: string): string | null {
  const m = typeof text === "string" ? INSTANT_PARTS.exec(text) : null;
  if (!m) return "an ISO-8601 instant with offset, e.g. 2026-11-23T08:00:00Z";
  const [year, month, day, hour, minute, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) =>
    v === undefined ? undefined : Number(v),
  ) as number[];
  if (month! < 1 || month! > 12) return `month ${m[2]} does not exist (01–12)`;
  if (day! < 1 || day! > daysInMonth(year!, month!)) return `${m[1]}-${m[2]} has no day ${m[3]}`;
  if (hour! > 23) return `hour ${m[4]} does not exist (00–23)`;
  if (minute! > 59) return `minute ${m[5]} does not exist (00–59)`;
  if (second > 59) return `second ${m[6]} does not exist (00–59)`;
  if (m[8] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59 || (Number(m[9]) === 14 && Number(m[10]) > 0)))
    return `offset ${m[8]}${m[9]}:${m[10]} is outside −14:00…+14:00`;
  return null;
}

/**
 * Epoch ms of an ISO-8601 instant with an explicit offset, or null when it is malformed or not a real date and time.
 */
export function parseInstant(text: string): number | null {
  if (instantProblem(text) !== null) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
