/**
 * For tests that add a node kind of their own: registers the shared half (the kind module) and the
 * engine half (its behaviour) together, and returns how to take both out again. A real kind is
 * listed in shared/src/kinds/index.ts and engine/src/core/kinds/index.ts instead.
 */
import type { NodeKindDef } from "@lifeloop/shared";
import { registerKindForTest } from "@lifeloop/shared/testing";
import { BEHAVIOURS } from "../core/kinds/index.ts";
import { testBehaviours } from "../core/kinds/extra.ts";
import type { Behaviour } from "../core/kinds/types.ts";

export function registerKindWithBehaviourForTest(def: NodeKindDef, behaviour: Behaviour): () => void {
  if (Object.hasOwn(BEHAVIOURS, def.kind) || testBehaviours.has(def.kind)) {
    throw new Error(`the engine already has a behaviour for node kind "${def.kind}"`);
  }
  const unregister = registerKindForTest(def);
  testBehaviours.set(def.kind, behaviour);
  return () => {
    testBehaviours.delete(def.kind);
    unregister();
  };
}
