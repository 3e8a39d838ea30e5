/** The deterministic core: no I/O, no clock, no randomness. Adapters (store, server, simulate) wrap it. */
export { step, newUserState, nextDue, dueTimes, entryLimitKey, DEFAULT_LATE_TOLERANCE_MS, type StepOptions } from "./step.ts";
export { World, loadJourney, type LoadedJourney, type PublishedJourney, type InFlightPolicy } from "./journeys.ts";
export { budgetKey, grantKey } from "./kinds/reward.ts";
export { BEHAVIOURS } from "./kinds/index.ts";
export { bucketOf } from "./hash.ts";
export type * from "./types.ts";
export type { JsonValue } from "./json.ts";
export { RuleFailure, isLimitCode, type RuleSite } from "./rule-failure.ts";
