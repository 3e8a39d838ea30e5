/**
 * A test event against the live version: the engine runs it as it runs every event (the published
 * version it pulled), and the person's path is read back from the engine's timeline. Only what the
 * event did is shown: the journey's records from the event's instant on.
 */
import { TimelineRecord, type EffectRecord, type TraceRecord } from "@lifeloop/shared";
import { api } from "../api/client.ts";
import { timelineOf, type Step } from "./simulation.ts";

/** The steps of one person in one journey, in the engine's timeline from `since` (an ISO instant) on. */
export function liveSteps(
  view: { timeline: readonly unknown[] },
  journeyId: string,
  userId: string,
  since: string,
): Step[] {
  const effects: EffectRecord[] = [];
  const trace: TraceRecord[] = [];
  for (const raw of view.timeline) {
    // What the engine answered is read as the shared schema says, not trusted as typed.
    const r = TimelineRecord.safeParse(raw);
    if (!r.success || r.data.at < since) continue;
    if (r.data.kind === "trace") trace.push(r.data);
    else if (r.data.kind !== "step_failed") effects.push(r.data);
  }
  return timelineOf({ effects, trace, summary: [] }, journeyId, userId);
}

/**
 * The nodes a live run passed: the engine's timeline keeps no `move` records (each step's records
 * name their node), so the path is the nodes its records name, in order.
 */
export function livePath(steps: readonly Step[]): string[] {
  const path: string[] = [];
  for (const s of steps) if (s.nodeId && path[path.length - 1] !== s.nodeId) path.push(s.nodeId);
  return path;
}

/** The edges between consecutive nodes of a live path: the branch a decision took where it took one. */
export function livePathEdges(
  steps: readonly Step[],
  doc: { edges: ReadonlyArray<{ id: string; source: string; sourceHandle: string; target: string }> },
): string[] {
  const path = livePath(steps);
  const chose = new Map<string, string>();
  for (const { record: r } of steps) if (r.kind === "decide" && r.nodeId) chose.set(r.nodeId, r.handle);
  const out: string[] = [];
  for (let i = 1; i < path.length; i++) {
    const [from, to] = [path[i - 1]!, path[i]!];
    const links = doc.edges.filter((e) => e.source === from && e.target === to);
    const e = links.find((x) => x.sourceHandle === chose.get(from)) ?? links[0];
    if (e && !out.includes(e.id)) out.push(e.id);
  }
  return out;
}

export interface LiveAnswer {
  steps: Step[];
  /** False when the engine had not applied the event yet when the wait ran out. */
  applied: boolean;
}

/** Sends the event to the engine, waits for its effects, and reads the person's path from the timeline. */
export async function sendLive(
  journeyId: string,
  event: { id: string; userId: string; type: string; at: string; props: Record<string, unknown> },
): Promise<LiveAnswer> {
  // The form's props are JSON values (numbers, text, booleans) built by the panel.
  const accepted = await api.sendEvents([event as Parameters<typeof api.sendEvents>[0][number]]);
  const view = await api.person(event.userId);
  return { steps: liveSteps(view, journeyId, event.userId, event.at), applied: accepted.applied };
}
