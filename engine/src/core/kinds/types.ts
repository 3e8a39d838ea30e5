import type { StepContext } from "../context.ts";
import type { LoadedJourney, LoadedNode } from "../journeys.ts";
import type { Run, RunWait } from "../types.ts";

/** What a node does with a run: follow a handle, pause, or end the run with a reason. */
export type Outcome = { go: string } | { pause: RunWait } | { end: string };

export interface Visit<P = Record<string, unknown>> {
  ctx: StepContext;
  run: Run;
  node: LoadedNode;
  params: P;
  journey: LoadedJourney;
}

/**
 * The runtime behaviour of one node kind, keyed by the same name as its module in the shared
 * registry. `resume` is called when the run paused here and its time came or its event arrived.
 */
export interface Behaviour<P = Record<string, unknown>> {
  visit(v: Visit<P>): Outcome;
  resume?(v: Visit<P>, cause: "time" | "event"): Outcome;
}

export function behaviour<P>(b: Behaviour<P>): Behaviour {
  return b as unknown as Behaviour;
}
