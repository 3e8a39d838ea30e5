/**
 * The one registry of node kinds. The compiler, the engine's runtime table, simulate, reports, the
 * editor's palette and inspector all read this list; adding a kind is a module beside this file plus
 * one line here (see CONTRIBUTING.md, "Adding a node kind").
 */
import { condition } from "./condition.ts";
import { testKinds } from "./extra.ts";
import { exit } from "./exit.ts";
import { experiment } from "./experiment.ts";
import { goal } from "./goal.ts";
import { message } from "./message.ts";
import { reward } from "./reward.ts";
import { split } from "./split.ts";
import { trigger } from "./trigger.ts";
import type { CompiledOf, CompileContext, EntrySpec, HandleOf, NodeKindDef, ParamsOf } from "./types.ts";
import { updateAttribute } from "./update-attribute.ts";
import { wait } from "./wait.ts";

export const KINDS = [
  trigger,
  condition,
  split,
  experiment,
  wait,
  reward,
  message,
  updateAttribute,
  goal,
  exit,
] as const;

export type AnyKind = (typeof KINDS)[number];
export type NodeKindName = AnyKind["kind"];
/** The module of the kind with this name. */
export type KindNamed<K extends NodeKindName> = Extract<AnyKind, { kind: K }>;
/** What a node of this kind carries in an executable: `CompiledParams<"wait">`. */
export type CompiledParams<K extends NodeKindName> = CompiledOf<KindNamed<K>>;
/** The params of a node of this kind in a document, as parsed. */
export type KindParams<K extends NodeKindName> = ParamsOf<KindNamed<K>>;
/** The handle ids of a node of this kind: `HandleIdOf<"wait">` is "next" | "event" | "timeout". */
export type HandleIdOf<K extends NodeKindName> = HandleOf<KindNamed<K>>;

const byName = new Map<string, NodeKindDef>(KINDS.map((k) => [k.kind, k]));

/** The kind a new journey starts with (its one node): an entry kind, so the journey has a way in. */
export const STARTER_KIND: NodeKindDef = trigger;

/** The kind module for a name, typed loosely for generic walkers (compiler, engine loader, palette, inspector). */
export function kindOf(name: string): NodeKindDef | undefined {
  return byName.get(name) ?? testKinds.get(name);
}

/** Every kind, in palette order. */
export function allKinds(): NodeKindDef[] {
  return [...KINDS, ...testKinds.values()];
}

/** Names of every kind, for messages that list them. */
export function kindNames(): string[] {
  return allKinds().map((k) => k.kind);
}

/** An entry kind (one that says how people enter) has no input: nothing may lead into it. Unknown kinds have one. */
export function hasInput(name: string): boolean {
  return kindOf(name)?.enters === undefined;
}

/** A compile context that checks nothing and reports nothing: for reading what params compile to. */
export const QUIET_COMPILE: CompileContext = {
  rule: (rule) => rule ?? null,
  template: (text) => text,
  riskNotice: () => {},
  segment: () => {},
  error: () => {},
  warning: () => {},
};

/**
 * How people enter at a node of this kind with these document params; null for a kind that is no
 * entry, or params that do not parse yet (a draft being edited).
 */
export function entryOf(name: string, params: unknown): EntrySpec | null {
  const def = kindOf(name);
  if (!def?.enters) return null;
  const parsed = def.params.safeParse(params);
  return parsed.success ? def.enters(def.compile(parsed.data, QUIET_COMPILE)) : null;
}

export const KIND_NAMES = KINDS.map((k) => k.kind) as NodeKindName[];

export * from "./types.ts";
export { COUPON_REDEEMED, draftRewardUnit, PointsExpiry, RewardSpec, rewardUnit, type CouponExpiry } from "./reward.ts";
export { type BudgetPace, dailyAllowance, type IdentifierCap } from "./reward-limits.ts";
export { CHANNELS } from "./message.ts";
