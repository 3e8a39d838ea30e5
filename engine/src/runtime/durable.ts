import {
  dueTimes,
  newUserState,
  RuleFailure,
  step,
  type CoreEvent,
  type Effect,
  type Input,
  type StepOptions,
  type StepResult,
  type World,
} from "../core/index.ts";
import { stepFailed } from "../effects/failure.ts";
import { effectRecord, traceRecord } from "../effects/record.ts";
import { nextOccurrence, schedulesOf } from "../core/schedule.ts";
import { SpendConflict, type Store, type StoreTx } from "../store/port.ts";
import { unavailableReason } from "../store/unavailable.ts";

export interface IngestResult {
  accepted: number;
  duplicates: number;
  failed: number;
}

export interface DurableHooks {
  /** After each commit: what it applied (for metrics and channel wake-ups). */
  onCommit?: (info: { events: number; duplicates: number; ticks: number; effects: Effect[]; ms: number }) => void;
  onError?: (error: unknown, context: string) => void;
}

export interface DurableOptions extends StepOptions {
  /** Injected clock (epoch ms): the only place the runtime reads time. */
  now?: () => number;
  /** Most people a timer pass takes per transaction. */
  timerBatch?: number;
}

interface Pending {
  events: CoreEvent[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

/**
 * The core made durable. Events that arrive together are applied in one transaction (group commit)
 * and every request in the batch is answered only after that commit. Per event: append to the log
 * (a duplicate id stops here), load the person, step, then write state, timers, ledger rows with
 * guarded budget spends, outbox rows and the timeline — all in the same transaction.
 */
export class DurableEngine {
  private queue: Pending[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private world: World,
    private readonly options: DurableOptions = {},
    private readonly hooks: DurableHooks = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  setWorld(world: World): void {
    this.world = world;
  }

  get currentWorld(): World {
    return this.world;
  }

  /** Resolves once the events are committed (or were already there). */
  ingest(events: CoreEvent[]): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.flushScheduled && !this.flushing) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * Applies everything queued, a transaction per batch. One commit is in flight at a time: what
   * arrives meanwhile waits and goes into the next transaction (group commit).
   */
  flush(): Promise<void> {
    this.flushScheduled = false;
    this.flushing ??= (async () => {
      try {
        while (this.queue.length > 0) await this.commitBatch();
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async commitBatch(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    await this.commit(batch);
  }

  /** One transaction for the requests in `batch`; each request is answered after it (or fails with it). */
  private async commit(batch: Pending[]): Promise<void> {
    const started = performance.now();
    let results: IngestResult[] = [];
    let effects: Effect[] = [];
    try {
      await this.store.transaction(async (tx) => {
        // Fresh on every attempt: a store may re-run the transaction after a conflict.
        results = batch.map(() => ({ accepted: 0, duplicates: 0, failed: 0 }));
        effects = [];
        const receivedAt = this.now();
        await tx.lockUsers(usersOf(batch));
        const fresh = await tx.insertEvents(batch.flatMap((p) => p.events), receivedAt);
        let k = 0;
        for (let i = 0; i < batch.length; i++) {
          for (const event of batch[i]!.events) {
            if (!fresh[k++]) {
              results[i]!.duplicates++;
              continue;
            }
            results[i]!.accepted++;
            const failed = await this.apply(tx, event.userId, { type: "event", event }, effects);
            if (failed) {
              await tx.markEventFailed(event.id, failed.reason);
              results[i]!.failed++;
            }
          }
        }
      });
    } catch (e) {
      // Nothing of the batch was committed. When the store is unavailable (full disk, database
      // restarting) every request fails alike and its client retries. Anything else may be one
      // request's doing: commit each request on its own, so the others in the group are not
      // refused for it, and only the one that fails again is answered with its error.
      if (batch.length > 1 && unavailableReason(e) === null) {
        for (const p of batch) await this.commit([p]);
        return;
      }
      this.hooks.onError?.(e, "ingest transaction");
      for (const p of batch) p.reject(e);
      return;
    }
    const totals = results.reduce((a, r) => ({ events: a.events + r.accepted, duplicates: a.duplicates + r.duplicates }), { events: 0, duplicates: 0 });
    this.hooks.onCommit?.({ ...totals, ticks: 0, effects, ms: performance.now() - started });
    batch.forEach((p, i) => p.resolve(results[i]!));
  }

  /** One pass of the timer loop: people due now, in due order, up to a batch in one transaction. */
  async runDueTimers(): Promise<number> {
    const now = this.now();
    const paused = this.pausedJourneys();
    const started = performance.now();
    let effects: Effect[] = [];
    let fired = 0;
    await this.store.transaction(async (tx) => {
      effects = [];
      const due = await tx.claimDue(now, paused, this.options.timerBatch ?? 1000);
      fired = due.length;
      for (const d of due) {
        // A step that throws leaves the person as they were; retry in a minute rather than
        // claiming them again on every pass (and blocking the people behind them). A rule failure
        // would repeat on the same state: no retry until the person's next event, which fires what
        // was due first (as the memory runtime does).
        const failed = await this.apply(tx, d.userId, { type: "tick", at: now }, effects);
        if (failed?.rule) await tx.replaceTimers(d.userId, new Map());
        else if (failed) await tx.postponeTimers(d.userId, now + 60_000);
      }
    });
    if (fired > 0) this.hooks.onCommit?.({ events: 0, duplicates: 0, ticks: fired, effects, ms: performance.now() - started });
    return fired;
  }

  /**
   * Scheduled triggers due now: their audience (everyone the engine knows, in id order) enters a
   * batch per transaction, with the progress read (and locked) and saved in the same transaction,
   * so a crash mid-audience resumes and two workers never walk the same batch. A schedule first
   * seen after its start does not replay the past: it fires from its next occurrence on.
   */
  async runSchedules(): Promise<number> {
    const now = this.now();
    const size = this.options.timerBatch ?? 1000;
    let applied = 0;
    for (const s of schedulesOf(this.world)) {
      if (this.world.isPaused(s.journeyId)) continue;
      const key = `${s.journeyId}/${s.nodeId}/${s.start}/${s.every ?? "once"}`;
      for (;;) {
        let effects: Effect[] = [];
        const entered = await this.store.transaction(async (tx): Promise<number | null> => {
          effects = [];
          let state = await tx.scheduleState(key);
          if (!state) {
            const first = nextOccurrence(s, 0);
            state = { nextAt: first !== null && first < now ? nextOccurrence(s, now) : first, cursor: null };
            await tx.saveScheduleState(key, state);
          }
          if (state.nextAt === null || state.nextAt > now) return null;
          const at = state.nextAt;
          const batch = await tx.usersAfter(state.cursor, size);
          await tx.lockUsers(batch);
          for (const userId of batch) await this.apply(tx, userId, { type: "schedule", at, journeyId: s.journeyId, nodeId: s.nodeId }, effects);
          await tx.saveScheduleState(key, batch.length < size ? { nextAt: nextOccurrence(s, at), cursor: null } : { nextAt: at, cursor: batch[batch.length - 1]! });
          return batch.length;
        });
        if (entered === null) break;
        applied += entered;
        this.hooks.onCommit?.({ events: 0, duplicates: 0, ticks: entered, effects, ms: 0 });
      }
    }
    return applied;
  }

  private pausedJourneys(): string[] {
    return this.world.live.filter((j) => this.world.isPaused(j.journeyId)).map((j) => j.journeyId);
  }

  /**
   * One step for one person inside the caller's transaction. The state is parsed fresh from the
   * store, so a step that throws leaves nothing half-applied: the person's state is not saved and
   * the event is marked failed (kept in the log for replay), while the rest of the batch commits.
   * Returns null when the step applied, else why it did not (a rule's failure is also written to
   * the person's timeline as a `step_failed` entry).
   */
  private async apply(tx: StoreTx, userId: string, input: Input, effects: Effect[]): Promise<StepFailure | null> {
    let result: StepResult | undefined;
    let dueBefore = new Map<string, number>();
    // The core reads shared counters synchronously. A store that answers later (PostgreSQL) makes
    // the read a miss: the step stops, the counter is fetched (and locked), and the step runs
    // again on a fresh copy of the state — the core is pure, so a re-run is the same step.
    // Only the core's own errors make a step "failed"; a store error fails the whole transaction.
    const known = new Map<string, number>();
    for (let attempt = 0; result === undefined; attempt++) {
      const state = (await tx.loadState(userId)) ?? newUserState(userId);
      const misses: Array<Promise<void>> = [];
      const used = (key: string): number => {
        const hit = known.get(key);
        if (hit !== undefined) return hit;
        const value = tx.counterUsed(key);
        if (typeof value === "number") {
          known.set(key, value);
          return value;
        }
        misses.push(value.then((n) => void known.set(key, n)));
        throw COUNTER_MISS;
      };
      try {
        dueBefore = dueTimes(state);
        result = step(state, input, this.world, { used }, this.options);
      } catch (e) {
        if (e === COUNTER_MISS && attempt < 100) {
          await Promise.all(misses);
          continue;
        }
        this.hooks.onError?.(e, `step for ${userId}`);
        if (!(e instanceof RuleFailure)) return { reason: "the engine could not apply this event; see the logs", rule: false };
        const failed = stepFailed(e, userId, input);
        await tx.appendTimeline(userId, failed.at, JSON.stringify([failed.record]), this.now());
        return { reason: failed.reason, rule: true };
      }
    }
    for (const spend of result.spends) {
      // The core decided on the store's view of the counter; a refused guard means another writer
      // spent from it meanwhile (never with one writer): the store re-runs the whole transaction.
      if (!(await tx.applySpend(spend))) throw new SpendConflict(`counter ${spend.key} would pass its limit of ${spend.limit}`);
    }
    const now = this.now();
    const records: object[] = [];
    await tx.saveState(result.state, now);
    const dueAfter = dueTimes(result.state);
    if (!sameDue(dueBefore, dueAfter)) await tx.replaceTimers(userId, dueAfter);
    for (const e of result.effects) {
      if (e.kind === "reward") {
        const fresh = await tx.insertGrant({
          grantKey: e.grantKey,
          userId,
          journeyId: e.journeyId,
          version: e.version,
          nodeId: e.nodeId!,
          type: e.reward.type,
          amount: e.reward.amount,
          code: e.reward.code,
          unit: e.reward.unit,
          budgetId: e.budget,
          at: e.at,
        });
        if (fresh) {
          await tx.insertOutbox({ key: `reward:${e.grantKey}`, kind: "reward", userId, journeyId: e.journeyId, nodeId: e.nodeId!, channel: "reward", payload: JSON.stringify(effectRecord(e, { internal: true })), createdAt: now });
        }
      } else if (e.kind === "message") {
        await tx.insertOutbox({ key: `message:${e.outboxKey}`, kind: "message", userId, journeyId: e.journeyId, nodeId: e.nodeId!, channel: e.channel, payload: JSON.stringify(effectRecord(e, { internal: true })), createdAt: now });
      }
      if (e.kind !== "move") records.push(effectRecord(e));
      effects.push(e);
    }
    for (const t of result.trace) records.push({ ...traceRecord(userId, t), kind: "trace" });
    // One timeline row per step (an array of what happened and why): one write, not one per effect.
    if (records.length > 0) await tx.appendTimeline(userId, result.state.clock, JSON.stringify(records), now);
    return null;
  }
}

/** Why a step was not applied; `rule`: a rule failed on this person's data (the same state fails the same way). */
interface StepFailure {
  reason: string;
  rule: boolean;
}

const COUNTER_MISS = Symbol("counter not read yet");

/** The people of a batch, once each. */
function usersOf(batch: Pending[]): string[] {
  const users = new Set<string>();
  for (const p of batch) for (const e of p.events) users.add(e.userId);
  return [...users];
}

function sameDue(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
