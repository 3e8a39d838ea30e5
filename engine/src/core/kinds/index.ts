import type { NodeKindName } from "@lifeloop/shared";
import { condition } from "./condition.ts";
import { exit } from "./exit.ts";
import { experiment } from "./experiment.ts";
import { goal } from "./goal.ts";
import { message } from "./message.ts";
import { reward } from "./reward.ts";
import { split } from "./split.ts";
import { trigger } from "./trigger.ts";
import type { Behaviour } from "./types.ts";
import { updateAttribute } from "./update-attribute.ts";
import { wait } from "./wait.ts";

/** The engine's half of the node-kind registry: what each kind does to a run. Typed so a kind can't be missed. */
export const BEHAVIOURS: Record<NodeKindName, Behaviour> = {
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

export type { Behaviour, Outcome, Visit } from "./types.ts";
