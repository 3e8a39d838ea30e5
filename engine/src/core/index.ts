/** The deterministic core: no I/O, no clock, no randomness. Adapters (store, server, simulate) wrap it. */
export { step, newUserState, nextDue, dueTimes, type StepOptions } from "./step.ts";
export { World, type InFlightPolicy } from "./journeys.ts";
export { bucketOf } from "./hash.ts";
export type * from "./types.ts";
export type { JsonValue } from "./json.ts";
export { RuleFailure, isLimitCode } from "./rule-failure.ts";
export { poolKey } from "./pools.ts";
