import type { KindBehaviour } from "./types.ts";

export const condition: KindBehaviour<"condition"> = {
  visit: ({ ctx, run, node, journey }) => {
    const data = ctx.data(run);
    const handle = ctx.test(node.rules.main, journey, data) ? "yes" : "no";
    ctx.emit(journey, node.id, { kind: "decide", handle, inputs: ctx.inputs([node.rules.main], journey, data) });
    return { go: handle };
  },
};
