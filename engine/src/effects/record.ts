import type { Effect, TraceNote } from "../core/index.ts";

/**
 * An effect as it leaves the engine (simulate output, timeline, API): times as ISO strings, the
 * common fields first in a fixed order, so the same effects always print the same bytes.
 */
export type EffectRecord = Record<string, unknown> & {
  at: string;
  userId: string;
  journeyId: string;
  version: number;
  nodeId: string | null;
  kind: Effect["kind"];
};

const iso = (ms: number) => new Date(ms).toISOString();
const TIME_FIELDS = new Set(["until"]);
const INTERNAL_FIELDS = new Set(["grantKey", "outboxKey"]);

export function effectRecord(e: Effect, options: { internal?: boolean } = {}): EffectRecord {
  const { at, userId, journeyId, version, nodeId, kind, ...rest } = e;
  const out: EffectRecord = { at: iso(at), userId, journeyId, version, nodeId, kind };
  for (const [k, v] of Object.entries(rest)) {
    if (!options.internal && INTERNAL_FIELDS.has(k)) continue;
    out[k] = TIME_FIELDS.has(k) && typeof v === "number" ? iso(v) : v;
  }
  return out;
}

export interface TraceRecord {
  at: string;
  userId: string;
  journeyId: string;
  nodeId: string | null;
  note: TraceNote["note"];
  reason: string;
}

export function traceRecord(userId: string, t: TraceNote): TraceRecord {
  return { at: iso(t.at), userId, journeyId: t.journeyId, nodeId: t.nodeId, note: t.note, reason: t.reason };
}
