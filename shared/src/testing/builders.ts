/**
 * Small builders for journeys in tests (here, in the engine and in the API): a valid document in
 * a line, then the one thing a test is about changed.
 */
import type { JourneyInput } from "../schema/journey.ts";

export type RawNode = { id: string; kind: string; params: unknown; position?: { x: number; y: number } };
export type RawEdge = { id: string; source: string; target: string; sourceHandle?: string };

export const node = (id: string, kind: string, params: unknown): RawNode => ({ id, kind, params });

let edgeCounter = 0;
export const edge = (source: string, target: string, sourceHandle = "next", id?: string): RawEdge => ({
  id: id ?? `e_${source}_${sourceHandle}_${target}_${++edgeCounter}`,
  source,
  sourceHandle,
  target,
});

export const trigger = (id = "start", event = "registered"): RawNode => node(id, "trigger", { mode: "event", event });
export const exitNode = (id = "end", reason = "completed"): RawNode => node(id, "exit", { reason });

/** A journey document; `nodes`/`edges` default to trigger → exit. */
export function journey(
  overrides: Partial<Record<keyof JourneyInput, unknown>> & { nodes?: RawNode[]; edges?: RawEdge[] } = {},
) {
  return {
    schemaVersion: 1,
    id: "test-journey",
    name: "Test journey",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    nodes: [trigger(), exitNode()],
    edges: [edge("start", "end")],
    ...overrides,
  };
}

/** trigger → the node under test (its `handles` each to their own exit). */
export function around(subject: RawNode, handles: string[]): ReturnType<typeof journey> {
  return journey({
    nodes: [trigger(), subject, ...handles.map((h) => exitNode(`end_${h}`))],
    edges: [edge("start", subject.id), ...handles.map((h) => edge(subject.id, `end_${h}`, h))],
  });
}

/** A small valid journey: trigger → wait for an event (with timeout) → reward → exit. */
export function welcomeJourney(id = "welcome", overrides: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    id,
    name: "Welcome gift",
    description: "Registered users who log in within a day get 100 points.",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    nodes: [
      { id: "start", kind: "trigger", position: { x: 0, y: 0 }, params: { mode: "event", event: "registered" } },
      {
        id: "wait_login",
        kind: "wait",
        position: { x: 200, y: 0 },
        params: { mode: "event", event: "login", timeout: "24h" },
      },
      {
        id: "gift",
        kind: "reward",
        position: { x: 400, y: 0 },
        params: { reward: { type: "points", amount: 100 }, cap: { count: 1, period: "lifetime" } },
      },
      { id: "done", kind: "exit", position: { x: 600, y: 0 }, params: { reason: "gifted" } },
      { id: "late", kind: "exit", position: { x: 400, y: 150 }, params: { reason: "no_login" } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "wait_login" },
      { id: "e2", source: "wait_login", sourceHandle: "event", target: "gift" },
      { id: "e3", source: "wait_login", sourceHandle: "timeout", target: "late" },
      { id: "e4", source: "gift", sourceHandle: "next", target: "done" },
    ],
    ...overrides,
  };
}
