/**
 * The engine half of the test-only "random delay" kind (shared/src/testing/random-delay.ts), built
 * as CONTRIBUTING.md says: this file is what `engine/src/core/kinds/<name>.ts` would hold.
 */
import type { randomDelay as kind } from "@lifeloop/shared/testing";
import { bucketOf } from "../core/hash.ts";
import type { BehaviourOf } from "../core/kinds/types.ts";

/** Stable per person and entry: the same input waits the same time, in simulate and live. */
export const randomDelay: BehaviourOf<typeof kind> = {
  visit: ({ ctx, run, node, params: p, journey }) => {
    const bucket = bucketOf(`${journey.journeyId}/${node.id}/${run.entry}`, ctx.state.userId);
    const until = ctx.now + p.minMs + Math.floor(((p.maxMs - p.minMs) * bucket) / 10_000);
    ctx.emit(journey, node.id, { kind: "wait", until, event: null });
    return { pause: { kind: "time", until } };
  },
  resume: ({ ctx, node, journey }) => {
    ctx.emit(journey, node.id, { kind: "resume", handle: "next" });
    return { go: "next" };
  },
};
