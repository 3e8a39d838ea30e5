import type { Behaviour } from "./types.ts";

/**
 * Behaviours a test adds for its own life (see engine/src/testing/kinds.ts), beside the kind it
 * registers in shared. Real kinds are never added here: they are listed in ./index.ts.
 */
export const testBehaviours = new Map<string, Behaviour>();
