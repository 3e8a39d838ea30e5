/**
 * The time range an aggregate window covers at an instant, in a time zone: [from, to], epoch ms,
 * both inclusive. One definition for the engine (which keeps aggregates incrementally) and the
 * API (which previews segments over stored events): rolling (now − ms, now], previous
 * (now − 2·ms, now − ms], calendar [period start, now], previous calendar period [start, end).
 */
import type { Window } from "./duration.ts";
import { periodStart } from "./time.ts";

export function windowRange(w: Window, now: number, timeZone: string): { from: number; to: number } {
  switch (w.kind) {
    case "rolling":
      return { from: now - w.ms + 1, to: now };
    case "previous":
      return { from: now - 2 * w.ms + 1, to: now - w.ms };
    case "calendar":
      return { from: periodStart(now, timeZone, w.period), to: now };
    case "calendar_previous": {
      const current = periodStart(now, timeZone, w.period);
      return { from: periodStart(current - 1, timeZone, w.period), to: current - 1 };
    }
    case "lifetime":
      return { from: Number.MIN_SAFE_INTEGER, to: now };
  }
}
