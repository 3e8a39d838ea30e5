import { behaviour } from "./types.ts";

export const exit = behaviour<{ reason: string }>({ visit: ({ params }) => ({ end: params.reason }) });
