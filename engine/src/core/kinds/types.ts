import type { CompiledOf, CompiledParams, HandleIdOf, HandleOf, JsonObject, NodeKindName } from "@lifeloop/shared";
import type { StepContext } from "../context.ts";
import type { LoadedJourney, LoadedNode } from "../journeys.ts";
import type { Run, RunWait } from "../types.ts";

/** What a node does with a run: follow one of its handles, pause, or end the run with a reason. */
export type Outcome<H extends string = string> = { go: H } | { pause: RunWait } | { end: string };

export interface Visit<P = JsonObject> {
  ctx: StepContext;
  run: Run;
  node: LoadedNode;
  /** The node's params as its kind compiled them. */
  params: P;
  journey: LoadedJourney;
}

/**
 * The runtime behaviour of one node kind, keyed by the same name as its module in the shared
 * registry. `resume` is called when the run paused here and its time came or its event arrived.
 *
 * Methods, not function properties, so a behaviour typed for its kind's compiled params and handles
 * is still a plain `Behaviour` where the step loop holds them all alike: the loop only ever hands a
 * behaviour the params its kind compiled (the executable's node of that kind), which keeps it sound.
 */
export interface Behaviour<P = JsonObject, H extends string = string> {
  visit(v: Visit<P>): Outcome<H>;
  resume?(v: Visit<P>, cause: "time" | "event"): Outcome<H>;
}

/** The behaviour of a registered kind: params typed `CompiledParams<K>`, handles `HandleIdOf<K>`. */
export type KindBehaviour<K extends NodeKindName> = Behaviour<CompiledParams<K>, HandleIdOf<K>>;
/** The behaviour of a kind module (one a test registers): typed from that module the same way. */
export type BehaviourOf<D> = Behaviour<CompiledOf<D>, HandleOf<D>>;
