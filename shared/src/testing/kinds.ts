/**
 * For tests that add a node kind of their own (the recipe test, fixtures): registers it for the
 * compiler, simulate's horizon, reports and the palette, and returns how to take it out again.
 * A real kind is listed in shared/src/kinds/index.ts instead.
 */
import { kindOf } from "../kinds/index.ts";
import { testKinds } from "../kinds/extra.ts";
import type { NodeKindDef } from "../kinds/types.ts";

export function registerKindForTest(def: NodeKindDef): () => void {
  if (kindOf(def.kind)) throw new Error(`a node kind "${def.kind}" is already registered`);
  testKinds.set(def.kind, def);
  return () => void testKinds.delete(def.kind);
}
