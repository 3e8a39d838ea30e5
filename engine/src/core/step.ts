import {
  IDENTIFY_EVENT,
  nextPeriodStart,
  periodStart,
  POINTS_EXPIRING_EVENT,
  POINTS_REDEEMED_EVENT,
} from "@lifeloop/shared";
import type { JourneyId, NodeId, UserId } from "@lifeloop/shared";
import { updateSeries } from "./aggregates.ts";
import { StepContext } from "./context.ts";
import { entryAttributes } from "./entry-attributes.ts";
import { isHeldOut, keepOut } from "./gates/holdout.ts";
import type { ChannelCap } from "./gates/channel-cap.ts";
import { claimGroup, entryOrderOf, groupRefusal } from "./gates/group.ts";
import type { JsonValue } from "./json.ts";
import type { LoadedJourney, LoadedNode, LoadedRule, World } from "./journeys.ts";
import { behaviourOf, type Outcome } from "./kinds/index.ts";
import { COUPON_TIMER, expireCoupons, nextCouponExpiry, redeemCoupons } from "./coupons.ts";
import {
  earnXp,
  levelChangedEvent,
  levelData,
  LEVELS_TIMER,
  nextReview,
  reviewLevel,
  type LevelChange,
} from "./levels.ts";
import { emptyWallet, expireDue, nextExpiry, redeem, WALLET_TIMER, walletData, walletDue } from "./wallet.ts";
import { nextNotice, type Notice, noticesDue } from "./wallet-notices.ts";
import type { CoreEvent, Counters, EventData, Input, Run, StepResult, TimerOwner, UserState } from "./types.ts";

export interface StepOptions {
  /**
   * An event up to this much older than the person's clock is still acted on (at the clock's time);
   * an older one only updates the profile and aggregates. See docs/engine.md, "Time".
   */
  lateToleranceMs?: number;
  /** Frequency caps across every journey, per channel (e.g. 3 pushes a day); none by default. */
  channelCaps?: readonly ChannelCap[];
}

const DEFAULT_LATE_TOLERANCE_MS = 5 * 60_000;
/** A path longer than this in one step is a loop the compiler should have refused; the run ends. */
const MAX_NODES_PER_STEP = 1000;

export function newUserState(userId: UserId): UserState {
  return {
    userId,
    clock: 0,
    profile: {},
    series: {},
    segments: [],
    runs: [],
    entries: {},
    caps: {},
    sent: {},
    goals: [],
    recheckAt: null,
    wallet: emptyWallet(),
  };
}

const entryLimitKey = (journeyId: JourneyId, periodStartMs: number | null) =>
  periodStartMs === null ? `entry/${journeyId}` : `entry/${journeyId}/${periodStartMs}`;

/**
 * One input for one person: (state, input, world, shared counters) → (state, effects, spends).
 * Takes ownership of `state` and returns it updated; callers that need the old state clone it first.
 *
 * Order, for an event: waits and held messages due before it fire first (at their own times); then
 * the event updates the profile and aggregates; then conversions, exit criteria, runs waiting for
 * it, new entries, and segment changes — so someone who comes back is taken out of a win-back run
 * before the same login can start a new one.
 */
export function step(
  state: UserState,
  input: Input,
  world: World,
  counters: Counters,
  options: StepOptions = {},
): StepResult {
  const ctx = new StepContext(state, world, counters, options.channelCaps);
  migrateRuns(ctx);
  switch (input.type) {
    case "event":
      // A test event makes its person a test person from this step on: everything is marked (context.ts).
      if (input.event.test) state.test = true;
      applyEvent(ctx, input.event, options.lateToleranceMs ?? DEFAULT_LATE_TOLERANCE_MS);
      break;
    case "tick":
      advanceTo(ctx, input.at);
      break;
    case "schedule": {
      advanceTo(ctx, input.at);
      const journey = world.liveVersion(input.journeyId);
      const node = journey?.nodes[input.nodeId];
      if (journey && node && node.entry?.on === "schedule") {
        const segment = node.entry.segment;
        if (segment === null || state.segments.includes(`${journey.journeyId}/${segment}`))
          enter(ctx, journey, node, null);
      }
      break;
    }
    case "redeem": {
      advanceTo(ctx, input.at);
      const spent = redeem(ctx, input);
      if (spent)
        walletEvent(ctx, POINTS_REDEEMED_EVENT, `${POINTS_REDEEMED_EVENT}:${input.key}`, {
          key: input.key,
          item: input.item,
          points: input.points,
          balance: spent.balance,
        });
      break;
    }
  }
  state.goals = state.goals.filter((g) => g.deadline >= ctx.now);
  state.recheckAt = nextRecheck(ctx);
  if (state.wallet) {
    // Absent rather than null when there is none: a state's bytes change only for people a notice concerns.
    const notice = nextNotice(state.wallet, world.expiringLeadDays, state.clock);
    if (notice === null) delete state.wallet.noticeAt;
    else state.wallet.noticeAt = notice;
  }
  return { state, effects: ctx.effects, trace: ctx.trace, spends: ctx.spends };
}

/** The earliest time this person needs a tick, per journey ("" for segment re-checks). */
export function dueTimes(state: UserState): Map<TimerOwner, number> {
  const due = new Map<TimerOwner, number>();
  for (const run of state.runs) {
    if (!run.wait || run.wait.until === null) continue;
    const prev = due.get(run.journeyId);
    if (prev === undefined || run.wait.until < prev) due.set(run.journeyId, run.wait.until);
  }
  if (state.recheckAt !== null) due.set("", state.recheckAt);
  const wallet = walletDue(state.wallet);
  if (wallet !== null) due.set(WALLET_TIMER, wallet);
  const coupons = nextCouponExpiry(state);
  if (coupons !== null) due.set(COUPON_TIMER, coupons);
  const review = nextReview(state);
  if (review !== null) due.set(LEVELS_TIMER, review);
  return due;
}

/** The earliest due time across journeys that are not paused, or null. */
export function nextDue(state: UserState, world: World): number | null {
  let min: number | null = null;
  for (const [journeyId, at] of dueTimes(state)) {
    if (
      journeyId !== "" &&
      journeyId !== WALLET_TIMER &&
      journeyId !== COUPON_TIMER &&
      journeyId !== LEVELS_TIMER &&
      world.isPaused(journeyId)
    )
      continue;
    if (min === null || at < min) min = at;
  }
  return min;
}

function toEventData(e: CoreEvent): EventData {
  return { id: e.id, type: e.type, at: new Date(e.at).toISOString(), props: e.props };
}

function applyEvent(ctx: StepContext, event: CoreEvent, lateToleranceMs: number): void {
  const state = ctx.state;
  const late = event.at < state.clock - lateToleranceMs;
  if (!late) advanceTo(ctx, event.at);
  if (event.type === IDENTIFY_EVENT) {
    for (const [k, v] of Object.entries(event.props)) state.profile[k] = v as JsonValue;
  }
  for (const s of ctx.world.seriesByEvent.get(event.type) ?? []) {
    state.series[s.key] = updateSeries(state.series[s.key], s, event);
  }
  // Xp counts on the day the event happened, late or not; a level it reaches is reached now.
  const change = ctx.world.levels ? earnXp(ctx, ctx.world.levels, event) : null;
  if (late) {
    ctx.note(
      "",
      null,
      "late_event",
      `event ${event.id} happened at ${new Date(event.at).toISOString()}, more ` +
        `than ${lateToleranceMs / 1000}s before what was already applied; it counts in the profile and ` +
        `aggregates but moves no journey`,
    );
    if (change) raiseLevelChange(ctx, change);
    return;
  }
  const data = toEventData(event);
  // First, so a wait for this redemption (resumeWaiting) sees the coupon closed.
  redeemCoupons(ctx, data);
  actOn(ctx, data);
  if (change) raiseLevelChange(ctx, change);
  evaluateSegments(ctx);
}

/** What an event does to journeys: conversions, exits, runs waiting for it, new entries. */
function actOn(ctx: StepContext, event: EventData): void {
  ctx.event = event;
  convert(ctx, event);
  applyExits(ctx, event);
  resumeWaiting(ctx, event);
  enterOnEvent(ctx, event);
  ctx.event = null;
}

/**
 * A level change is the engine's own `level_changed` event for journeys, after the event that
 * caused it (whose journeys already read the new level); segments are re-checked after both.
 */
function raiseLevelChange(ctx: StepContext, change: LevelChange): void {
  actOn(ctx, levelChangedEvent(ctx, change));
}

/** Fires, in time order, every wait, held message and segment re-check due at or before `t`. */
function advanceTo(ctx: StepContext, t: number): void {
  const state = ctx.state;
  for (let guard = 0; guard < 100_000; guard++) {
    let next: Run | null = null;
    for (const run of state.runs) {
      const until = run.wait?.until;
      if (until === undefined || until === null || until > t || ctx.world.isPaused(run.journeyId)) continue;
      if (next === null || until < next.wait!.until!) next = run;
    }
    const recheck = state.recheckAt !== null && state.recheckAt <= t ? state.recheckAt : null;
    // Points and coupons expire whether or not any journey runs (or is paused); on a tie, before
    // what else is due then, so a wait that ends at the same midnight reads the balance after the
    // expiry (and a wait for a redemption times out after its coupon lapsed).
    const expiry = earliest(nextExpiry(state.wallet), nextCouponExpiry(state));
    // The wallet's notices ("300 points expire in 3 days") come next, before the waits due with them.
    const notices = noticesDue(state.wallet, ctx.world.expiringLeadDays, state.clock, t);
    const notice = notices[0];
    // A level review, likewise before waits and re-checks of the same instant, so they read the new level.
    const review = nextReview(state);
    if (
      expiry !== null &&
      expiry <= t &&
      (review === null || expiry <= review) &&
      (next === null || expiry <= next.wait!.until!) &&
      (recheck === null || expiry <= recheck) &&
      (notice === undefined || expiry <= notice.at)
    ) {
      ctx.now = Math.max(state.clock, expiry);
      state.clock = ctx.now;
      expireDue(ctx);
      expireCoupons(ctx);
      continue;
    }
    if (
      notice !== undefined &&
      (next === null || notice.at <= next.wait!.until!) &&
      (recheck === null || notice.at <= recheck) &&
      (review === null || review > t || notice.at <= review)
    ) {
      ctx.now = notice.at;
      state.clock = ctx.now;
      for (const n of notices) if (n.at === notice.at) expiringEvent(ctx, n);
      continue;
    }
    if (
      review !== null &&
      review <= t &&
      (next === null || review <= next.wait!.until!) &&
      (recheck === null || review <= recheck) &&
      (notice === undefined || review < notice.at)
    ) {
      ctx.now = Math.max(state.clock, review);
      state.clock = ctx.now;
      const change = reviewLevel(ctx, ctx.world.levels);
      if (change) {
        raiseLevelChange(ctx, change);
        evaluateSegments(ctx);
      }
      continue;
    }
    if (next === null && recheck === null) break;
    if (next === null || (recheck !== null && recheck < next.wait!.until!)) {
      ctx.now = Math.max(state.clock, recheck!);
      state.clock = ctx.now;
      state.recheckAt = null;
      applyExits(ctx, null);
      evaluateSegments(ctx);
      // Someone away for years would be re-checked once per day they were away: work in
      // proportion to the gap, for one event (a far-future `at` took minutes). The first re-check
      // after they went quiet has fired; the rest resume within the catch-up horizon before `t`.
      state.recheckAt = nextRecheck(ctx, Math.max(ctx.now, t - RECHECK_CATCHUP_MS));
      continue;
    }
    ctx.now = Math.max(state.clock, next.wait!.until!);
    state.clock = ctx.now;
    resume(ctx, next, "time");
  }
  ctx.now = Math.max(state.clock, t);
  state.clock = ctx.now;
}

/**
 * An event the wallet makes (shared's WALLET_EVENTS), at the step's time: it converts, exits,
 * resumes and starts runs as a sent event does, and counts in no aggregate nor profile.
 */
function walletEvent(ctx: StepContext, type: string, id: string, props: Record<string, JsonValue>): void {
  actOn(ctx, { id, type, at: new Date(ctx.now).toISOString(), props });
}

function expiringEvent(ctx: StepContext, n: Notice): void {
  const expiresAt = new Date(n.expiresAt).toISOString();
  walletEvent(ctx, POINTS_EXPIRING_EVENT, `${POINTS_EXPIRING_EVENT}:${expiresAt}:${n.days}d`, {
    points: n.points,
    expires_at: expiresAt,
    days: n.days,
  });
}

const earliest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

function nextRecheck(ctx: StepContext, from: number = ctx.now): number | null {
  const timed = ctx.world.live.find((j) => j.timeDependentSegments);
  return timed ? nextPeriodStart(from, timed.exe.timeZone, "day") : null;
}

/**
 * How far back daily segment re-checks are caught up when a person comes back after a long quiet
 * spell (or the engine was down): 62 days covers every window a segment can read that still
 * changes (30d, prev_30d, month, prev_month). Re-checks before that are coalesced into one.
 */
export const RECHECK_CATCHUP_MS = 62 * 86_400_000;

/** Publishing with the "migrate" policy moves people in flight to the live version at the same node id. */
function migrateRuns(ctx: StepContext): void {
  for (const run of ctx.state.runs) {
    const live = ctx.world.liveVersion(run.journeyId);
    if (!live || live.version <= run.version || live.inFlight !== "migrate") continue;
    const node = live.nodes[run.nodeId];
    const old = ctx.world.version(run.journeyId, run.version)?.nodes[run.nodeId];
    if (!node || (old && old.kind !== node.kind)) {
      ctx.note(
        run.journeyId,
        run.nodeId,
        "not_entered",
        `stays on version ${run.version}: node ${run.nodeId} is not in version ${live.version} as the same kind`,
      );
      continue;
    }
    const from = run.version;
    run.version = live.version;
    ctx.emit(live, run.nodeId, { kind: "migrate", from });
  }
}

/** The node's rule of this key (a filter its kind names), or none. */
function ruleOf(node: LoadedNode, key: string | null): LoadedRule | null {
  return key !== null && Object.hasOwn(node.rules, key) ? node.rules[key]! : null;
}

function journeyOf(ctx: StepContext, run: Run): LoadedJourney | undefined {
  return ctx.world.version(run.journeyId, run.version);
}

function removeRun(ctx: StepContext, run: Run): void {
  const i = ctx.state.runs.indexOf(run);
  if (i >= 0) ctx.state.runs.splice(i, 1);
}

function finish(ctx: StepContext, run: Run, journey: LoadedJourney, nodeId: NodeId, reason: string): void {
  ctx.emit(journey, nodeId, { kind: "exit", reason });
  removeRun(ctx, run);
}

/** Follows outcomes node by node until the run pauses or ends. */
function drive(ctx: StepContext, run: Run, journey: LoadedJourney, from: LoadedNode, first: Outcome): void {
  let node = from;
  let outcome = first;
  for (let steps = 0; ; steps++) {
    if ("end" in outcome) return finish(ctx, run, journey, node.id, outcome.end);
    if ("pause" in outcome) {
      run.nodeId = node.id;
      run.wait = outcome.pause;
      return;
    }
    const target = node.next[outcome.go] ?? null;
    if (steps >= MAX_NODES_PER_STEP) return finish(ctx, run, journey, node.id, "step_limit");
    ctx.emit(journey, node.id, { kind: "move", handle: outcome.go, to: target });
    if (target === null) return finish(ctx, run, journey, node.id, "end_of_path");
    node = journey.nodes[target]!;
    run.nodeId = node.id;
    run.visits[node.id] = (run.visits[node.id] ?? 0) + 1;
    outcome = behaviourOf(node.kind).visit({ ctx, run, node, params: node.params, journey });
  }
}

function resume(ctx: StepContext, run: Run, cause: "time" | "event"): void {
  const journey = journeyOf(ctx, run);
  const node = journey?.nodes[run.nodeId];
  run.wait = null;
  if (!journey || !node) {
    // The version is gone from the feed (archived): the run cannot go on.
    ctx.emit({ journeyId: run.journeyId, version: run.version }, run.nodeId, {
      kind: "exit",
      reason: "version_removed",
    });
    removeRun(ctx, run);
    return;
  }
  const behaviour = behaviourOf(node.kind);
  const outcome = behaviour.resume
    ? behaviour.resume({ ctx, run, node, params: node.params, journey }, cause)
    : { go: "next" };
  drive(ctx, run, journey, node, outcome);
}

function enter(ctx: StepContext, journey: LoadedJourney, trigger: LoadedNode, event: EventData | null): void {
  const state = ctx.state;
  const id = journey.journeyId;
  if (ctx.world.isPaused(id)) return ctx.note(id, trigger.id, "paused", "the journey is paused: nobody enters");
  if (isHeldOut(ctx.world.holdout, id, state.userId)) return keepOut(ctx, journey, trigger);
  if (state.runs.some((r) => r.journeyId === id))
    return ctx.note(id, trigger.id, "not_entered", "already in this journey");
  const memo = state.entries[id] ?? { count: 0, lastAt: 0 };
  const tz = journey.exe.timeZone;
  const policy = journey.exe.entry;
  if (policy.reentry === "once" && memo.count > 0)
    return ctx.note(id, trigger.id, "not_entered", "entered before; this journey is once per person");
  if (
    policy.reentry === "once_per_period" &&
    memo.count > 0 &&
    periodStart(memo.lastAt, tz, policy.period) === periodStart(ctx.now, tz, policy.period)
  ) {
    return ctx.note(id, trigger.id, "not_entered", `entered already this ${policy.period}`);
  }
  const outOfGroup = groupRefusal(ctx, journey);
  if (outOfGroup !== null) return ctx.note(id, trigger.id, "not_entered", outOfGroup);
  if (policy.limit) {
    const key = entryLimitKey(id, policy.limit.per ? periodStart(ctx.now, tz, policy.limit.per) : null);
    if (ctx.used(key) >= policy.limit.count)
      return ctx.note(id, trigger.id, "not_entered", `the entry limit of ${policy.limit.count} people is reached`);
    ctx.spend(key, 1, policy.limit.count);
  }
  state.entries[id] = { count: memo.count + 1, lastAt: ctx.now };
  const run: Run = {
    journeyId: id,
    version: journey.version,
    entry: memo.count + 1,
    nodeId: trigger.id,
    startedAt: ctx.now,
    trigger: event,
    event,
    reward: null,
    visits: { [trigger.id]: 1 },
    wait: null,
  };
  state.runs.push(run);
  claimGroup(ctx, journey);
  const attributes = entryAttributes(state.profile);
  ctx.emit(journey, trigger.id, {
    kind: "enter",
    entry: run.entry,
    trigger: event ? event.type : "segment",
    ...(attributes ? { attributes } : {}),
  });
  if (journey.goal)
    state.goals.push({
      journeyId: id,
      version: journey.version,
      entry: run.entry,
      deadline: ctx.now + journey.goal.windowMs,
    });
  drive(
    ctx,
    run,
    journey,
    trigger,
    behaviourOf(trigger.kind).visit({ ctx, run, node: trigger, params: trigger.params, journey }),
  );
}

function enterOnEvent(ctx: StepContext, event: EventData): void {
  // Journeys of one group are tried highest priority first (see gates/group.ts).
  for (const journey of entryOrderOf(ctx.world)) {
    // Built per journey (an earlier journey's entry may have changed the wallet or level) but only
    // for one whose trigger takes this event: most of a workspace's journeys do not, and the wallet
    // and level views cost more than the type check.
    let data: Record<string, unknown> | null = null;
    for (const id of journey.exe.triggers) {
      const node = journey.nodes[id]!;
      if (node.entry?.on !== "event" || node.entry.event !== event.type) continue;
      // A points_expiring trigger asks for the notice of its lead only.
      if (node.entry.expiringDays !== undefined && node.entry.expiringDays !== event.props.days) continue;
      data ??= {
        event,
        profile: ctx.state.profile,
        user: { id: ctx.state.userId },
        wallet: walletData(ctx.state.wallet, ctx.now),
        level: levelData(ctx.state, ctx.world.levels, ctx.now),
      };
      if (!ctx.test(ruleOf(node, node.entry.filter), journey, data)) continue;
      enter(ctx, journey, node, event);
      break;
    }
  }
}

/**
 * Journey goals: a matching event inside the window converts an entry, whether or not its run is
 * still going. One event converts at most one entry per journey, the earliest still open, so a
 * person who re-entered is not counted twice for one purchase.
 */
function convert(ctx: StepContext, event: EventData): void {
  const kept = [];
  const converted = new Set<string>();
  for (const g of ctx.state.goals) {
    const journey = ctx.world.version(g.journeyId, g.version);
    if (
      !converted.has(g.journeyId) &&
      journey?.goal &&
      g.deadline >= ctx.now &&
      journey.goal.event === event.type &&
      ctx.test(journey.goal.rule, journey, ctx.data(null, event))
    ) {
      converted.add(g.journeyId);
      if (g.heldOut) ctx.emit(journey, null, { kind: "holdout_convert", event: event.type });
      else {
        ctx.emit(journey, null, { kind: "convert", event: event.type, entry: g.entry });
        for (const t of g.tallies ?? []) if (ctx.now < t.until) ctx.spend(t.key, 1, Number.MAX_SAFE_INTEGER);
      }
      continue;
    }
    kept.push(g);
  }
  ctx.state.goals = kept;
}

function applyExits(ctx: StepContext, event: EventData | null): void {
  for (const run of [...ctx.state.runs]) {
    const journey = journeyOf(ctx, run);
    if (!journey || ctx.world.isPaused(run.journeyId)) continue;
    for (const c of journey.exits) {
      const matches =
        c.type === "event"
          ? event !== null && event.type === c.event && ctx.test(c.rule, journey, ctx.data(run, event))
          : ctx.test(c.rule, journey, ctx.data(run, event));
      if (matches) {
        finish(ctx, run, journey, run.nodeId, c.reason);
        break;
      }
    }
  }
}

function resumeWaiting(ctx: StepContext, event: EventData): void {
  for (const run of [...ctx.state.runs]) {
    if (run.wait?.kind !== "event" || run.wait.event !== event.type || ctx.world.isPaused(run.journeyId)) continue;
    // A wait for a coupon's redemption: only that coupon's, whatever else the event carries.
    if (run.wait.coupon !== undefined && !ctx.couponsRedeemed.has(run.wait.coupon)) continue;
    const journey = journeyOf(ctx, run);
    const node = journey?.nodes[run.nodeId];
    if (!journey || !node) continue;
    const on = node.resumesOn;
    if (!on) continue;
    if (on.correlate !== null) {
      const want = run.trigger?.props[on.correlate];
      if (want === undefined || want === null || JSON.stringify(want) !== JSON.stringify(event.props[on.correlate]))
        continue;
    }
    if (!ctx.test(ruleOf(node, on.filter), journey, ctx.data(run, event))) continue;
    run.event = event;
    resume(ctx, run, "event");
  }
}

/** Re-evaluates segment membership; a change can start runs of journeys that trigger on it. */
function evaluateSegments(ctx: StepContext): void {
  const state = ctx.state;
  const data = () => ({
    profile: state.profile,
    user: { id: state.userId },
    level: levelData(state, ctx.world.levels, ctx.now),
  });
  // Attribute updates made by the runs this starts can change membership again; a few rounds settle it.
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const journey of entryOrderOf(ctx.world)) {
      for (const segment of journey.segments) {
        const key = `${journey.journeyId}/${segment.id}`;
        const was = state.segments.includes(key);
        const is = ctx.test(segment.rule, journey, data());
        if (was === is) continue;
        changed = true;
        state.segments = is ? [...state.segments, key].sort() : state.segments.filter((s) => s !== key);
        const change = is ? "enter" : "leave";
        ctx.emit(journey, null, { kind: "segment", segment: segment.id, change });
        if (!journey.segmentTriggers.has(segment.id)) continue;
        for (const id of journey.exe.triggers) {
          const node = journey.nodes[id]!;
          if (node.entry?.on === "segment" && node.entry.segment === segment.id && node.entry.change === change) {
            enter(ctx, journey, node, null);
            break;
          }
        }
      }
    }
    if (!changed) break;
  }
}
