import type { EffectOf, EventId, UserId, JourneyId, NodeId } from "@lifeloop/shared";
import type { JsonValue } from "./json.ts";
import type { HeldCoupon } from "./coupons.ts";
import type { LevelState } from "./levels.ts";
import type { Wallet } from "./wallet.ts";

/**
 * The engine's core works on one person at a time: their state, one input, the set of published
 * journeys, and a read view of the counters people share (budgets, entry limits). It returns the
 * new state, the effects to apply, and the shared-counter spends the store must apply with a guard.
 * No I/O, no clock, no randomness: the same arguments give the same result, byte for byte.
 */

/**
 * A journey, or "" for what belongs to none: a note about a late event, a person's segment
 * re-check timer. Kept as "" (not null) because timers and timeline records already store it so.
 */
export type JourneyOrNone = JourneyId | "";

/** Why a reward was refused: the wire schema's list (shared/src/wire/effects.ts). */
export type RefusalReason = EffectOf<"refuse">["reason"];

/**
 * What a person's timer is for: a journey, "" (the segment re-check), "#wallet" (the next points
 * expiry), "#coupons" (the next coupon expiry) or "#levels" (the next level review).
 */
export type TimerOwner = JourneyOrNone | "#wallet" | "#coupons" | "#levels";

/** An event as the core sees it: `at` in epoch ms, props already validated and size-limited. */
export interface CoreEvent {
  id: EventId;
  userId: UserId;
  type: string;
  at: number;
  props: Record<string, JsonValue>;
  /** Sent for a test person (the editor's test event): the person becomes one, left out of every report. */
  test?: true;
}

export type Input =
  /** Something the person did. */
  | { type: "event"; event: CoreEvent }
  /** Time passed: fire every wait, held message and re-check of this person due at or before `at`. */
  | { type: "tick"; at: number }
  /** A scheduled trigger fired for this person (the runtime walks the audience). */
  | { type: "schedule"; at: number; journeyId: JourneyId; nodeId: NodeId }
  /** The host redeems points from the person's wallet (POST /v1/wallet/redeem), at the engine's clock. */
  | { type: "redeem"; at: number; key: string; points: number; item: string };

/** What the person was doing in a journey: one run per entry. */
export interface Run {
  journeyId: JourneyId;
  version: number;
  /** The n-th time this person entered this journey: part of every grant key. */
  entry: number;
  nodeId: NodeId;
  startedAt: number;
  /** The event that started the run (null for segment and schedule entries). */
  trigger: EventData | null;
  /** The latest event the run acted on: what a rebate is computed from, what templates call `event`. */
  event: EventData | null;
  /** The last reward the run granted, for message templates. */
  reward: RewardData | null;
  /** Visits per node in this entry: keeps grant keys unique when a path loops. */
  visits: Record<string, number>;
  /** Why the run is not moving: a time, an awaited event (with a deadline), or a message held for quiet hours. */
  wait: RunWait | null;
}

export type RunWait =
  | { kind: "time"; until: number }
  /** `coupon`: only the redemption of this coupon (its grant key) resumes the run (a wait for a redemption). */
  | { kind: "event"; event: string; until: number | null; coupon?: string }
  | { kind: "quiet"; until: number };

export interface EventData {
  id: string;
  type: string;
  at: string;
  props: Record<string, JsonValue>;
}

export interface RewardData {
  type: string;
  amount: number | null;
  code: string | null;
  unit: string;
}

/** Per journey (across versions): how often this person entered, for re-entry policies and grant keys. */
interface EntryMemo {
  count: number;
  lastAt: number;
}

/** Per reward node (across versions), per person, per period: what the cap has used. */
export interface CapUse {
  start: number;
  count: number;
  amount: number;
}

/** A conversion still possible: the person entered and the goal window is open. */
interface PendingGoal {
  journeyId: JourneyId;
  version: number;
  entry: number;
  deadline: number;
  /** Opened for a person the workspace holdout kept out (entry 0): converts as `holdout_convert`. */
  heldOut?: true;
  /**
   * Experiment tallies a conversion adds to while before `until` (an automatic winner's window end,
   * core/winner.ts). Absent without one.
   */
  tallies?: Array<{ key: string; until: number }>;
}

/** One aggregate series: counts, sums, minimum and maximum over a window, kept as events arrive. */
export type Series =
  | { w: "life"; n: number; sum: number; min: number | null; max: number | null; last: number | null }
  | { w: "cal"; cur: Bucket; prev: Bucket | null }
  | { w: "roll"; entries: Array<[at: number, n: number, sum: number, min: number | null, max: number | null]> };

export interface Bucket {
  start: number;
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
}

export interface UserState {
  userId: UserId;
  /** The person's clock: the latest time applied. It never goes back (see docs/engine.md, "Time"). */
  clock: number;
  profile: Record<string, JsonValue>;
  series: Record<string, Series>;
  /** Segment memberships, `journeyId/segmentId`. */
  segments: string[];
  runs: Run[];
  entries: Record<string, EntryMemo>;
  caps: Record<string, CapUse>;
  /**
   * Messages sent per journey in the current frequency-cap period, and per channel (`channel/push`)
   * in the current period of the engine's cap across journeys.
   */
  sent: Record<string, CapUse>;
  goals: PendingGoal[];
  /** When segment membership is next re-checked for time passing alone, or null. */
  recheckAt: number | null;
  /** Points with something left, per grant (core/wallet.ts). Absent in states stored before wallets existed. */
  wallet?: Wallet;
  /** Coupons granted and neither redeemed nor expired yet (core/coupons.ts). Absent until the first. */
  coupons?: HeldCoupon[];
  /** Xp and growth level (core/levels.ts), once the workspace defines levels and the person earned xp. */
  levels?: LevelState;
  /** A test person (sent a test event): everything they do is marked so reports and stats leave it out. */
  test?: true;
}

/** Fields every effect carries; the kind adds its own. Times are ISO strings in output. */
interface EffectBase {
  at: number;
  userId: UserId;
  journeyId: JourneyId;
  version: number;
  nodeId: NodeId | null;
  /** A test person's: what reports and stats leave out (report/facts.ts, server/stats.ts). */
  test?: true;
}

/**
 * The wallet's spends (and refusals) belong to no journey: the host redeemed (core/wallet.ts); nor do
 * level changes (core/levels.ts). Their journey is "", as for the other records that belong to none,
 * so every journey effect keeps a JourneyId.
 */
type WalletSpendEffect = Omit<EffectBase, "journeyId"> & { journeyId: "" } & (
    | {
        kind: "spend";
        key: string;
        points: number;
        item: string;
        balance: number;
        lots: Array<{ lot: string; points: number }>;
      }
    | { kind: "spend_refused"; key: string; points: number; item: string; balance: number; detail: string }
    /** The person's growth level changed (core/levels.ts): a workspace matter, in no journey. */
    | { kind: "level"; from: string; to: string; xp: number; detail: string }
  );

/** What a coupon's redemption or expiry says about it: the grant (`lot`, its key), its code and value. */
interface CouponClose {
  lot: string;
  code: string;
  entry: number;
  issuedAt: number;
  amount: number | null;
  unit: string;
  detail: string;
}

export type Effect =
  | WalletSpendEffect
  | (EffectBase &
      /** `attributes`: the profile it entered with, bounded (entry-attributes.ts), for report breakdowns. */
      (
        | { kind: "enter"; entry: number; trigger: string; attributes?: Record<string, string> }
        | { kind: "migrate"; from: number }
        /** The run followed `handle` from nodeId to `to` (null: the handle is not connected, the run ends). */
        | { kind: "move"; handle: string; to: NodeId | null }
        | { kind: "decide"; handle: string; inputs: Record<string, JsonValue> }
        | { kind: "wait"; until: number | null; event: string | null }
        | { kind: "resume"; handle: string }
        | { kind: "reward"; reward: RewardData; grantKey: string; budget: string | null; clippedFrom: number | null }
        | { kind: "refuse"; reason: RefusalReason; detail: string }
        | { kind: "expire"; lot: string; points: number; balance: number; detail: string }
        /** A coupon granted at the node was redeemed (core/coupons.ts): `event` is the redeeming event's id. */
        | ({ kind: "coupon_redeem"; event: string } & CouponClose)
        /** A coupon granted at the node lapsed unredeemed. */
        | ({ kind: "coupon_expire" } & CouponClose)
        | { kind: "message"; channel: string; title: string | null; text: string; template: string; outboxKey: string }
        | { kind: "hold"; reason: "quiet_hours"; until: number }
        | { kind: "suppress"; reason: "frequency_cap" | "channel_cap"; detail: string }
        | { kind: "attribute"; op: string; name: string; value: JsonValue }
        | { kind: "goal"; name: string }
        | { kind: "convert"; event: string; entry: number }
        /** A held-out person did the journey's goal event within the window: for incrementality, not a conversion. */
        | { kind: "holdout_convert"; event: string }
        | { kind: "segment"; segment: string; change: "enter" | "leave" }
        | { kind: "exit"; reason: string }
      ));

/** Why something did not happen: kept in the person's timeline, not emitted as an effect. */
export interface TraceNote {
  at: number;
  journeyId: JourneyOrNone;
  nodeId: NodeId | null;
  note: "not_entered" | "late_event" | "paused";
  reason: string;
  test?: true;
}

/** A spend on a counter people share: the store applies `used + amount <= limit` or rolls back. */
export interface Spend {
  key: string;
  amount: number;
  limit: number;
}

/** Read view of shared counters (budgets, entry limits): how much is used. */
export interface Counters {
  used(key: string): number;
  /**
   * The code at `index` (0-based, in import order) of a coupon pool, or null past its end. Optional:
   * a view without pools (a test's) answers as if every pool were empty.
   */
  poolCode?(pool: string, index: number): string | null;
}

export interface StepResult {
  state: UserState;
  effects: Effect[];
  trace: TraceNote[];
  spends: Spend[];
}
