import { z } from "zod";
import { strictObject } from "./strict.ts";
import { KINDS, type AnyKind } from "../kinds/index.ts";
import { LIMITS } from "../limits.ts";
import {
  Currency,
  Duration,
  EdgeId,
  EventType,
  HandleId,
  JourneyId,
  JsonValue,
  Name,
  NodeId,
  Period,
  Position,
  Rule,
  Slug,
  Text,
  TimeOfDay,
  TimeZone,
} from "./common.ts";
import { Segment } from "./segment.ts";

/** The document format this code writes. Older files are migrated on read (see migrate.ts). */
export const SCHEMA_VERSION = 1;

const common = {
  id: NodeId,
  label: z.string().max(120).optional(),
  /** The marketer's own words about the node (why it is there, what to check): shown on the canvas, never run. */
  note: z.string().max(1000).optional(),
  position: Position.default({ x: 0, y: 0 }),
};

/** A node is one of the registry's kinds: the union is built from the registry, never listed twice. */
const nodeVariant = (k: AnyKind) => strictObject({ ...common, kind: z.literal(k.kind), params: k.params });
export const JourneyNode = z.discriminatedUnion("kind", [nodeVariant(KINDS[0]), ...KINDS.slice(1).map(nodeVariant)]);
export type JourneyNode = z.infer<typeof JourneyNode>;

/** A node whose params are not yet checked: how drafts hold half-configured nodes. */
export const LooseNode = strictObject({ ...common, kind: z.string().max(64), params: JsonValue });

export const Edge = strictObject({
  id: EdgeId,
  source: NodeId,
  /** Which outgoing branch of the source: "next", "yes", "timeout", an arm id… */
  sourceHandle: HandleId.default("next" as z.infer<typeof HandleId>),
  target: NodeId,
});
export type Edge = z.infer<typeof Edge>;

/** Most people who may enter, in all (or per period): a launch or budget safety valve. */
const EntryLimit = strictObject(
  { limit: strictObject({ count: z.number().int().min(1), per: Period.optional() }).optional() },
  { alsoKnown: ["reentry", "period"] },
);
// Each side of the intersection knows the other's keys, so a typo of either is suggested.
const entryVariant = <S extends z.core.$ZodLooseShape>(shape: S) =>
  strictObject(shape, { alsoKnown: Object.keys(EntryLimit.shape) });
export const Entry = z
  .discriminatedUnion("reentry", [
    /** Each person enters at most once, ever. */
    entryVariant({ reentry: z.literal("once") }),
    /** A person may enter again whenever the trigger fires and no run of theirs is active. */
    entryVariant({ reentry: z.literal("always") }),
    /** At most once per calendar period in the journey's time zone. */
    entryVariant({ reentry: z.literal("once_per_period"), period: Period }),
  ])
  .and(EntryLimit);
export type Entry = z.infer<typeof Entry>;

/** The conversion the journey is for: did people do `event` within `window` of entering? */
export const Goal = strictObject({
  event: EventType,
  condition: Rule.optional(),
  window: Duration.meta({ ui: { initial: "7d" } }),
});
export type Goal = z.infer<typeof Goal>;

/** Takes people out from wherever they are: an event (e.g. they came back) or a condition on them. */
export const ExitCriterion = z.discriminatedUnion("type", [
  strictObject({
    type: z.literal("event"),
    event: EventType,
    condition: Rule.optional(),
    reason: Slug.default("exit_event"),
  }),
  strictObject({ type: z.literal("condition"), condition: Rule, reason: Slug.default("exit_condition") }),
]);
export type ExitCriterion = z.infer<typeof ExitCriterion>;

export const Settings = strictObject({
  /** Messages that respect quiet hours are held until `end` (local time). Spans midnight when start > end. */
  quietHours: strictObject({ start: TimeOfDay, end: TimeOfDay }).optional(),
  /** Most messages one person gets from this journey per period. */
  frequencyCap: strictObject({ count: z.number().int().min(1), period: Period }).optional(),
});

/**
 * Known event properties and profile attributes: offered by the editor, checked by the compiler.
 * A `money` field is a number in minor units of a currency: its event's, else the catalog's.
 */
export const FieldType = z.enum(["string", "number", "money", "boolean", "timestamp", "array"]);
export type FieldType = z.infer<typeof FieldType>;
/**
 * What people call an event, a property or an attribute, per language ("交易", "金额"): the
 * editor's words for rules and the "why" use it; nothing is compiled or run from it.
 */
export const FieldLabel = strictObject({
  en: z.string().min(1).max(64).optional(),
  "zh-CN": z.string().min(1).max(64).optional(),
});
export type FieldLabel = z.infer<typeof FieldLabel>;
export const Catalog = strictObject({
  /** The currency of money fields whose event names none (and of money attributes). */
  currency: Currency.optional(),
  events: z
    .record(
      EventType,
      strictObject({
        props: z.record(z.string().max(64), FieldType).default({}),
        currency: Currency.optional(),
        label: FieldLabel.optional(),
        /** Labels of its properties by name. */
        propLabels: z.record(z.string().max(64), FieldLabel).optional(),
      }),
    )
    .default({}),
  attributes: z.record(z.string().max(64), FieldType).default({}),
  /** Labels of the attributes by name. */
  attributeLabels: z.record(z.string().max(64), FieldLabel).optional(),
});
export type Catalog = z.infer<typeof Catalog>;

function journeyShape<N extends z.ZodType>(node: N) {
  return strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    id: JourneyId,
    name: Name,
    description: Text()
      .meta({ ui: { widget: "multiline" } })
      .default(""),
    timeZone: TimeZone,
    /**
     * Journeys that must not collide (two newcomer gifts, say) share a group: a person is in at most
     * one journey of a group at a time, and when one event would enter several, `priority` decides.
     */
    group: Slug.optional(),
    /** Within its group, the journey with the highest priority wins an entry; ties go to the lower journey id. */
    priority: z.number().int().min(-1000).max(1000).optional(),
    /**
     * With a group: after a person entered another journey of it, this one keeps them out for this long
     * (rolling, from that entry), even when that run has ended: one newcomer gift per 30 days.
     */
    groupPeriod: Duration.optional(),
    entry: Entry,
    goal: Goal.optional(),
    exitCriteria: z.array(ExitCriterion).max(20).default([]),
    settings: Settings.default({}),
    segments: z.array(Segment).max(200).default([]),
    catalog: Catalog.optional(),
    nodes: z.array(node).max(LIMITS.maxNodes),
    edges: z.array(Edge).max(LIMITS.maxEdges),
  });
}

/** A journey ready to compile: every node's params match its kind. */
export const Journey = journeyShape(JourneyNode);
export type Journey = z.infer<typeof Journey>;
export type JourneyInput = z.input<typeof Journey>;

/** A journey as a draft may hold it: the same document, nodes not yet checked against their kind. */
export const DraftJourney = journeyShape(LooseNode);
export type DraftJourney = z.infer<typeof DraftJourney>;
