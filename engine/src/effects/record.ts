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

const iso = (ms: number) => new Date(ms).toISOString();
const TIME_FIELDS = new Set(["until", "issuedAt"]);
const INTERNAL_FIELDS = new Set(["grantKey", "outboxKey"]);

export function effectRecord(e: Effect, options: { internal?: boolean } = {}): EffectRecord {
  const { at, userId, journeyId, version, nodeId, kind, ...rest } = e;
  const out: Record<string, unknown> = { at: iso(at), userId, journeyId, version, nodeId, kind };
  for (const [k, v] of Object.entries(rest)) {
    if (!options.internal && INTERNAL_FIELDS.has(k)) continue;
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
