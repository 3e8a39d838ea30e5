import {
  dueTimes,
  newUserState,
  step,
  type CoreEvent,
  type Effect,
  type Input,
  type StepOptions,
  type StepResult,
  type World,
} from "../core/index.ts";
import { effectRecord, traceRecord } from "../effects/record.ts";
import { nextOccurrence, schedulesOf } from "../core/schedule.ts";
import type { SqliteStore } from "../store/sqlite/store.ts";
import type { Store, StoreTx } from "../store/port.ts";

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
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Applies everything queued so far in one transaction. Synchronous: better-sqlite3 is. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const started = performance.now();
    const results = batch.map(() => ({ accepted: 0, duplicates: 0, failed: 0 }));
    const effects: Effect[] = [];
    try {
      this.store.transaction((tx) => {
        const receivedAt = this.now();
        batch.forEach((p, i) => {
          for (const event of p.events) {
            if (!tx.insertEvent(event, receivedAt)) {
              results[i]!.duplicates++;
              continue;
            }
            results[i]!.accepted++;
            if (!this.apply(tx, event.userId, { type: "event", event }, effects)) {
              tx.markEventFailed(event.id, "the engine could not apply this event; see the logs");
              results[i]!.failed++;
            }
          }
        });
      });
    } catch (e) {
      // Nothing of the batch was committed: every request in it fails and the client retries.
      this.hooks.onError?.(e, "ingest transaction");
      for (const p of batch) p.reject(e);
      return;
    }
    const totals = results.reduce((a, r) => ({ events: a.events + r.accepted, duplicates: a.duplicates + r.duplicates }), { events: 0, duplicates: 0 });
    this.hooks.onCommit?.({ ...totals, ticks: 0, effects, ms: performance.now() - started });
    batch.forEach((p, i) => p.resolve(results[i]!));
  }

  /** One pass of the timer loop: every person due now, in due order, a batch per transaction. */
  runDueTimers(): number {
    const now = this.now();
    const paused = this.pausedJourneys();
    const due = this.store.dueUsers(now, paused, this.options.timerBatch ?? 1000);
    if (due.length === 0) return 0;
    const started = performance.now();
    const effects: Effect[] = [];
    this.store.transaction((tx) => {
      for (const d of due) {
        // A step that throws leaves the person as they were; retry in a minute rather than
        // claiming them again on every pass (and blocking the people behind them).
        if (!this.apply(tx, d.userId, { type: "tick", at: now }, effects)) tx.postponeTimers(d.userId, now + 60_000);
      }
    });
    this.hooks.onCommit?.({ events: 0, duplicates: 0, ticks: due.length, effects, ms: performance.now() - started });
    return due.length;
  }

  /**
   * Scheduled triggers due now: their audience (everyone the engine knows, in id order) enters a
   * batch per transaction, with the progress saved in the same transaction. A schedule first seen
   * after its start does not replay the past: it fires from its next occurrence on.
   */
  runSchedules(store: SqliteStore): number {
    const now = this.now();
    let applied = 0;
    for (const s of schedulesOf(this.world)) {
      if (this.world.isPaused(s.journeyId)) continue;
      const key = `${s.journeyId}/${s.nodeId}/${s.start}/${s.every ?? "once"}`;
      const saved = store.scheduleState(key);
      let state: { nextAt: number | null; cursor: string | null };
      if (saved) state = saved;
      else {
        const first = nextOccurrence(s, 0);
        state = { nextAt: first !== null && first < now ? nextOccurrence(s, now) : first, cursor: null };
        store.saveScheduleState(key, state.nextAt, null);
      }
      while (state.nextAt !== null && state.nextAt <= now) {
        const at: number = state.nextAt;
        const batch = store.usersAfter(state.cursor, this.options.timerBatch ?? 1000);
        const done = batch.length < (this.options.timerBatch ?? 1000);
        const next: { nextAt: number | null; cursor: string | null } = done ? { nextAt: nextOccurrence(s, at), cursor: null } : { nextAt: at, cursor: batch[batch.length - 1]! };
        const effects: Effect[] = [];
        this.store.transaction((tx) => {
          for (const userId of batch) this.apply(tx, userId, { type: "schedule", at, journeyId: s.journeyId, nodeId: s.nodeId }, effects);
          store.saveScheduleState(key, next.nextAt, next.cursor);
        });
        applied += batch.length;
        this.hooks.onCommit?.({ events: 0, duplicates: 0, ticks: batch.length, effects, ms: 0 });
        state = next;
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
   */
  private apply(tx: StoreTx, userId: string, input: Input, effects: Effect[]): boolean {
    let result: StepResult;
    let dueBefore: Map<string, number>;
    try {
      const state = tx.loadState(userId) ?? newUserState(userId);
      dueBefore = dueTimes(state);
      result = step(state, input, this.world, { used: (key) => tx.counterUsed(key) }, this.options);
    } catch (e) {
      this.hooks.onError?.(e, `step for ${userId}`);
      return false;
    }
    for (const spend of result.spends) {
      // With one writer the core's view is exact, so a refused guard is a bug: fail the whole batch.
      if (!tx.applySpend(spend)) throw new Error(`counter ${spend.key} would pass its limit of ${spend.limit}`);
    }
    const now = this.now();
    const records: object[] = [];
    tx.saveState(result.state, now);
    const dueAfter = dueTimes(result.state);
    if (!sameDue(dueBefore, dueAfter)) tx.replaceTimers(userId, dueAfter);
    for (const e of result.effects) {
      if (e.kind === "reward") {
        const fresh = tx.insertGrant({
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
          tx.insertOutbox({ key: `reward:${e.grantKey}`, kind: "reward", userId, journeyId: e.journeyId, nodeId: e.nodeId!, channel: "reward", payload: JSON.stringify(effectRecord(e, { internal: true })), createdAt: now });
        }
      } else if (e.kind === "message") {
        tx.insertOutbox({ key: `message:${e.outboxKey}`, kind: "message", userId, journeyId: e.journeyId, nodeId: e.nodeId!, channel: e.channel, payload: JSON.stringify(effectRecord(e, { internal: true })), createdAt: now });
      }
      if (e.kind !== "move") records.push(effectRecord(e));
      effects.push(e);
    }
    for (const t of result.trace) records.push({ ...traceRecord(userId, t), kind: "trace" });
    // One timeline row per step (an array of what happened and why): one write, not one per effect.
    if (records.length > 0) tx.appendTimeline(userId, result.state.clock, JSON.stringify(records));
    return true;
  }
}

function sameDue(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
