import {
  instantOfLocal,
  LEVEL_CHANGED_EVENT,
  localParts,
  nextPeriodStart,
  periodStart,
  type WorkspaceLevels,
  type XpRule,
} from "@lifeloop/shared";
import type { StepContext } from "./context.ts";
import type { CoreEvent, EventData, UserState } from "./types.ts";

/**
 * A person's growth level (成长体系) as the core keeps it in their state, under the workspace's
 * definition (WorkspaceLevels in shared, carried by the feed like the holdout). The rule:
 * xp is what the rules gave on the last `windowDays` local days; a level goes up as soon as that
 * xp reaches a higher threshold, and down only at a review — the start of each review period —
 * to the level the xp then gives. Pure and clock-free: `ctx.now` is the only time it reads.
 */
export interface LevelState {
  /** The level's id, as of the last move (a rank is its index in the definition). */
  id: string;
  /** Xp earned per local day (the day's start, epoch ms), oldest first; only days still in the window. */
  days: Array<[day: number, xp: number]>;
  /** What each capped rule (by event type) gave in its current cap period. */
  caps: Record<string, { start: number; xp: number }>;
  /** The next review, while the person is above the lowest level (nothing to go down from otherwise). */
  reviewAt: number | null;
}

/** The timer key of a person's next level review beside the journeys' (dueTimes); no journey id starts with "#". */
export const LEVELS_TIMER = "#levels" as const;

/** Most xp one event can earn, so a huge amount times a generous rule stays an exact integer. */
const MAX_XP_PER_EVENT = 1_000_000_000;

export interface LevelChange {
  from: string;
  to: string;
  fromRank: number;
  toRank: number;
  xp: number;
}

/** The first instant of the xp window that ends on `now`'s local day (`windowDays` days, today included). */
function windowStart(def: WorkspaceLevels, now: number): number {
  const p = localParts(now, def.timeZone);
  const first = new Date(Date.UTC(p.year, p.month - 1, p.day - (def.windowDays - 1)));
  return instantOfLocal(def.timeZone, first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate());
}

/** The rank (index in the definition) of a level id; one the definition no longer has counts as the lowest. */
function rankOf(def: WorkspaceLevels, id: string | undefined): number {
  const i = def.levels.findIndex((l) => l.id === id);
  return Math.max(i, 0);
}

/** The highest level whose threshold `xp` reaches (the first starts at 0, so there always is one). */
function levelFor(def: WorkspaceLevels, xp: number): number {
  let rank = 0;
  def.levels.forEach((l, i) => {
    if (xp >= l.threshold) rank = i;
  });
  return rank;
}

/** Xp in the window ending at `now`. */
function xpAt(state: LevelState | undefined, def: WorkspaceLevels, now: number): number {
  const from = windowStart(def, now);
  let sum = 0;
  for (const [day, xp] of state?.days ?? []) if (day >= from) sum += xp;
  return sum;
}

/** What one event earns by its rule before caps: a fixed xp, or xp per `per` units of a numeric prop. */
function xpOf(rule: XpRule, event: Pick<CoreEvent, "props">): number {
  if (rule.prop === undefined) return rule.xp;
  const v = event.props[rule.prop];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) return 0;
  return Math.min(Math.floor(v / (rule.per ?? 1)) * rule.xp, MAX_XP_PER_EVENT);
}

/** What rules, segments and templates read as `level.*`: the level's id and rank, and the xp now. */
export function levelData(state: UserState, def: WorkspaceLevels | null, now: number): Record<string, unknown> {
  if (def === null) return {};
  const rank = rankOf(def, state.levels?.id);
  return { id: def.levels[rank]!.id, rank, xp: xpAt(state.levels, def, now) };
}

function levelsOf(state: UserState, def: WorkspaceLevels): LevelState {
  state.levels ??= { id: def.levels[0]!.id, days: [], caps: {}, reviewAt: null };
  return state.levels;
}

/** Moves the level to `to` and emits the `level` effect with its why. */
function move(ctx: StepContext, def: WorkspaceLevels, s: LevelState, to: number, xp: number): LevelChange {
  const fromRank = rankOf(def, s.id);
  const change: LevelChange = { from: def.levels[fromRank]!.id, to: def.levels[to]!.id, fromRank, toRank: to, xp };
  s.id = change.to;
  const window = `${xp} xp in the last ${def.windowDays} days`;
  const level = `${change.to} (${def.levels[to]!.threshold} xp)`;
  ctx.emit({ journeyId: "", version: 0 }, null, {
    kind: "level",
    from: change.from,
    to: change.to,
    xp,
    detail:
      to > fromRank
        ? `${window} reach ${level}`
        : `at the ${def.review}ly review, ${window} only reach ${level}, below ${change.from}`,
  });
  return change;
}

/** The next review while there is a level to go down from, else none. */
function scheduleReview(def: WorkspaceLevels, s: LevelState, now: number): void {
  if (rankOf(def, s.id) === 0) s.reviewAt = null;
  else s.reviewAt ??= nextPeriodStart(now, def.timeZone, def.review);
}

/**
 * Credits the xp `event` earns (on the local day it happened, within its rule's cap) and moves the
 * level up at once when the window's xp reaches a higher threshold. A capped rule counts its cap in
 * the latest cap period it saw: a late event from an earlier period earns nothing, as does one whose
 * day already left the window.
 */
export function earnXp(ctx: StepContext, def: WorkspaceLevels, event: CoreEvent): LevelChange | null {
  const rule = def.rules.find((r) => r.event === event.type);
  if (!rule) return null;
  let xp = xpOf(rule, event);
  const s = levelsOf(ctx.state, def);
  const from = windowStart(def, ctx.now);
  s.days = s.days.filter(([day]) => day >= from);
  const day = periodStart(event.at, def.timeZone, "day");
  if (rule.cap) {
    const start = periodStart(event.at, def.timeZone, rule.cap.per);
    const use = s.caps[rule.event];
    if (use && start < use.start) xp = 0;
    else {
      const used = use && use.start === start ? use.xp : 0;
      xp = Math.min(xp, rule.cap.max - used);
      s.caps[rule.event] = { start, xp: used + xp };
    }
  }
  if (xp <= 0 || day < from) return null;
  const at = s.days.findIndex(([d]) => d >= day);
  if (at >= 0 && s.days[at]![0] === day) s.days[at]![1] += xp;
  else if (at >= 0) s.days.splice(at, 0, [day, xp]);
  else s.days.push([day, xp]);
  const total = xpAt(s, def, ctx.now);
  const to = levelFor(def, total);
  const change = to > rankOf(def, s.id) ? move(ctx, def, s, to, total) : null;
  scheduleReview(def, s, ctx.now);
  return change;
}

/** When the person's level is next reviewed, or null. */
export function nextReview(state: UserState): number | null {
  return state.levels?.reviewAt ?? null;
}

/**
 * The review due at `ctx.now`: down to the level the window's xp gives, if lower (never up: that
 * happened when the xp was earned), then the next review. With no definition any more, no review.
 */
export function reviewLevel(ctx: StepContext, def: WorkspaceLevels | null): LevelChange | null {
  const s = ctx.state.levels;
  if (!s) return null;
  s.reviewAt = null;
  if (def === null) return null;
  const from = windowStart(def, ctx.now);
  s.days = s.days.filter(([day]) => day >= from);
  const xp = xpAt(s, def, ctx.now);
  const to = levelFor(def, xp);
  const change = to < rankOf(def, s.id) ? move(ctx, def, s, to, xp) : null;
  scheduleReview(def, s, ctx.now);
  return change;
}

/** The event journeys see for a level change: triggers, waits and goals can name `level_changed`. */
export function levelChangedEvent(ctx: StepContext, c: LevelChange): EventData {
  const at = new Date(ctx.now).toISOString();
  return {
    id: `level:${c.from}:${c.to}:${at}`,
    type: LEVEL_CHANGED_EVENT,
    at,
    props: { from: c.from, to: c.to, from_rank: c.fromRank, to_rank: c.toRank, xp: c.xp },
  };
}
