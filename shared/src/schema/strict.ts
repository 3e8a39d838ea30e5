/**
 * Strict objects: a key the schema does not know is an error, not something silently dropped (a
 * reward's `budget` misspelt `budgte` would otherwise validate and the budget would be gone). Each
 * unknown key is reported at its own path, with the nearest known key when one is close.
 */
import { z } from "zod";

/** Issue code for an unknown key, as the compiler and the APIs report it. */
export const UNKNOWN_FIELD = "unknown_field";

/**
 * The known keys of the object that raised an unrecognized_keys issue, by that issue's `keys`
 * array. zod copies a raw issue's fields into the issue it returns, so the array is the same object
 * in both; the error map below sees the raw issue (with the schema) and records what was allowed.
 */
const knownByIssueKeys = new WeakMap<readonly string[], readonly string[]>();

export interface StrictOptions {
  /**
   * Keys a sibling schema accepts on the same value (the other side of an intersection): offered
   * as suggestions, since zod reports the key against one side only.
   */
  alsoKnown?: readonly string[];
}

/** `z.strictObject` whose unknown keys are reported with a "did you mean" over this shape's keys. */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S, options: StrictOptions = {}) {
  const known = [...Object.keys(shape), ...(options.alsoKnown ?? [])];
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== "unrecognized_keys") return undefined;
      knownByIssueKeys.set(iss.keys, known);
      return iss.keys.map((k) => unknownFieldMessage(k, known)).join("; ");
    },
  });
}

/** `unknown field "budgte"; did you mean "budget"?` — the suggestion only when one is close. */
export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const near = closestKey(key, known);
  return `unknown field ${JSON.stringify(key)}${near === null ? "" : `; did you mean ${JSON.stringify(near)}?`}`;
}

/**
 * The known key nearest to `key` when it is close enough to be a typo: case is ignored (userid →
 * userId), a swap of neighbours counts as one edit (budgte → budget), and at most one edit in three
 * characters is allowed, so a far-off key ("colour" against "at", "id") gets no suggestion.
 */
export function closestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const lower = key.toLowerCase();
  for (const candidate of known) {
    if (candidate === key) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(key.length, candidate.length) / 3));
    if (d <= allowed && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  // Keys are short (object keys, ≤ 64 in our schemas); bound the work on hostile input anyway.
  if (Math.abs(a.length - b.length) > 8 || a.length > 128 || b.length > 128) return Infinity;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** One schema problem at one place: what the compiler and the APIs turn into an issue. */
export interface SchemaProblem {
  /** zod's issue code ("invalid_type", "too_big"…), or UNKNOWN_FIELD for a key the schema does not know. */
  code: string;
  /** Path segments from the parsed value; for an unknown key, ending with the key itself. */
  path: PropertyKey[];
  message: string;
}

/**
 * zod's issues as problems a person can act on: an unrecognized_keys issue (one for all the unknown
 * keys of an object, at the object's path) becomes one problem per key, at that key's path.
 */
export function schemaProblems(issues: ReadonlyArray<z.core.$ZodIssue>): SchemaProblem[] {
  return issues.flatMap((iss): SchemaProblem[] => {
    if (iss.code !== "unrecognized_keys") return [{ code: iss.code, path: [...iss.path], message: iss.message }];
    const known = knownByIssueKeys.get(iss.keys) ?? [];
    return iss.keys.map((key) => ({
      code: UNKNOWN_FIELD,
      path: [...iss.path, key],
      message: unknownFieldMessage(key, known),
    }));
  });
}
