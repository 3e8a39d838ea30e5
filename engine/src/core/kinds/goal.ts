import type { KindBehaviour } from "./types.ts";

/** A milestone on the path: counted in reports; the journey's conversion goal is tracked separately. */
export const goal: KindBehaviour<"goal"> = {
  visit: ({ ctx, node, params, journey }) => {
    ctx.emit(journey, node.id, { kind: "goal", name: params.name });
    return { go: "next" };
  },
};
