/**
 * The profile a run entered with, as its `enter` effect carries it: what a report's breakdown groups
 * the entry by (report/facts.ts). Bounded so an entry's record stays small whatever the profile
 * holds: scalar attributes only (text, numbers, booleans, as text), the first 32 by name, each value
 * cut to 200 characters.
 */
import type { JsonValue } from "./json.ts";

const MAX_ATTRIBUTES = 32;
const MAX_VALUE = 200;

/** The snapshot, or null when the profile has no scalar attribute (the effect then carries none). */
export function entryAttributes(profile: Record<string, JsonValue>): Record<string, string> | null {
  const out: Record<string, string> = {};
  let n = 0;
  for (const name of Object.keys(profile).sort()) {
    const v = profile[name];
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") continue;
    out[name] = String(v).slice(0, MAX_VALUE);
    if (++n >= MAX_ATTRIBUTES) break;
  }
  return n === 0 ? null : out;
}
