import type { UserId } from "@lifeloop/shared";
import { dueTimes, newUserState, RuleFailure, step } from "../core/index.ts";
import type { Effect, Input, StepOptions, StepResult, TimerOwner, UserState, World } from "../core/index.ts";
import { stepFailed } from "../effects/failure.ts";
import { encodeTimelineRow } from "../effects/timeline-row.ts";
import { effectRecord, traceRecord } from "../effects/record.ts";
import type { BatchWrites, StoreTx } from "../store/port.ts";
import { couponLedgerRow } from "./coupon-ledger.ts";
import { seedWallets, walletLedgerRow } from "./wallet-ledger.ts";

/** One input for one person, in the order the batch applies them. */
export interface BatchItem {
  userId: UserId;
  input: Input;
}

/** Why an item's step was not applied; `rule`: a rule failed on this person's data (the same state fails alike). */
interface StepFailure {
  reason: string;
  rule: boolean;
}

export interface BatchOutcome {
  /** Every effect the batch committed, in item order. */
  effects: Effect[];
  /** Per item: null when its step applied, else why not. */
  failures: Array<StepFailure | null>;
}

export interface BatchContext {
  world: World;
  options: StepOptions;
  /** The engine's clock at this batch (recorded-at times, outbox creation). */
  now: number;
  onError?: (error: unknown, context: string) => void;
}

/** How many codes of a pool one read fetches, from the first a step asked for. */
const POOL_READ = 256;
const COUNTER_MISS = Symbol("counter not read yet");
const STEP_THREW = Symbol("a step threw: run the batch again, copying each state before its step");

/**
 * Applies a batch of inputs inside the caller's transaction: the people's states are loaded in one
 * read, each input is stepped in order in memory (a person's later inputs see their earlier ones;
 * shared counters see the batch's own spends), and everything is written once, by the store, in
 * one statement per table — each person's state once, however many of their events the batch held.
 *
 * A step that throws must leave its person as they were. Copying every state before every step
 * costs as much as the step itself, so the first pass steps in place; if any step throws, the
 * pass is thrown away (nothing was written yet) and run again copying each state before its step,
 * so the failed step is undone and the rest of the batch applies. Counters the store answers later
 * (PostgreSQL) are fetched and the pass re-run on fresh copies of the states — the core is pure,
 * so a re-run is the same steps.
 */
export async function applyBatch(tx: StoreTx, items: readonly BatchItem[], ctx: BatchContext): Promise<BatchOutcome> {
  const people = [...new Set(items.map((i) => i.userId))];
  const stored = await tx.loadStates(people);
  await seedWallets(tx, stored);
  const known = new Map<string, number>();
  const codes = new Map<string, string | null>();
  let safe = false;
  for (let attempt = 0; ; attempt++) {
    const misses: Array<Promise<void>> = [];
    let pass: Pass;
    try {
      pass = stepAll(tx, items, stored, { known, codes, misses }, safe, ctx);
    } catch (e) {
      if (e === COUNTER_MISS && attempt < 100) {
        await Promise.all(misses);
        continue;
      }
      if (e === STEP_THREW && !safe) {
        safe = true;
        continue;
      }
      throw e;
    }
    await tx.writeBatch(pass.writes);
    return { effects: pass.effects, failures: pass.failures };
  }
}

interface Pass {
  writes: BatchWrites;
  effects: Effect[];
  failures: Array<StepFailure | null>;
}

function stepAll(
  tx: StoreTx,
  items: readonly BatchItem[],
  stored: Map<UserId, string>,
  reads: {
    known: Map<string, number>;
    /** Coupon pools' codes read so far, by `pool index`. */
    codes: Map<string, string | null>;
    misses: Array<Promise<void>>;
  },
  safe: boolean,
  ctx: BatchContext,
): Pass {
  const { world, options, now } = ctx;
  const { known, codes, misses } = reads;
  const states = new Map<UserId, UserState>();
  const dueBefore = new Map<UserId, Map<TimerOwner, number>>();
  const changed = new Set<UserId>();
  const timerOverride = new Map<UserId, Map<TimerOwner, number>>();
  const spends = new Map<string, { amount: number; limit: number }>();
  const writes: BatchWrites = {
    now,
    states: [],
    timers: new Map(),
    grants: [],
    outbox: [],
    timeline: [],
    spends,
    failedEvents: [],
  };
  const effects: Effect[] = [];
  const failures: Array<StepFailure | null> = [];
  const used = (key: string): number => {
    const base = known.get(key);
    if (base !== undefined) return base + (spends.get(key)?.amount ?? 0);
    const value = tx.counterUsed(key);
    if (typeof value === "number") {
      known.set(key, value);
      return value + (spends.get(key)?.amount ?? 0);
    }
    misses.push(value.then((n) => void known.set(key, n)));
    throw COUNTER_MISS;
  };
  // A pool's codes are read a run at a time: a batch of grants takes them one after another.
  const poolCode = (pool: string, index: number): string | null => {
    const key = `${pool} ${index}`;
    const seen = codes.get(key);
    if (seen !== undefined) return seen;
    const keep = (run: readonly string[]) => {
      for (let i = 0; i < POOL_READ; i++) codes.set(`${pool} ${index + i}`, run[i] ?? null);
    };
    const value = tx.poolCodes(pool, index, POOL_READ);
    if (!(value instanceof Promise)) {
      keep(value);
      return codes.get(key)!;
    }
    misses.push(value.then(keep));
    throw COUNTER_MISS;
  };

  for (const item of items) {
    const { userId, input } = item;
    let state = states.get(userId);
    if (state === undefined) {
      const text = stored.get(userId);
      state = text === undefined ? newUserState(userId) : (JSON.parse(text) as UserState);
      states.set(userId, state);
      dueBefore.set(userId, dueTimes(state));
    }
    const before = safe ? structuredClone(state) : null;
    let result: StepResult;
    try {
      result = step(state, input, world, { used, poolCode }, options);
    } catch (e) {
      if (e === COUNTER_MISS) throw e;
      if (!safe) throw STEP_THREW;
      states.set(userId, before!);
      ctx.onError?.(e, `step for ${userId}`);
      let failure: StepFailure;
      if (e instanceof RuleFailure) {
        const failed = stepFailed(e, userId, input);
        writes.timeline.push({ userId, at: failed.at, record: encodeTimelineRow([failed.record], userId, failed.at) });
        failure = { reason: failed.reason, rule: true };
      } else {
        failure = { reason: "the engine could not apply this event; see the logs", rule: false };
      }
      failures.push(failure);
      if (input.type === "event") writes.failedEvents.push({ id: input.event.id, error: failure.reason });
      // A timer that fails leaves the person as they were; retry in a minute rather than claiming
      // them again on every pass (and blocking the people behind them). A rule failure would repeat
      // on the same state: no retry until the person's next event, which fires what was due first.
      else if (input.type === "tick") {
        const retry = new Map([...dueTimes(before!).keys()].map((j) => [j, now + 60_000]));
        timerOverride.set(userId, failure.rule ? new Map() : retry);
      }
      continue;
    }
    failures.push(null);
    changed.add(userId);
    states.set(userId, result.state);
    for (const spend of result.spends) {
      // The core decided on this batch's view of the counter; the store's guard checks the total.
      // Each spend passed `view + amount <= limit` with the view = stored + what the batch spent before it:
      // the total fits at the store exactly when every one of them still fits against the stored value,
      // i.e. the limit is the least headroom any spend left plus the total (one limit for all: that limit).
      // A coupon pool's spend (limit = the index it read + 1) thus passes only if nobody took that code.
      const pending = spends.get(spend.key);
      const before = pending?.amount ?? 0;
      const amount = before + spend.amount;
      const slack = Math.min(pending ? pending.limit - before : Number.POSITIVE_INFINITY, spend.limit - amount);
      spends.set(spend.key, { amount, limit: slack + amount });
    }
    const records: object[] = [];
    for (const e of result.effects) {
      if (e.kind === "reward") {
        const { type, amount, code, unit } = e.reward;
        const { journeyId, version, grantKey } = e;
        writes.grants.push({
          grantKey,
          entry: "grant",
          userId,
          journeyId,
          version,
          nodeId: e.nodeId!,
          type,
          amount,
          code,
          unit,
          budgetId: e.budget,
          at: e.at,
        });
        const payload = JSON.stringify(effectRecord(e, { internal: true }));
        const row = {
          key: `reward:${grantKey}`,
          kind: "reward" as const,
          userId,
          journeyId,
          nodeId: e.nodeId!,
          channel: "reward",
          payload,
          createdAt: now,
        };
        writes.outbox.push({ grantKey: e.grantKey, row });
      } else if (e.kind === "spend" || e.kind === "expire") {
        writes.grants.push(walletLedgerRow(e, userId));
      } else if (e.kind === "coupon_redeem" || e.kind === "coupon_expire") {
        writes.grants.push(couponLedgerRow(e, userId));
      } else if (e.kind === "message") {
        const payload = JSON.stringify(effectRecord(e, { internal: true }));
        const { journeyId, channel } = e;
        const row = {
          key: `message:${e.outboxKey}`,
          kind: "message" as const,
          userId,
          journeyId,
          nodeId: e.nodeId!,
          channel,
          payload,
          createdAt: now,
        };
        writes.outbox.push({ grantKey: null, row });
      }
      if (e.kind !== "move") records.push(effectRecord(e));
      effects.push(e);
    }
    for (const t of result.trace) records.push(traceRecord(userId, t)); // its `kind` is last already
    // One timeline row per step (an array of what happened and why), not one per effect.
    if (records.length > 0) {
      const at = result.state.clock;
      writes.timeline.push({ userId, at, record: encodeTimelineRow(records, userId, at) });
    }
  }

  for (const userId of changed) {
    const state = states.get(userId)!;
    writes.states.push(state);
    const after = dueTimes(state);
    if (!sameDue(dueBefore.get(userId)!, after)) writes.timers.set(userId, after);
  }
  for (const [userId, due] of timerOverride) if (!changed.has(userId)) writes.timers.set(userId, due);
  return { writes, effects, failures };
}

function sameDue(a: Map<TimerOwner, number>, b: Map<TimerOwner, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
