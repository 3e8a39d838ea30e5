import type { UserId } from "@lifeloop/shared";
import {
  newUserState,
  nextDue,
  RuleFailure,
  step,
  type CoreEvent,
  type Effect,
  type Input,
  type StepOptions,
  type StepResult,
  type TraceNote,
  type UserState,
  type World,
} from "../core/index.ts";
import { nextOccurrence, schedulesOf, type Schedule } from "../core/schedule.ts";
import { inputEventId, stepFailed, type StepFailedRecord } from "../effects/failure.ts";
import { DueHeap } from "./heap.ts";

export interface MemoryEngineHooks {
  onEffects?: (effects: Effect[], userId: string) => void;
  onTrace?: (trace: TraceNote[], userId: UserId) => void;
  /**
   * Given: a step whose rule fails is abandoned as live abandons it — the person stays as they
   * were (each step then works on a copy of the state), the failure is reported here, the replay
   * goes on. Not given: the RuleFailure (with the person and the event) is thrown out of
   * ingest / runDue and the engine must not be used further.
   */
  onStepFailed?: (record: StepFailedRecord, failure: RuleFailure) => void;
}

/**
 * The core with everything in memory and a virtual clock: what simulate runs, and the reference
 * the durable runtimes are tested against. Timers live in a heap keyed by each person's next due
 * time; shared counters (budgets, entry limits) are a map.
 */
export class MemoryEngine {
  readonly users = new Map<UserId, UserState>();
  readonly counters = new Map<string, number>();
  /** Coupon pools' codes in import order (what the store's coupon_pool_codes holds live). */
  readonly pools = new Map<string, readonly string[]>();
  private readonly seen = new Set<string>();
  private readonly heap = new DueHeap();
  private readonly scheduled = new Map<UserId, number>();
  private schedules: Array<{ schedule: Schedule; next: number | null }> = [];
  duplicates = 0;
  events = 0;

  constructor(
    private world: World,
    private readonly hooks: MemoryEngineHooks = {},
    private readonly options: StepOptions = {},
  ) {
    this.schedules = schedulesOf(world).map((schedule) => ({ schedule, next: nextOccurrence(schedule, 0) }));
  }

  setWorld(world: World): void {
    this.world = world;
    const previous = new Map(
      this.schedules.map((s) => [
        `${s.schedule.journeyId}/${s.schedule.nodeId}/${s.schedule.start}/${s.schedule.every}`,
        s.next,
      ]),
    );
    this.schedules = schedulesOf(world).map((schedule) => ({
      schedule,
      next:
        previous.get(`${schedule.journeyId}/${schedule.nodeId}/${schedule.start}/${schedule.every}`) ??
        nextOccurrence(schedule, 0),
    }));
    for (const [userId, state] of this.users) this.schedule(userId, state);
  }

  /** Applies one event, after every timer due before it. Returns false for a duplicate id. */
  ingest(event: CoreEvent): boolean {
    if (this.seen.has(event.id)) {
      this.duplicates++;
      return false;
    }
    this.seen.add(event.id);
    this.events++;
    this.runDue(event.at);
    this.apply(event.userId, { type: "event", event });
    return true;
  }

  /**
   * Fires every timer and scheduled trigger due at or before `t`, in time order. A schedule fires
   * for everyone the engine has seen so far, in id order (the audience segment is checked per person).
   */
  runDue(t: number): void {
    for (;;) {
      let top = this.heap.peek();
      while (top && this.scheduled.get(top[1]) !== top[0]) {
        this.heap.pop();
        top = this.heap.peek();
      }
      const due = this.schedules.filter((s) => s.next !== null && s.next <= t).sort((a, b) => a.next! - b.next!)[0];
      if (due && (!top || due.next! <= top[0])) {
        const at = due.next!;
        for (const userId of [...this.users.keys()].sort())
          this.apply(userId, { type: "schedule", at, journeyId: due.schedule.journeyId, nodeId: due.schedule.nodeId });
        due.next = nextOccurrence(due.schedule, at);
        continue;
      }
      if (!top || top[0] > t) return;
      this.heap.pop();
      const [at, userId] = top;
      this.scheduled.delete(userId);
      this.apply(userId, { type: "tick", at });
    }
  }

  apply(userId: UserId, input: Input): void {
    const state = this.users.get(userId) ?? newUserState(userId);
    const onFailed = this.hooks.onStepFailed;
    let result: StepResult;
    try {
      // step() takes ownership of the state; a copy is what lets a failed step leave it untouched.
      result = step(
        onFailed ? structuredClone(state) : state,
        input,
        this.world,
        {
          used: (key) => this.counters.get(key) ?? 0,
          poolCode: (pool, index) => this.pools.get(pool)?.[index] ?? null,
        },
        this.options,
      );
    } catch (e) {
      if (!(e instanceof RuleFailure)) throw e;
      const failure = e.during(userId, inputEventId(input));
      if (!onFailed) throw failure;
      // As live: nothing of the step is kept. A failed timer is not rescheduled (runDue took it): the
      // same state fails the same way, and the person's next event fires what was due first.
      onFailed(stepFailed(failure, userId, input).record, failure);
      return;
    }
    for (const s of result.spends) this.counters.set(s.key, (this.counters.get(s.key) ?? 0) + s.amount);
    this.users.set(userId, result.state);
    this.schedule(userId, result.state);
    if (result.effects.length > 0) this.hooks.onEffects?.(result.effects, userId);
    if (result.trace.length > 0) this.hooks.onTrace?.(result.trace, userId);
  }

  private schedule(userId: UserId, state: UserState): void {
    const due = nextDue(state, this.world);
    if (due === null) {
      this.scheduled.delete(userId);
      return;
    }
    if (this.scheduled.get(userId) === due) return;
    this.scheduled.set(userId, due);
    this.heap.push(due, userId);
  }
}
