import { newUserState, nextDue, step, type CoreEvent, type Effect, type Input, type StepOptions, type TraceNote, type UserState, type World } from "../core/index.ts";
import { DueHeap } from "./heap.ts";

export interface MemoryEngineHooks {
  onEffects?: (effects: Effect[], userId: string) => void;
  onTrace?: (trace: TraceNote[], userId: string) => void;
}

/**
 * The core with everything in memory and a virtual clock: what simulate runs, and the reference
 * the durable runtimes are tested against. Timers live in a heap keyed by each person's next due
 * time; shared counters (budgets, entry limits) are a map.
 */
export class MemoryEngine {
  readonly users = new Map<string, UserState>();
  readonly counters = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly heap = new DueHeap();
  private readonly scheduled = new Map<string, number>();
  duplicates = 0;
  events = 0;

  constructor(
    private world: World,
    private readonly hooks: MemoryEngineHooks = {},
    private readonly options: StepOptions = {},
  ) {}

  setWorld(world: World): void {
    this.world = world;
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

  /** Fires every timer due at or before `t`, in time order. */
  runDue(t: number): void {
    for (let top = this.heap.peek(); top && top[0] <= t; top = this.heap.peek()) {
      this.heap.pop();
      const [at, userId] = top;
      if (this.scheduled.get(userId) !== at) continue;
      this.scheduled.delete(userId);
      this.apply(userId, { type: "tick", at });
    }
  }

  apply(userId: string, input: Input): void {
    const state = this.users.get(userId) ?? newUserState(userId);
    const result = step(state, input, this.world, { used: (key) => this.counters.get(key) ?? 0 }, this.options);
    for (const s of result.spends) this.counters.set(s.key, (this.counters.get(s.key) ?? 0) + s.amount);
    this.users.set(userId, result.state);
    this.schedule(userId, result.state);
    if (result.effects.length > 0) this.hooks.onEffects?.(result.effects, userId);
    if (result.trace.length > 0) this.hooks.onTrace?.(result.trace, userId);
  }

  private schedule(userId: string, state: UserState): void {
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
