import type { z } from "zod";
import type { BudgetPace } from "./reward-limits.ts";
import type { Lang, Localized, Rule } from "../schema/common.ts";

/** One outgoing branch of a node as the canvas draws it and the compiler resolves it. */
export interface HandleSpec<H extends string = string> {
  id: H;
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
  /** With its pacing, when it has one (reward-limits.ts): one budget paces one way. */
  budget: { id: string; amount: number; pace?: BudgetPace } | null;
  /** The amount is worked out from the event that reached the node (a rebate): it is paid per event. */
  fromEvent?: boolean;
  /** A fixed total the node pays out in all, across people (a red packet): it bounds every sum. */
  total?: number | null;
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
  /**
   * Message text tagged as investment promotion: an error on `field` when none of the texts carries
   * the workspace's required risk notice (forbidden phrases are checked in every template anyway).
   */
  riskNotice(texts: readonly string[], field: string): void;
  /** Notes that the node depends on a segment defined in the journey. */
  segment(id: string, field: string): void;
  error(code: string, field: string, message: string): void;
  warning(code: string, field: string, message: string): void;
}

export type JsonObject = { [key: string]: unknown };

/**
 * A rule of a node that the engine compiles once per version. `key` is how the kind's runtime
 * behaviour finds it (`node.rules[key]`); `field` is where it sits in the node's params
 * ("filter", "branches[1].rule"), so a rule that fails live is pointed at in the document.
 */
export interface RuleSpec {
  key: string;
  rule: Rule | null;
  field: string;
}

/**
 * How people start at an entry node. The engine knows these three ways in; an entry kind says
 * which one it uses and with what, and the engine does the rest (matching events, watching
 * segments, firing schedules).
 */
export type EntrySpec =
  /** An event of this type starts a run, when it passes the rule `filter` names (a key of `rules`). */
  | {
      on: "event";
      event: string;
      filter: string | null;
      /**
       * Only with the wallet's `points_expiring` event: the notice this many days before points
       * expire (the engine schedules one per lead a live journey asks for, shared/src/wallet.ts).
       */
      expiringDays?: number;
    }
  /** Entering or leaving this segment of the journey starts a run. */
  | { on: "segment"; segment: string; change: "enter" | "leave" }
  /** At `start` (local time) and then every day, week or month, for this segment's members or everyone. */
  | { on: "schedule"; start: string; every: "day" | "week" | "month" | null; segment: string | null };

/**
 * How a summary names the journey's data: the catalog's label for an event ("交易"), a property ("交易金额")
 * or an attribute ("注册时间") in the summary's language, or the raw name where none is known.
 */
export interface SummaryNames {
  event(type: string): string;
  /** A property of `event`, or of whichever event runs the node when it names none (a rebate's `of`). */
  property(name: string, event?: string): string;
  attribute(name: string): string;
}

/** Raw names, for code that has no catalog (a CLI listing, a test). */
export const RAW_NAMES: SummaryNames = { event: (t) => t, property: (p) => p, attribute: (a) => a };

/** A root of run data a kind sets for the nodes after it, that templates may read ({{reward.code}}). */
export interface ProvidedVariables {
  root: string;
  fields: readonly string[];
}

/**
 * The contract of a node kind: one module declares everything the compiler, the editor, simulate
 * and reports need to know about it, so none of them names a kind.
 *
 * Members are declared as methods on purpose: method parameters are checked bivariantly, so a kind
 * with its own params and compiled params is still a plain `NodeKindDef` where generic code (the
 * compiler, the engine's loader, the palette) holds every kind alike. Such code only ever hands a
 * kind the params that kind parsed (`params`) or compiled (`compile`), which is what makes this
 * sound; the kind's own module is checked against its exact types by `defineKind`.
 */
export interface NodeKindDef<
  K extends string = string,
  S extends z.ZodType = z.ZodType,
  C extends JsonObject = JsonObject,
  H extends string = string,
> {
  kind: K;
  params: S;
  meta: KindMeta;
  /** Params of a node freshly dropped from the palette. */
  defaults(): z.input<S>;
  handles(params: z.output<S>): Array<HandleSpec<H>>;
  /** The one line the canvas shows under the node's title, naming the journey's data as `names` does. */
  summary(params: z.output<S>, lang: Lang, names: SummaryNames): string;
  /** Params as the engine runs them: rules checked, durations in ms, no re-validation needed. */
  compile(params: z.output<S>, ctx: CompileContext): C;
  /** The rules the engine compiles for this node (none when absent). */
  rules?(compiled: C): RuleSpec[];
  /**
   * The rules the canvas says in words under the node, each with the branch it leads to (null:
   * the node's own, such as a condition's yes).
   */
  rulesShown?(params: z.output<S>): Array<{ handle: H | null; rule: unknown }>;
  /**
   * Declared by entry kinds only: how people start here. An entry node has no input (nothing
   * leads into it), and the journey's entry points are exactly its nodes of such kinds.
   */
  enters?(compiled: C): EntrySpec;
  /** Declared by kinds whose runs stop here for a while. */
  pauses?: {
    /** True when every visit stops the run for time to pass: a cycle through it is not a busy loop. */
    always(params: z.output<S>): boolean;
    /** The longest a run stays here, in ms: simulate's default end leaves that long for it to resume. */
    longestMs(compiled: C): number;
  };
  /**
   * When the run paused here for an event (a pause of kind "event"): an event only counts when its
   * props[correlate] equals the trigger event's, and when it passes the rule `filter` names.
   * Null: this node does not wait for events with these params.
   */
  resumesOn?(compiled: C): { correlate: string | null; filter: string | null } | null;
  /** Run data this kind sets for the nodes after it. */
  provides?: ProvidedVariables;
  rewardFacts?(params: z.output<S>): RewardFacts;
  /** What reports read from this kind. */
  report?: {
    /** The arms this node assigns people to, with their configured share in percent. */
    experiment?(compiled: C): {
      key: string;
      arms: Array<{ handle: string; weight: number }>;
      /** The automatic winner, when the experiment has one (the engine's core/winner.ts decides it). */
      autoWinner?: { afterMs: number | null; at: string | null; fallback: string | null };
    };
    /** True when this node's grants open a win-back window (who comes back after a coupon). */
    opensWinBack?(compiled: C): boolean;
    /** How long people get here before the next step: a win-back window after a coupon ends here. */
    winBackWindowMs?(compiled: C): number | null;
    /** The coupon pool this node hands codes from, for the report's remaining count; null: none. */
    couponPool?(compiled: C): string | null;
  };
}

/** Keeps each kind module's literal types while checking it against the registry contract. */
export function defineKind<K extends string, S extends z.ZodType, C extends JsonObject, const H extends string>(
  def: NodeKindDef<K, S, C, H>,
): NodeKindDef<K, S, C, H> {
  return def;
}

/** The params a kind's `compile` returns: what its node carries in an executable. */
export type CompiledOf<D> = D extends NodeKindDef<string, z.ZodType, infer C, string> ? C : never;
/** The handle ids a kind's nodes can have. */
export type HandleOf<D> = D extends NodeKindDef<string, z.ZodType, JsonObject, infer H> ? H : never;
/** The params of a kind's nodes in a document, as parsed. */
export type ParamsOf<D> = D extends NodeKindDef<string, infer S, JsonObject, string> ? z.output<S> : never;

export const text = (en: string, zh: string): Localized => ({ en, "zh-CN": zh });
export const pick = (lang: Lang, en: string, zh: string): string => (lang === "zh-CN" ? zh : en);

/**
 * A name set into a Chinese sentence: run together when it is Chinese ("当交易发生"), spaced off when it is
 * a raw Latin name ("当 transaction 发生").
 */
export const spaced = (name: string): string =>
  /^\p{Script=Han}(.*\p{Script=Han})?$/u.test(name) ? name : ` ${name} `;

export const NEXT: HandleSpec<"next"> = { id: "next", label: text("Next", "下一步"), required: true };
export const NEXT_OPTIONAL: HandleSpec<"next"> = { ...NEXT, required: false };
