/** What rule builders and suggestion lists offer, read from the journey being edited. */
import { useMemo } from "react";
import { entryOf, hasInput, kindOf } from "@lifeloop/shared";
import { defaultCurrency, knownCatalog } from "../catalog/known.ts";
import { useWorkspaceCatalog } from "../catalog/observed.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import type { RuleContext } from "./rules.ts";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Events that start runs: those the journey's entry nodes enter on (their kind says how). */
function triggerEvents(doc: Doc): string[] {
  const out = new Set<string>();
  for (const n of doc.nodes) {
    const entry = entryOf(n.kind, n.params);
    if (entry?.on === "event") out.add(entry.event);
  }
  return [...out];
}

/** The parts of the journey rule builders and suggestions read; each changes rarely. */
export interface JourneyFacts {
  /** The workspace's known events under the journey's own catalog. */
  catalog: Doc["catalog"];
  /** Events the journey's own catalog declares (the rest can be added to it in one click). */
  declared: string[];
  segments: Doc["segments"];
  triggerEvents: string[];
  /** What new money is in: the journey's currency, else the workspace's. */
  currency: string | undefined;
}

const NO_SEGMENTS: Doc["segments"] = [];

/**
 * Subscribes to the journey's catalog, segments and trigger events only, so dragging a node or
 * typing elsewhere does not re-render the inspector's forms.
 */
export function useJourneyFacts(): JourneyFacts {
  const catalog = useEditor((s) => s.doc?.catalog);
  const segments = useEditor((s) => s.doc?.segments ?? NO_SEGMENTS);
  const triggers = useEditor((s) => (s.doc ? triggerEvents(s.doc).join("\n") : ""));
  const workspace = useWorkspaceCatalog();
  // The workspace's known events under the journey's own: offered with no setup.
  return useMemo(
    () => ({
      catalog: knownCatalog(catalog, workspace),
      declared: Object.keys(catalog?.events ?? {}),
      segments,
      triggerEvents: triggers ? triggers.split("\n") : [],
      currency: defaultCurrency(catalog),
    }),
    [catalog, segments, triggers, workspace],
  );
}

/**
 * The fields a rule may use where it sits: entry kinds' rules see the incoming event and the
 * person, segment conditions only the person, everything else the event, the trigger and the person.
 * `parent` is the object holding the rule: its `event` (a trigger's, a wait's, a goal's) is what
 * `event` stands for.
 */
export function ruleContextFor(facts: JourneyFacts, scope: RuleContext["scope"], parent: unknown): RuleContext {
  const eventType = isObj(parent) && typeof parent.event === "string" && parent.event ? parent.event : undefined;
  return {
    catalog: facts.catalog,
    declared: facts.declared,
    eventType,
    triggerEvents: facts.triggerEvents,
    segments: facts.segments.map((s) => ({ id: s.id, name: s.name })),
    scope,
  };
}

export function scopeOfKind(kind: string): RuleContext["scope"] {
  return kindOf(kind) && !hasInput(kind) ? "entry" : "run";
}

let zones: string[] | null = null;
/** IANA zones the browser knows, for the time-zone field's suggestions. */
function timeZones(): string[] {
  if (zones) return zones;
  // Older browsers lack it, though the ES2022 types say it is always there.
  const list: unknown = Intl.supportedValuesOf;
  zones =
    typeof list === "function"
      ? Intl.supportedValuesOf("timeZone")
      : ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "UTC"];
  if (!zones.includes("UTC")) zones = [...zones, "UTC"];
  return zones;
}

/** Currencies offered first (any ISO 4217 code may be typed). */
const CURRENCIES = ["CNY", "HKD", "USD", "EUR", "JPY", "SGD", "GBP"];

/** Suggestions for string fields by key: events from the catalog, segments and time zones of the journey. */
export function suggestionsFor(facts: JourneyFacts): Record<string, string[]> {
  const events = [...new Set([...Object.keys(facts.catalog?.events ?? {}), ...facts.triggerEvents])];
  const segments = facts.segments.map((s) => s.id);
  const attributes = Object.keys(facts.catalog?.attributes ?? {});
  // The journey's own currency first.
  const currencies = facts.currency ? [...new Set([facts.currency, ...CURRENCIES])] : CURRENCIES;
  return { event: events, segment: segments, attribute: attributes, timeZone: timeZones(), currency: currencies };
}

/** Starting values of new fields by key: new money is in the journey's currency. */
export function defaultsFor(facts: JourneyFacts): Record<string, unknown> {
  return facts.currency ? { currency: facts.currency } : {};
}
