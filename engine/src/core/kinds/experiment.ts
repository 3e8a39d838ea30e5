import { bucketOf } from "../hash.ts";
import { autoWinnerArm } from "../winner.ts";
import type { KindBehaviour } from "./types.ts";

/**
 * Sticky by construction: the arm is a function of (experiment key, person), never of time or order.
 * With an automatic winner (core/winner.ts), entrants after the window's end go to the decided arm.
 */
export const experiment: KindBehaviour<"experiment"> = {
  visit: ({ ctx, run, node, params, journey }) => {
    const bucket = bucketOf(params.key, ctx.state.userId);
    const arm = params.arms.find((a) => bucket < a.upToBps) ?? params.arms[params.arms.length - 1]!;
    if (!params.autoWinner) {
      ctx.emit(journey, node.id, { kind: "decide", handle: arm.handle, inputs: { experiment: params.key, bucket } });
      return { go: arm.handle };
    }
    const routed = autoWinnerArm(ctx, journey, node.id, run, {
      experiment: params.key,
      arms: params.arms,
      autoWinner: params.autoWinner,
      drawn: arm.handle,
    });
    ctx.emit(journey, node.id, {
      kind: "decide",
      handle: routed.handle,
      inputs: { experiment: params.key, bucket, ...routed.inputs },
    });
    // The decided arm is one of the compiled arms' handles, so one of this kind's.
    return { go: routed.handle as typeof arm.handle };
  },
};
