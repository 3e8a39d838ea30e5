import { instantOfLocal, type JourneyId, type NodeId } from "@lifeloop/shared";
import type { World } from "./journeys.ts";

/** A trigger that fires on a calendar: at `start` (local time) and then every day, week or month. */
export interface Schedule {
  journeyId: JourneyId;
  nodeId: NodeId;
  start: string;
  every: "day" | "week" | "month" | null;
  timeZone: string;
}

export function schedulesOf(world: World): Schedule[] {
  const out: Schedule[] = [];
  for (const j of world.live) {
    for (const id of j.exe.triggers) {
      const entry = j.nodes[id]!.entry;
      if (entry?.on === "schedule")
        out.push({
          journeyId: j.journeyId,
          nodeId: id,
          start: entry.start,
          every: entry.every,
          timeZone: j.exe.timeZone,
        });
    }
  }
  return out;
}

function occurrence(s: Schedule, k: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s.start)!;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (s.every === "month") {
    // The same day of later months, or the month's last day when it is shorter (31 Jan → 28 Feb).
    const first = new Date(Date.UTC(y, mo - 1 + k, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    return instantOfLocal(s.timeZone, first.getUTCFullYear(), first.getUTCMonth() + 1, Math.min(d, last), h, mi);
  }
  const day = new Date(Date.UTC(y, mo - 1, d + k * (s.every === "week" ? 7 : 1)));
  return instantOfLocal(s.timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, mi);
}

/** The first time the schedule fires strictly after `after`, or null when it never will again. */
export function nextOccurrence(s: Schedule, after: number): number | null {
  const first = occurrence(s, 0);
  if (first > after) return first;
  if (s.every === null) return null;
  const approx = s.every === "day" ? 86_400_000 : s.every === "week" ? 7 * 86_400_000 : 28 * 86_400_000;
  let k = Math.max(0, Math.floor((after - first) / approx) - 2);
  while (occurrence(s, k) <= after) k++;
  return occurrence(s, k);
}
