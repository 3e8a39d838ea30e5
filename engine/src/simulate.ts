import {
  EventEnvelope,
  InputError,
  kindOf,
  parseInstant,
  parseUntrustedJson,
  schemaProblems,
  toJsonPath,
  type ExecutableJourney,
  type WorkspaceHoldout,
  type WorkspaceLevels,
} from "@lifeloop/shared";
import type { ChannelCap } from "./core/gates/channel-cap.ts";
import { World, type CoreEvent, type Effect, type InFlightPolicy, type JsonValue } from "./core/index.ts";
import type { StepFailedRecord } from "./effects/failure.ts";
import { effectRecord, traceRecord, type EffectRecord, type TraceRecord } from "./effects/record.ts";
import { summarize, type JourneySummary } from "./effects/summary.ts";
import { MemoryEngine } from "./runtime/memory.ts";

export interface SimulateInput {
  /** Compiled journeys; each runs as its own live version (1 unless given). */
  journeys: Array<{ executable: ExecutableJourney; version?: number; inFlight?: InFlightPolicy }>;
  /** Events in the order they arrive; validated envelopes (see parseEventStream). */
  events: EventEnvelope[];
  /** Run timers up to this instant; defaults to the last event plus the longest the journeys can wait. */
  until?: string | number;
  lateToleranceMs?: number;
  /** The engine's frequency caps across journeys, per channel: give the sidecar's to see what live sends. */
  channelCaps?: ChannelCap[];
  /**
   * A rule that fails on the data (over a run-time limit, say): "throw" (the default) stops the
   * replay with that RuleFailure, naming the person and the event; "record" does what live does —
   * the person stays as they were, the step is listed in `failures`, the replay goes on.
   */
  onRuleFailure?: "throw" | "record";
  /** The workspace holdout, as the feed carries it live: the same people are kept out here. */
  holdout?: WorkspaceHoldout | null;
  /** The workspace's growth levels, as the feed carries them live: the same xp and levels here. */
  levels?: WorkspaceLevels | null;
  /**
   * Coupon pools' codes by pool, in import order, as the engine holds them live: grants draw them in
   * that order (a code given twice counts once, as an import skips it). Without a pool, it is empty.
   */
  pools?: Record<string, readonly string[]>;
}

export interface SimulationResult {
  effects: EffectRecord[];
  /** Why things did not happen (not entered, late events), for the per-person timeline. */
  trace: TraceRecord[];
  summary: JourneySummary[];
  stats: { events: number; duplicates: number; users: number; until: string | null };
  /** Steps abandoned because a rule failed (only with onRuleFailure: "record"). */
  failures: StepFailedRecord[];
}

/** Longest a run of these journeys can stay, so the default end lets every wait and goal window close. */
function horizonMs(journeys: ExecutableJourney[]): number {
  let longest = 0;
  for (const j of journeys) {
    let total = j.goal?.windowMs ?? 0;
    // Every node that can hold a run says for how long at most (NodeKindDef.pauses).
    for (const node of Object.values(j.nodes)) total += kindOf(node.kind)?.pauses?.longestMs(node.params) ?? 0;
    longest = Math.max(longest, total);
  }
  return Math.min(longest, 400 * 86_400_000);
}

export { RuleFailure, isLimitCode } from "./core/index.ts";
export type { StepFailedRecord } from "./effects/failure.ts";

export function toCoreEvent(e: EventEnvelope): CoreEvent {
  return {
    id: e.id,
    userId: e.userId,
    type: e.type,
    at: parseInstant(e.at)!,
    props: e.props as Record<string, JsonValue>,
    ...(e.test ? { test: true as const } : {}),
  };
}

/**
 * Runs journeys over an event stream with a virtual clock and an in-memory store: the same core the
 * sidecar runs, so what a draft does here is what it would do live. Deterministic: the same input
 * gives the same result, byte for byte. Throws RuleFailure when a rule fails on the stream's data
 * (see onRuleFailure).
 */
export function simulate(input: SimulateInput): SimulationResult {
  refuseLongSpans(input);
  const world = new World(
    input.journeys.map((j) => ({
      journeyId: j.executable.journeyId,
      status: "live" as const,
      liveVersion: j.version ?? 1,
      versions: [{ version: j.version ?? 1, inFlight: j.inFlight ?? "keep", executable: j.executable }],
    })),
    undefined,
    input.holdout ?? null,
    input.levels ?? null,
  );
  const effects: Effect[] = [];
  const trace: TraceRecord[] = [];
  const failures: StepFailedRecord[] = [];
  const engine = new MemoryEngine(
    world,
    {
      onEffects: (e) => effects.push(...e),
      onTrace: (t, userId) => trace.push(...t.map((n) => traceRecord(userId, n))),
      ...(input.onRuleFailure === "record"
        ? { onStepFailed: (record: StepFailedRecord) => void failures.push(record) }
        : {}),
    },
    {
      ...(input.lateToleranceMs === undefined ? {} : { lateToleranceMs: input.lateToleranceMs }),
      ...(input.channelCaps === undefined ? {} : { channelCaps: input.channelCaps }),
    },
  );
  for (const [pool, codes] of Object.entries(input.pools ?? {})) engine.pools.set(pool, [...new Set(codes)]);
  let last: number | null = null;
  for (const e of input.events) {
    const event = toCoreEvent(e);
    last = last === null ? event.at : Math.max(last, event.at);
    engine.ingest(event);
  }
  const until =
    input.until === undefined
      ? last === null
        ? null
        : last + horizonMs(input.journeys.map((j) => j.executable))
      : typeof input.until === "number"
        ? input.until
        : parseInstant(input.until);
  if (until !== null) engine.runDue(until);
  return {
    effects: effects.map((e) => effectRecord(e)),
    trace,
    summary: summarize(effects),
    stats: {
      events: engine.events,
      duplicates: engine.duplicates,
      users: engine.users.size,
      until: until === null ? null : new Date(until).toISOString(),
    },
    failures,
  };
}

/**
 * The most time one simulation covers, from its first event to its end. A replay's work grows with
 * the days it spans (waits fire and segments are re-checked day by day), so a stray `at` in year
 * 9999 would otherwise keep a worker busy for minutes.
 */
export const MAX_SIMULATED_SPAN_MS = 3 * 366 * 86_400_000;

function refuseLongSpans(input: SimulateInput): void {
  let first: number | null = null;
  input.events.forEach((e, i) => {
    const at = parseInstant(e.at)!;
    first ??= at;
    if (Math.abs(at - first) > MAX_SIMULATED_SPAN_MS)
      throw new InputError(
        "too_large",
        `event ${i + 1} (${e.at}) is more than 3 years from the stream's first event ` +
          `(${input.events[0]!.at}); simulate a shorter stretch`,
        `$.events[${i}].at`,
      );
  });
  const until = typeof input.until === "string" ? parseInstant(input.until) : (input.until ?? null);
  if (first !== null && until !== null && until - first > MAX_SIMULATED_SPAN_MS)
    throw new InputError(
      "too_large",
      "until is more than 3 years after the stream's first event; simulate a shorter stretch",
      "$.until",
    );
}

/** One event is small: a host that sends more is sending something else. */
export const EVENT_LIMITS = { maxBytes: 64 * 1024, maxDepth: 16 };

export interface StreamProblem {
  line: number;
  path: string;
  message: string;
}

/** JSONL → validated envelopes, or every bad line with the JSON path of what is wrong. */
export function parseEventStream(
  text: string,
  options: { maxEvents?: number } = {},
): { events: EventEnvelope[]; problems: StreamProblem[] } {
  const events: EventEnvelope[] = [];
  const problems: StreamProblem[] = [];
  const max = options.maxEvents ?? 1_000_000;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    if (events.length >= max) {
      problems.push({ line: i + 1, path: "$", message: `more than ${max} events` });
      break;
    }
    let value: unknown;
    try {
      value = parseUntrustedJson(line, EVENT_LIMITS);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push({ line: i + 1, path: e.path, message: e.message });
      continue;
    }
    const parsed = EventEnvelope.safeParse(value);
    if (!parsed.success) {
      for (const p of schemaProblems(parsed.error.issues))
        problems.push({ line: i + 1, path: toJsonPath(p.path), message: p.message });
      continue;
    }
    events.push(parsed.data);
  }
  return { events, problems };
}
