/**
 * The one registry of node kinds. The compiler, the engine's runtime table, the editor's palette
 * and inspector all read this list; adding a kind is a module beside this file plus one line here.
 */
import { condition } from "./condition.ts";
import { exit } from "./exit.ts";
import { experiment } from "./experiment.ts";
import { goal } from "./goal.ts";
import { message } from "./message.ts";
import { reward } from "./reward.ts";
import { split } from "./split.ts";
import { trigger } from "./trigger.ts";
import type { NodeKindDef } from "./types.ts";
import { updateAttribute } from "./update-attribute.ts";
import { wait } from "./wait.ts";

export const KINDS = [trigger, condition, split, experiment, wait, reward, message, updateAttribute, goal, exit] as const;

export type AnyKind = (typeof KINDS)[number];
export type NodeKindName = AnyKind["kind"];

const byName = new Map<string, NodeKindDef>(KINDS.map((k) => [k.kind, k as unknown as NodeKindDef]));

export const KIND_NAMES = KINDS.map((k) => k.kind) as NodeKindName[];

/** The kind module for a name, typed loosely for generic walkers (compiler, palette, inspector). */
export function kindOf(name: string): NodeKindDef | undefined {
  return byName.get(name);
}

export * from "./types.ts";
export { RewardSpec, rewardUnit } from "./reward.ts";
export { CHANNELS } from "./message.ts";
