import type { UserId } from "@lifeloop/shared";
import type { EffectOf, EffectRecord, TraceRecord } from "@lifeloop/shared";
import type { Effect, TraceNote } from "../core/index.ts";

/**
 * An effect as it leaves the engine (simulate output, timeline, API): times as ISO strings, the
 * common fields first in a fixed order, so the same effects always print the same bytes. The
 * shapes are the wire schemas in shared (EffectRecord, one variant per kind; TraceRecord).
 */
export type { EffectRecord, TraceRecord };

type CoreOf<K extends Effect["kind"]> = Extract<Effect, { kind: K }>;
/**
 * Compile-time: the core's effects and the wire schemas name the same kinds with the same fields.
 * A kind or field added on one side only makes this `false` and the assignment below fails.
 */
type SameKinds = [Effect["kind"]] extends [EffectRecord["kind"]]
  ? [EffectRecord["kind"]] extends [Effect["kind"]]
    ? true
    : false
  : false;
type SameFields = {
  [K in Effect["kind"]]: [keyof CoreOf<K>] extends [keyof EffectOf<K>]
    ? [keyof EffectOf<K>] extends [keyof CoreOf<K>]
      ? true
      : false
    : false;
}[Effect["kind"]];
const matchesWire: [SameKinds, SameFields] = [true, true];
void matchesWire;

/**
 * Epoch ms as ISO text. A step's records nearly all carry the step's time, and the applier writes
 * each reward twice (outbox, timeline): the last answer is kept, so a batch formats each time once.
 */
let lastMs = Number.NaN;
let lastIso = "";
const iso = (ms: number): string => {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
};
/** The fields every record starts with, in this order; the rest follow in the effect's own order. */
const HEAD_FIELDS = new Set(["at", "userId", "journeyId", "version", "nodeId", "kind"]);
const TIME_FIELDS = new Set(["until", "issuedAt"]);
const INTERNAL_FIELDS = new Set(["grantKey", "outboxKey"]);

export function effectRecord(e: Effect, options: { internal?: boolean } = {}): EffectRecord {
  // The head in its fixed order: the timeline's encoding (timeline-row.ts) reads the keys' order.
  const out: Record<string, unknown> = {
    at: iso(e.at),
    userId: e.userId,
    journeyId: e.journeyId,
    version: e.version,
    nodeId: e.nodeId,
    kind: e.kind,
  };
  const internal = options.internal === true;
  // Keys and one lookup each, not a rest copy and Object.entries: this runs for every record the
  // applier writes, and those two were a fifth of its stepping time (profiled). An effect is a
  // plain object of data fields, so reading it by key is reading those fields.
  const fields = e as unknown as Record<string, unknown>;
  for (const k of Object.keys(e)) {
    if (HEAD_FIELDS.has(k) || (!internal && INTERNAL_FIELDS.has(k))) continue;
    const v = fields[k];
    out[k] = TIME_FIELDS.has(k) && typeof v === "number" ? iso(v) : v;
  }
  // The fields are the core effect's (the same per kind, checked above) with its times made ISO:
  // the wire variant of `kind`. effects/record.test.ts parses every sample's effects to prove it.
  return out as EffectRecord;
}

export function traceRecord(userId: UserId, t: TraceNote): TraceRecord {
  // `kind` last: the durable runtime's timeline wrote `{ ...record, kind: "trace" }`, same bytes.
  return {
    at: iso(t.at),
    userId,
    journeyId: t.journeyId,
    nodeId: t.nodeId,
    note: t.note,
    reason: t.reason,
    ...(t.test ? { test: true } : {}),
    kind: "trace",
  };
}
