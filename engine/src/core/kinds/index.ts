import type { NodeKindName } from "@lifeloop/shared";
import { condition } from "./condition.ts";
import { exit } from "./exit.ts";
import { experiment } from "./experiment.ts";
import { testBehaviours } from "./extra.ts";
import { goal } from "./goal.ts";
import { message } from "./message.ts";
import { reward } from "./reward.ts";
import { split } from "./split.ts";
import { trigger } from "./trigger.ts";
import type { Behaviour, KindBehaviour } from "./types.ts";
import { updateAttribute } from "./update-attribute.ts";
import { wait } from "./wait.ts";

/**
 * The engine's half of the node-kind registry: what each kind does to a run. Typed so a kind can't
 * be missed, and so each behaviour gets its kind's compiled params and may only follow its handles.
 */
export const BEHAVIOURS: { readonly [K in NodeKindName]: KindBehaviour<K> } = {
  trigger,
  condition,
  split,
  experiment,
  wait,
  reward,
  message,
  "update-attribute": updateAttribute,
  goal,
  exit,
};

const byName: ReadonlyMap<string, Behaviour> = new Map<string, Behaviour>(Object.entries(BEHAVIOURS));

/**
 * The behaviour of a node's kind. An executable names only kinds the compiler knew; one this engine
 * does not know is a deployment error (an engine older than the API that compiled the journey).
 */
export function behaviourOf(kind: string): Behaviour {
  const b = byName.get(kind) ?? testBehaviours.get(kind);
  if (!b) throw new Error(`the engine has no behaviour for node kind "${kind}": is it older than the compiler?`);
  return b;
}

export type { Behaviour, KindBehaviour, Outcome } from "./types.ts";
