import { z } from "zod";
import { FieldType } from "../schema/journey.ts";

/**
 * What a workspace has seen: the event types in the engine's log (GET /v1/observed/events) or in
 * the API's preview profiles (GET /v1/profiles/observed), each with the property names and the
 * kinds of value seen, read from the newest events only (bounded), so the editor can offer them
 * with no setup. Money cannot be told from a number: a person marks it in the catalog.
 */
export const ObservedEvents = z
  .object({
    events: z.array(
      z.object({
        type: z.string(),
        count: z.number().int().min(1).meta({ description: "How many of the events read were of this type." }),
        props: z.record(z.string(), FieldType).meta({ description: "Each property's kind as seen (the first one)." }),
      }),
    ),
    scanned: z.number().int().min(0).meta({ description: "How many of the newest events were read." }),
    truncated: z.boolean().meta({ description: "True when older events were not read, or types or props left out." }),
  })
  .meta({ description: "Event types seen lately, with their properties: offered by the editor with no setup." });
export type ObservedEvents = z.infer<typeof ObservedEvents>;

/** Most events read per answer, types listed and props per type. */
export const OBSERVED_LIMITS = { events: 5_000, types: 200, props: 64, name: 64 } as const;

const kindOf = (v: unknown): FieldType | null => {
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  // An ISO instant is a time; any other string is text.
  if (typeof v === "string") return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v) ? "timestamp" : "string";
  return null;
};

/**
 * Types and props of events, newest first (the first kind seen is the newest). `rows` come from
 * a bounded read; `more` says the read stopped at its bound. Props stored as JSON text are parsed;
 * what does not parse to an object counts with no props.
 */
export function observedEvents(
  rows: Iterable<{ type: string; props: unknown }>,
  more: boolean,
  limits: { types: number; props: number; name: number } = OBSERVED_LIMITS,
): ObservedEvents {
  const byType = new Map<string, { count: number; props: Record<string, FieldType> }>();
  let scanned = 0;
  let truncated = more;
  for (const row of rows) {
    scanned++;
    let seen = byType.get(row.type);
    if (!seen) {
      if (byType.size >= limits.types || row.type.length > limits.name) {
        truncated = true;
        continue;
      }
      seen = { count: 0, props: {} };
      byType.set(row.type, seen);
    }
    seen.count++;
    const props = parseProps(row.props);
    for (const [name, value] of Object.entries(props)) {
      if (Object.hasOwn(seen.props, name)) continue;
      const kind = kindOf(value);
      if (kind === null) continue;
      if (name.length > limits.name || Object.keys(seen.props).length >= limits.props) {
        truncated = true;
        continue;
      }
      seen.props[name] = kind;
    }
  }
  const events = [...byType].map(([type, s]) => ({ type, count: s.count, props: s.props }));
  events.sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1));
  return { events, scanned, truncated };
}

function parseProps(props: unknown): Record<string, unknown> {
  let v = props;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch (e) {
      // A log row is written by the engine from a parsed envelope; an unreadable one has no props to offer.
      if (e instanceof SyntaxError) return {};
      throw e;
    }
  }
  // Checked just now: a plain object, whose values are read as unknown.
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
