import type { KindBehaviour } from "./types.ts";

/** The first branch whose rule holds, else "else". */
export const split: KindBehaviour<"split"> = {
  visit: ({ ctx, run, node, params, journey }) => {
    const data = ctx.data(run);
    const match = params.branches.find((b) => ctx.test(node.rules[b.handle], journey, data));
    const handle = match?.handle ?? "else";
    const rules = params.branches.map((b) => node.rules[b.handle]);
    ctx.emit(journey, node.id, { kind: "decide", handle, inputs: ctx.inputs(rules, journey, data) });
    return { go: handle };
  },
};
