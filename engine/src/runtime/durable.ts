import type { CoreEvent, Effect, StepOptions, World } from "../core/index.ts";
import type { JourneyId } from "@lifeloop/shared";
import { nextOccurrence, schedulesOf } from "../core/schedule.ts";
import type { SidecarStore, Store } from "../store/port.ts";
import { unavailableReason } from "../store/unavailable.ts";
import { applyBatch, type BatchItem } from "./applier.ts";
import { redeem, type RedeemOutcome, type RedeemRequest } from "./redeem.ts";
import { yieldToRequests } from "./turns.ts";

export interface IngestResult {
  accepted: number;
  duplicates: number;
  failed: number;
}

/** What the log acknowledged for one request: durably accepted, not yet (necessarily) applied. */
export interface AcceptResult {
  accepted: number;
  duplicates: number;
  /** The ids that were new (the rest were in the log already). */
  fresh: string[];
}

export interface DurableHooks {
  /** After each applier, timer or schedule commit: what it applied (for metrics and channel wake-ups). */
  onCommit?: (info: { events: number; duplicates: number; ticks: number; effects: Effect[]; ms: number }) => void;
  /** After each group commit of the log. */
  onAccept?: (info: { accepted: number; duplicates: number; ms: number }) => void;
  onError?: (error: unknown, context: string) => void;
}

export interface DurableOptions extends StepOptions {
  /** Injected clock (epoch ms): the only place the runtime reads time. */
  now?: () => number;
  /** Most people a timer pass takes per transaction. */
  timerBatch?: number;
  /** Events an applier batch takes per transaction when it is caught up (default 500). */
  applyBatch?: number;
  /**
   * The most a batch grows to while a backlog drains (default 4 × applyBatch): each full batch doubles the
   * next. Bigger batches share one commit and the index pages they touch (2000 apply ~1.5× faster
   * than 500), but one holds the event loop longer (~100 ms), so small ones serve the caught-up case.
   */
  applyBatchMax?: number;
  /**
   * Apply behind the log by itself after each group commit (the sidecar). Off: only ingest() and
   * applyPending() apply (tests that stop the process between acknowledgement and application).
   */
  autoApply?: boolean;
  /**
   * With autoApply: how long after a group commit the applier waits for more of the log before it
   * applies (default 25 ms), unless a full batch is already waiting or someone waits for
   * application (ingest(), `?wait=applied`: those apply at once). A batch has a fixed cost (its
   * commit and ~10 statements, ~4 ms here): 30 events a batch cost 2× per event what 500 do, and
   * one group commit under load holds about as many events as there are connections.
   */
  applyDelayMs?: number;
}

interface Pending {
  events: CoreEvent[];
  resolve: (r: AcceptResult) => void;
  reject: (e: unknown) => void;
}

/** The store as the engine uses it: transactions, and (optionally) the applier's read-side queries. */
type EngineStore = Store & Partial<Pick<SidecarStore, "eventsApplied">>;

/**
 * The core made durable, log first. Events that arrive together are appended to the log in one
 * transaction (group commit) and every request in the group is answered after that commit: durably
 * accepted. Behind the log, the applier reads events in order in batches, steps each person's
 * events in memory, and writes states, timers, ledger rows with guarded budget spends, outbox rows
 * and the timeline in one transaction per batch, its cursor moved in the same transaction — so each
 * event is applied exactly once, in order per person, whatever stops the process when.
 */
export class DurableEngine {
  private queue: Pending[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private applying: Promise<number> | null = null;
  /** Set while a pass runs: something was appended meanwhile, so the loop goes round once more. */
  private applyAgain = false;
  /** Resolved (and replaced) after each applier commit: waiters re-check then. */
  private appliedSignal = signal();
  private stopped = false;
  /** The applier's wait for more of the log (applyDelayMs), while one is set. */
  private applyTimer: ReturnType<typeof setTimeout> | null = null;
  /** Events acknowledged since the applier last started a pass: whether a full batch is waiting. */
  private acceptedSincePass = 0;
  private readonly now: () => number;

  constructor(
    private readonly store: EngineStore,
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

  /** Resolves once the events are in the log (or were already there): durably accepted. */
  accept(events: CoreEvent[]): Promise<AcceptResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.flushScheduled && !this.flushing) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * Accepts the events and waits until they are applied (read-your-writes: tests, replays, and
   * callers of `?wait=applied`). `failed` counts the new events whose step the core refused.
   */
  async ingest(events: CoreEvent[]): Promise<IngestResult> {
    const accepted = await this.accept(events);
    const ids = events.map((e) => e.id);
    const applied = await this.waitApplied(ids, Infinity);
    const fresh = new Set(accepted.fresh);
    return {
      accepted: accepted.accepted,
      duplicates: accepted.duplicates,
      failed: applied.failed.filter((id) => fresh.has(id)).length,
    };
  }

  /**
   * Waits until every one of these logged events is applied, or `timeoutMs` passes; applies what
   * this engine can meanwhile. Returns how many are still pending and which ones failed.
   */
  async waitApplied(ids: readonly string[], timeoutMs: number): Promise<{ pending: number; failed: string[] }> {
    const check = this.store.eventsApplied;
    if (!check) throw new Error("waitApplied: this store cannot say which events are applied");
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const next = this.appliedSignal.promise;
      await this.applyPending();
      const r = await check.call(this.store, ids);
      if (r.pending === 0 || performance.now() >= deadline) return r;
      // Another worker's partition (PostgreSQL), or an applier pass under way: look again after
      // the next local commit, or shortly.
      await Promise.race([next, sleep(Math.min(25, Math.max(1, deadline - performance.now())))]);
    }
  }

  /**
   * Appends everything queued, a transaction per group. One commit is in flight at a time: what
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

  /** One transaction appends the requests in `batch`; each request is answered after it (or fails with it). */
  private async commit(batch: Pending[]): Promise<void> {
    const started = performance.now();
    let results: AcceptResult[] = [];
    try {
      await this.store.transaction(async (tx) => {
        // Fresh on every attempt: a store may re-run the transaction after a conflict.
        results = batch.map(() => ({ accepted: 0, duplicates: 0, fresh: [] }));
        const fresh = await tx.insertEvents(
          batch.flatMap((p) => p.events),
          this.now(),
        );
        let k = 0;
        for (let i = 0; i < batch.length; i++) {
          for (const event of batch[i]!.events) {
            if (fresh[k++]) {
              results[i]!.accepted++;
              results[i]!.fresh.push(event.id);
            } else results[i]!.duplicates++;
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
    const totals = results.reduce(
      (a, r) => ({ accepted: a.accepted + r.accepted, duplicates: a.duplicates + r.duplicates }),
      { accepted: 0, duplicates: 0 },
    );
    this.hooks.onAccept?.({ ...totals, ms: performance.now() - started });
    batch.forEach((p, i) => p.resolve(results[i]!));
    if (this.options.autoApply && totals.accepted > 0) this.applySoon(totals.accepted);
  }

  /** After a group commit: apply once a full batch waits, or once the applier's delay has passed. */
  private applySoon(accepted: number): void {
    this.acceptedSincePass += accepted;
    const delay = this.options.applyDelayMs ?? 25;
    if (delay <= 0 || this.acceptedSincePass >= this.batchSize) {
      if (this.applyTimer) clearTimeout(this.applyTimer);
      this.applyTimer = null;
      // Failures are reported through hooks.onError; the next commit or the sidecar's interval retries.
      void this.applyPending().catch(() => {});
      return;
    }
    this.applyTimer ??= setTimeout(() => {
      this.applyTimer = null;
      void this.applyPending().catch(() => {});
    }, delay);
  }

  /**
   * Applies the log up to its end (what was appended while this ran included). One pass at a
   * time: a caller during a pass waits for it (and for the pass after it, if it appended meanwhile).
   * Resolves with how many events this call applied; rejects when a batch failed (the store away).
   */
  applyPending(): Promise<number> {
    if (this.applying) {
      this.applyAgain = true;
      return this.applying;
    }
    if (this.applyTimer) clearTimeout(this.applyTimer);
    this.applyTimer = null;
    this.applying = (async () => {
      let applied = 0;
      let size = this.batchSize;
      try {
        do {
          this.applyAgain = false;
          this.acceptedSincePass = 0;
          while (!this.stopped) {
            const n = await this.applyLogBatch(size);
            applied += n;
            // A short batch reached the end of the log (what is appended meanwhile sets applyAgain).
            if (n < size) {
              size = this.batchSize;
              break;
            }
            size = Math.min(size * 2, Math.max(this.batchSize, this.options.applyBatchMax ?? 4 * this.batchSize));
            // Let requests (and new connections) in between batches while a backlog drains.
            await yieldToRequests();
          }
        } while (this.applyAgain && !this.stopped);
        return applied;
      } catch (e) {
        this.hooks.onError?.(e, "applier batch");
        throw e;
      } finally {
        this.applying = null;
      }
    })();
    return this.applying;
  }

  /** Stops applying (shutdown): waits for the batch under way; what is left stays in the log for the next start. */
  async stopApplying(): Promise<void> {
    this.stopped = true;
    if (this.applyTimer) clearTimeout(this.applyTimer);
    this.applyTimer = null;
    if (this.applying) await this.applying.catch(() => {});
  }

  /** One applier batch: the next events of the log, applied and the cursor moved, in one transaction. */
  private async applyLogBatch(size: number): Promise<number> {
    const started = performance.now();
    let effects: Effect[] = [];
    const n = await this.store.transaction(async (tx) => {
      const events = await tx.readLog(size);
      if (events.length === 0) return 0;
      const items: BatchItem[] = events.map((event) => ({
        userId: event.userId,
        input: {
          type: "event",
          event: {
            id: event.id,
            userId: event.userId,
            type: event.type,
            at: event.at,
            props: event.props,
            ...(event.test ? { test: true as const } : {}),
          },
        },
      }));
      effects = (await applyBatch(tx, items, this.batchContext())).effects;
      await tx.advanceLog(events);
      return events.length;
    });
    if (n > 0) {
      this.hooks.onCommit?.({ events: n, duplicates: 0, ticks: 0, effects, ms: performance.now() - started });
      const s = this.appliedSignal;
      this.appliedSignal = signal();
      s.resolve();
    }
    return n;
  }

  /** Spends points from a person's wallet, exactly once per key (runtime/redeem.ts), at this engine's clock. */
  async redeem(request: RedeemRequest): Promise<RedeemOutcome> {
    const started = performance.now();
    const out = await redeem(this.store, request, this.batchContext());
    if ("effects" in out && out.effects.length > 0)
      this.hooks.onCommit?.({
        events: 0,
        duplicates: 0,
        ticks: 0,
        effects: out.effects,
        ms: performance.now() - started,
      });
    return out;
  }

  private get batchSize(): number {
    return this.options.applyBatch ?? 500;
  }

  private batchContext() {
    return {
      world: this.world,
      options: this.options,
      now: this.now(),
      ...(this.hooks.onError ? { onError: this.hooks.onError } : {}),
    };
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
      if (fired === 0) return;
      // The due people's states in one read, each stepped once, written once.
      const items: BatchItem[] = due.map((d) => ({ userId: d.userId, input: { type: "tick", at: now } }));
      effects = (await applyBatch(tx, items, { ...this.batchContext(), now })).effects;
    });
    if (fired > 0)
      this.hooks.onCommit?.({ events: 0, duplicates: 0, ticks: fired, effects, ms: performance.now() - started });
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
      for (let walked = 0; ; walked++) {
        // An audience is everyone: many batches. A SQLite transaction never yields to I/O (its
        // statements answer synchronously), so without a turn of the event loop between batches no
        // request, health check included, would be answered until the whole audience had entered.
        if (walked > 0) await yieldToRequests();
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
          const items: BatchItem[] = batch.map((userId) => ({
            userId,
            input: { type: "schedule", at, journeyId: s.journeyId, nodeId: s.nodeId },
          }));
          if (items.length > 0) effects = (await applyBatch(tx, items, this.batchContext())).effects;
          await tx.saveScheduleState(
            key,
            batch.length < size
              ? { nextAt: nextOccurrence(s, at), cursor: null }
              : { nextAt: at, cursor: batch[batch.length - 1]! },
          );
          return batch.length;
        });
        if (entered === null) break;
        applied += entered;
        this.hooks.onCommit?.({ events: 0, duplicates: 0, ticks: entered, effects, ms: 0 });
      }
    }
    return applied;
  }

  private pausedJourneys(): JourneyId[] {
    return this.world.live.filter((j) => this.world.isPaused(j.journeyId)).map((j) => j.journeyId);
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
