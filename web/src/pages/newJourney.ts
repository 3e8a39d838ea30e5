/**
 * New journeys: a blank document, a copy of a sample as a template, and the checks on the name,
 * id and time zone people type. Pure functions, so the list page stays a view and tests need no DOM.
 * The samples are bundled at build time, so templates work offline and in tests.
 */
import {
  JourneyId,
  Name,
  type NodeId,
  SCHEMA_VERSION,
  slugify,
  STARTER_KIND,
  TimeZone,
  uniqueId,
  type DraftJourney,
  type Lang,
} from "@lifeloop/shared";

/** The sample journeys, read when the editor is built (not fetched). */
const SAMPLES = import.meta.glob<DraftJourney>("../../../samples/journeys/*.json", { eager: true, import: "default" });

export interface Template {
  /** The sample's file name without `.json` (also its document id). */
  sampleId: string;
  name: string;
  /** The sample's description as written: "English / 中文" when it carries both. */
  description: string;
  nodeCount: number;
  timeZone: string;
  doc: DraftJourney;
}

export const TEMPLATES: Template[] = Object.entries(SAMPLES)
  .map(([path, doc]) => ({
    sampleId: /([^/]+)\.json$/.exec(path)![1]!,
    name: doc.name,
    description: doc.description ?? "",
    nodeCount: doc.nodes.length,
    timeZone: doc.timeZone,
    doc,
  }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The samples' descriptions are "English / 中文": the part in the viewer's language. */
export function describeIn(description: string, lang: Lang): string {
  const parts = description.split(" / ");
  if (parts.length < 2) return description;
  const zh = parts.findIndex((p) => /[\u4e00-\u9fff]/.test(p));
  if (zh <= 0) return description;
  return lang === "zh-CN" ? parts.slice(zh).join(" / ") : parts.slice(0, zh).join(" / ");
}

export interface NewJourneyFields {
  id: string;
  name: string;
  timeZone: string;
}

/**
 * The smallest valid document: one trigger with the registry's defaults, nothing after it. The
 * compiler says, once and about the journey (no node in red), that a first step is still to add.
 */
export function blankJourney({ id, name, timeZone }: NewJourneyFields): DraftJourney {
  const starter = STARTER_KIND;
  return {
    schemaVersion: SCHEMA_VERSION,
    id: id as JourneyId,
    name,
    description: "",
    timeZone,
    entry: { reentry: "once" },
    exitCriteria: [],
    settings: {},
    segments: [],
    nodes: [
      {
        id: starter.kind as NodeId,
        kind: starter.kind,
        position: { x: 80, y: 200 },
        params: starter.defaults() as DraftJourney["nodes"][number]["params"],
      },
    ],
    edges: [],
  };
}

/** The template's document under a new id and name (and time zone); nodes, edges and rules unchanged. */
export function fromTemplate(template: Template, { id, name, timeZone }: NewJourneyFields): DraftJourney {
  return { ...structuredClone(template.doc), id: id as JourneyId, name, timeZone };
}

/** A journey id from a name, by the same rule as the API (shared's slugify); Chinese-only names give the fallback. */
export const slugifyId = (name: string, fallback = "journey"): string => slugify(name, fallback);

/** `base` if none of `taken` has it, else `base-2`, `base-3`… (shared's uniqueId). */
export function uniqueIdAmong(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  return uniqueId(base, (id) => used.has(id));
}

/** What is wrong with each field, as a strings key (null: fine). The shared schemas decide. */
export function checkFields(f: NewJourneyFields): Partial<Record<keyof NewJourneyFields, string>> {
  const out: Partial<Record<keyof NewJourneyFields, string>> = {};
  if (!Name.safeParse(f.name).success) out.name = "newJourney.error.name";
  if (!JourneyId.safeParse(f.id).success) out.id = "newJourney.error.id";
  if (!TimeZone.safeParse(f.timeZone).success) out.timeZone = "newJourney.error.timeZone";
  return out;
}

/** Asia/Shanghai for people working in Chinese; otherwise the browser's own zone. */
export function defaultTimeZone(lang: Lang): string {
  if (lang === "zh-CN") return "Asia/Shanghai";
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** IANA zones the browser knows, for the time zone field's suggestions. */
export function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const list = supported ? supported("timeZone") : [];
  return list.includes("UTC") ? list : ["UTC", ...list];
}

/** "3 hours ago" and "24 Nov 2026, 14:05" in the viewer's language. */
export function formatWhen(iso: string, lang: Lang, now: number = Date.now()): { relative: string; absolute: string } {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return { relative: iso, absolute: iso };
  const absolute = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(at);
  const seconds = Math.round((at - now) / 1000);
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["year", 365 * 86400],
    ["month", 30 * 86400],
    ["week", 7 * 86400],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return { relative: rtf.format(Math.trunc(seconds / size), unit), absolute };
  }
  return { relative: rtf.format(0, "second"), absolute };
}
