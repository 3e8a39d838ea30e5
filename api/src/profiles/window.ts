/**
 * The time range an aggregate window covers at an instant, in a time zone, for previews over
 * stored events: [from, to], epoch ms, both inclusive. Built from shared's definitions
 * (parseWindow, periodStart) with the engine's bounds: rolling (now − ms, now], previous
 * (now − 2·ms, now − ms], calendar [period start, now], previous calendar period [start, end).
 */
import { periodStart, type Window } from "@lifeloop/shared";

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
