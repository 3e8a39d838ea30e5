import type { NodeKindDef } from "./types.ts";

/**
 * Kinds a test adds for its own life (see `@lifeloop/shared/testing`), after the ones listed
 * in KINDS. Real kinds are never added here: they are listed in ./index.ts.
 */
export const testKinds = new Map<string, NodeKindDef>();
