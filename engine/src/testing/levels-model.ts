import type { WorkspaceLevels } from "@lifeloop/shared";

/**
 * An independent model of growth levels for tests: brute force over one person's whole history,
 * with local days and periods by shifting a fixed UTC offset (Asia/Shanghai is UTC+8 all year),
 * not with the engine's time-zone helpers nor its incremental state. It states the rule of
 * shared/src/schema/levels.ts directly: xp is the capped xp of the last `windowDays` local days;
 * up as soon as an event's xp reaches a higher threshold; down only at the start of a review
 * period (before what else happens at that instant), to the level the xp then gives.
 */
export interface ModelEvent {
  at: number;
  type: string;
  props: Record<string, unknown>;
}

export interface ModelMove {
  at: number;
  from: string;
  to: string;
  xp: number;
}

const DAY = 86_400_000;

export function modelLevels(
  def: WorkspaceLevels,
  events: readonly ModelEvent[],
  until: number,
  offsetMs: number,
): ModelMove[] {
  const dayOf = (t: number) => Math.floor((t + offsetMs) / DAY);
  const periodOf = (t: number, per: "day" | "week" | "month") => {
    const d = dayOf(t);
    if (per === "day") return d;
    // 1970-01-01 was a Thursday: +3 makes weeks start on Mondays.
    if (per === "week") return Math.floor((d + 3) / 7);
    const local = new Date(t + offsetMs);
    return local.getUTCFullYear() * 12 + local.getUTCMonth();
  };
  const credited: Array<{ day: number; xp: number }> = [];
  const capUse = new Map<string, number>();
  const windowXp = (t: number) =>
    credited.filter((c) => c.day > dayOf(t) - def.windowDays && c.day <= dayOf(t)).reduce((a, c) => a + c.xp, 0);
  const levelFor = (xp: number) => def.levels.reduce((r, l, i) => (xp >= l.threshold ? i : r), 0);

  // Every review instant from the first event to `until`: local midnights starting a week or a month.
  const reviews: number[] = [];
  if (events.length > 0) {
    for (let d = dayOf(events[0]!.at) + 1; d * DAY - offsetMs <= until; d++) {
      const start = d * DAY - offsetMs;
      const isStart = def.review === "week" ? (d + 3) % 7 === 0 : new Date(start + offsetMs).getUTCDate() === 1;
      if (isStart) reviews.push(start);
    }
  }
  type Point = { at: number; review: true } | { at: number; review: false; event: ModelEvent };
  const points: Point[] = [
    ...reviews.map((at): Point => ({ at, review: true })),
    ...events.map((event): Point => ({ at: event.at, review: false, event })),
  ].sort((a, b) => a.at - b.at || (a.review === b.review ? 0 : a.review ? -1 : 1));

  const moves: ModelMove[] = [];
  let rank = 0;
  for (const p of points) {
    if (p.review) {
      const xp = windowXp(p.at);
      if (rank > 0 && levelFor(xp) < rank) {
        moves.push({ at: p.at, from: def.levels[rank]!.id, to: def.levels[levelFor(xp)]!.id, xp });
        rank = levelFor(xp);
      }
      continue;
    }
    const rule = def.rules.find((r) => r.event === p.event.type);
    if (!rule) continue;
    const v = rule.prop === undefined ? null : p.event.props[rule.prop];
    let xp =
      rule.prop === undefined
        ? rule.xp
        : typeof v === "number" && Number.isSafeInteger(v) && v > 0
          ? Math.floor(v / (rule.per ?? 1)) * rule.xp
          : 0;
    if (rule.cap) {
      const key = `${rule.event}/${periodOf(p.at, rule.cap.per)}`;
      xp = Math.min(xp, rule.cap.max - (capUse.get(key) ?? 0));
      capUse.set(key, (capUse.get(key) ?? 0) + xp);
    }
    if (xp > 0) credited.push({ day: dayOf(p.at), xp });
    const total = windowXp(p.at);
    if (levelFor(total) > rank) {
      moves.push({ at: p.at, from: def.levels[rank]!.id, to: def.levels[levelFor(total)]!.id, xp: total });
      rank = levelFor(total);
    }
  }
  return moves;
}
