import type { KindBehaviour } from "./types.ts";

export const exit: KindBehaviour<"exit"> = { visit: ({ params }) => ({ end: params.reason }) };
