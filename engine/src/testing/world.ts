import { compileJourney, EventId, UserId } from "@lifeloop/shared";
import { World, type CoreEvent, type Effect, type InFlightPolicy, type JsonValue } from "../core/index.ts";
import { MemoryEngine } from "../runtime/memory.ts";

export function executableOf(doc: unknown) {
  const r = compileJourney(doc);
  if (!r.executable)
    throw new Error(`does not compile: ${JSON.stringify(r.issues.filter((i) => i.severity === "error"))}`);
  return r.executable;
}

export interface VersionSpec {
  doc: unknown;
  version?: number;
  inFlight?: InFlightPolicy;
}

/** A World of one journey with the given versions; the last is live. */
export function worldOf(versions: VersionSpec[], status: "live" | "paused" = "live"): World {
  const exes = versions.map((v, i) => ({
    version: v.version ?? i + 1,
    inFlight: v.inFlight ?? "keep",
    executable: executableOf(v.doc),
  }));
  return new World([
    { journeyId: exes[0]!.executable.journeyId, status, liveVersion: exes[exes.length - 1]!.version, versions: exes },
  ]);
}

let seq = 0;
/** An event at an ISO time; ids are unique per test process. */
export const ev = (userId: string, type: string, at: string, props: Record<string, JsonValue> = {}): CoreEvent => ({
  id: EventId.parse(`ev-${++seq}`),
  userId: UserId.parse(userId),
  type,
  at: Date.parse(at),
  props,
});

/** A memory engine that collects its effects. */
export function engineWith(world: World) {
  const effects: Effect[] = [];
  const trace: Array<{ userId: string; reason: string; note: string }> = [];
  const engine = new MemoryEngine(world, {
    onEffects: (e) => effects.push(...e),
    onTrace: (t, userId) => trace.push(...t.map((n) => ({ userId, reason: n.reason, note: n.note }))),
  });
  const of = (kind: Effect["kind"]) => effects.filter((e) => e.kind === kind);
  return { engine, effects, trace, of };
}
