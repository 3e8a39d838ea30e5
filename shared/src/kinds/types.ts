import type { z } from "zod";
import type { Lang, Localized, Rule } from "../schema/common.ts";

/** One outgoing branch of a node as the canvas draws it and the compiler resolves it. */
export interface HandleSpec {
  id: string;
  label: Localized;
  /** A required handle left unconnected blocks publishing; an optional one ends the run there. */
  required: boolean;
}

export interface KindMeta {
  label: Localized;
  description: Localized;
  /** A single emoji: renders everywhere without an icon font. */
  icon: string;
  /** Accent colour of the node on the canvas. */
  color: string;
  category: "entry" | "logic" | "timing" | "action" | "end";
}

/** Which variables a rule may read, by where the rule sits in the journey. */
export type RuleScope =
  /** Segment conditions: about a person, not an event. */
  | "profile"
  /** Trigger filters: the incoming event and the person. */
  | "entry"
  /** Conditions, splits, goals, exits, templates: the current event, the run's trigger event, the person. */
  | "run";

/** What a reward node can cost, for budgets and the worst-case cost per user. */
export interface RewardFacts {
  /** "points", "coupons" or an ISO currency code. */
  unit: string;
  /** Most one grant can cost in that unit; null when it depends on an unbounded event amount. */
  maxPerGrant: number | null;
  cap: { count?: number; amount?: number; period: "day" | "week" | "month" | "lifetime" } | null;
  budget: { id: string; amount: number } | null;
  /** The amount is worked out from the event that reached the node (a rebate): it is paid per event. */
  fromEvent?: boolean;
}

/**
 * Services the compiler offers a kind while it compiles that kind's params. Fields are named
 * relative to the node's params ("rule", "branches[1].rule") so issues point at the exact field.
 */
export interface CompileContext {
  /**
   * Checks a rule (operators, variables, aggregates, segments) and returns it for the graph.
   * `eventType` names the event `event` stands for in this rule, when the kind knows it.
   */
  rule(rule: Rule | undefined, field: string, scope: RuleScope, eventType?: string): Rule | null;
  /**
   * Checks the {{variables}} of a message template; returns the template as the engine renders it
   * (a `| money` on a catalog money field is given that field's currency).
   */
  template(text: string, field: string): string;
  /** Notes that the node depends on a segment defined in the journey. */
  segment(id: string, field: string): void;
  error(code: string, field: string, message: string): void;
  warning(code: string, field: string, message: string): void;
}

export type JsonObject = { [key: string]: unknown };

export interface NodeKindDef<K extends string = string, S extends z.ZodType = z.ZodType> {
  kind: K;
  params: S;
  meta: KindMeta;
  /** Params of a node freshly dropped from the palette. */
  defaults: () => z.input<S>;
  handles: (params: z.output<S>) => HandleSpec[];
  /** The one line the canvas shows under the node's title. */
  summary: (params: z.output<S>, lang: Lang) => string;
  /** Params as the engine runs them: rules checked, durations in ms, no re-validation needed. */
  compile: (params: z.output<S>, ctx: CompileContext) => JsonObject;
  /** True when the run stops here for time to pass: a cycle through such a node is not a busy loop. */
  pausesRun?: (params: z.output<S>) => boolean;
  rewardFacts?: (params: z.output<S>) => RewardFacts;
}

/** Keeps each kind module's literal types while checking it against the registry contract. */
export function defineKind<K extends string, S extends z.ZodType>(def: NodeKindDef<K, S>): NodeKindDef<K, S> {
  return def;
}

export const text = (en: string, zh: string): Localized => ({ en, "zh-CN": zh });
export const pick = (lang: Lang, en: string, zh: string): string => (lang === "zh-CN" ? zh : en);

export const NEXT: HandleSpec = { id: "next", label: text("Next", "下一步"), required: true };
export const NEXT_OPTIONAL: HandleSpec = { ...NEXT, required: false };
