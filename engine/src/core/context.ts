import { truthy, type EvalEnv, type NodeId } from "@lifeloop/shared";
import { readSeries } from "./aggregates.ts";
import type { ChannelCap } from "./gates/channel-cap.ts";
import type { JsonValue } from "./json.ts";
import type { LoadedJourney, LoadedRule, World } from "./journeys.ts";
import { levelData } from "./levels.ts";
import { walletData } from "./wallet.ts";
import type { Counters, Effect, EventData, JourneyOrNone, Run, Spend, TraceNote, UserState } from "./types.ts";

/** Distributes Omit over the effect union so each kind keeps its own fields. */
type EffectFields<E> = E extends unknown ? Omit<E, "at" | "userId" | "journeyId" | "version" | "nodeId"> : never;
export type EffectBody = EffectFields<Effect>;

/** Everything one step works with: the person's state (owned and mutated), the world, and the outputs. */
export class StepContext {
  readonly effects: Effect[] = [];
  readonly trace: TraceNote[] = [];
  readonly spends: Spend[] = [];
  private readonly spent = new Map<string, number>();
  /** Logical time of what is being applied now (a due time, or the event's time). */
  now: number;
  /** The event being applied, when the input is one: what waits, goals and exits look at. */
  event: EventData | null = null;
  /** Grant keys of the coupons this step redeemed: what a wait for a redemption resumes on. */
  readonly couponsRedeemed = new Set<string>();

  constructor(
    readonly state: UserState,
    readonly world: World,
    private readonly counters: Counters,
    /** The engine's caps across journeys, per channel (see gates/channel-cap.ts). */
    readonly channelCaps: readonly ChannelCap[] = [],
  ) {
    this.now = state.clock;
  }

  emit(journey: { journeyId: JourneyOrNone; version: number }, nodeId: NodeId | null, body: EffectBody): void {
    this.effects.push({
      at: this.now,
      userId: this.state.userId,
      journeyId: journey.journeyId,
      version: journey.version,
      nodeId,
      ...body,
      ...(this.state.test ? { test: true } : {}),
    } as Effect);
  }

  note(journeyId: JourneyOrNone, nodeId: NodeId | null, note: TraceNote["note"], reason: string): void {
    this.trace.push({ at: this.now, journeyId, nodeId, note, reason, ...(this.state.test ? { test: true } : {}) });
  }

  /** Shared counter as this step sees it: the store's value plus what this step already spent. */
  used(key: string): number {
    return this.counters.used(key) + (this.spent.get(key) ?? 0);
  }

  /** A coupon pool's code at `index` (in import order), or null when the pool has no such code. */
  poolCode(pool: string, index: number): string | null {
    return this.counters.poolCode?.(pool, index) ?? null;
  }

  spend(key: string, amount: number, limit: number): void {
    this.spent.set(key, (this.spent.get(key) ?? 0) + amount);
    this.spends.push({ key, amount, limit });
  }

  env(journey: LoadedJourney): EvalEnv {
    const series = this.state.series;
    const now = this.now;
    return {
      now,
      timeZone: journey.exe.timeZone,
      aggregate: (spec) => {
        const s = journey.seriesBySpec.get(spec.key);
        return s ? readSeries(series[s.key], s, now) : null;
      },
    };
  }

  /** What rules and templates read: the event, the run's trigger, the profile, the person, wallet and level. */
  data(run: Run | null, event: EventData | null = this.event ?? run?.event ?? null): Record<string, unknown> {
    return {
      event: event ?? {},
      trigger: run?.trigger ?? {},
      profile: this.state.profile,
      user: { id: this.state.userId },
      wallet: walletData(this.state.wallet, this.now),
      level: levelData(this.state, this.world.levels, this.now),
      reward: run?.reward ?? {},
    };
  }

  test(rule: LoadedRule | null | undefined, journey: LoadedJourney, data: Record<string, unknown>): boolean {
    if (!rule) return true;
    return truthy(rule.fn(data, this.env(journey)));
  }

  /** The values a rule read, for the "why" of a decision. */
  inputs(
    rules: Array<LoadedRule | null | undefined>,
    journey: LoadedJourney,
    data: Record<string, unknown>,
  ): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    const env = this.env(journey);
    for (const rule of rules) {
      if (!rule) continue;
      for (const read of rule.reads) {
        if (Object.hasOwn(out, read.label)) continue;
        if ("aggregate" in read) out[read.label] = env.aggregate!(read.aggregate);
        else out[read.label] = readPath(data, read.path);
      }
    }
    return out;
  }
}

function readPath(data: unknown, path: string[]): JsonValue {
  let v: unknown = data;
  for (const part of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, part)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return (v === undefined ? null : v) as JsonValue;
}
