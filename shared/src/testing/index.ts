/**
 * @lifeloop/shared/testing: what tests in other packages build journeys from. Journey and node
 * builders, the welcome-gift journey, and a node kind only tests know (random delay) with the way to
 * register it for one test, and the check that holds a service's answers against its /openapi.json.
 * Not part of the product's surface: nothing outside tests and benches uses it.
 */
export { around, edge, exitNode, journey, node, trigger, welcomeJourney } from "./builders.ts";
export { registerKindForTest } from "./kinds.ts";
export { randomDelay } from "./random-delay.ts";
export { contractAt, type Contract } from "./contract.ts";
