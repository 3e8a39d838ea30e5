import { bucketOf } from "../hash.ts";
import type { KindBehaviour } from "./types.ts";

/** Sticky by construction: the arm is a function of (experiment key, person), never of time or order. */
export const experiment: KindBehaviour<"experiment"> = {
  visit: ({ ctx, node, params, journey }) => {
    const bucket = bucketOf(params.key, ctx.state.userId);
    const arm = params.arms.find((a) => bucket < a.upToBps) ?? params.arms[params.arms.length - 1]!;
    ctx.emit(journey, node.id, { kind: "decide", handle: arm.handle, inputs: { experiment: params.key, bucket } });
    return { go: arm.handle };
  },
};
