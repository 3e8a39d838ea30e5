import type { KindBehaviour } from "./types.ts";

/** Entry is decided before the run exists (see entry.ts); on the canvas a trigger just leads on. */
export const trigger: KindBehaviour<"trigger"> = { visit: () => ({ go: "next" }) };
