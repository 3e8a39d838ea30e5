/**
 * Groups of people by a profile attribute's value at the window's end, for a breakdown: the largest
 * `groups` by people (ties by value), everyone else — and anyone whose value is missing — pooled, so a
 * breakdown by a high-cardinality attribute (a user id, a timestamp) stays a bounded number of groups.
 */
import { MISSING_GROUP, OTHER_GROUP } from "@lifeloop/shared";

/** A value as a group's name: text as it is, anything else as JSON (never interpreted). */
function groupName(v: unknown): string {
  if (v === undefined || v === null || v === "") return MISSING_GROUP;
  return typeof v === "string" ? v.slice(0, 200) : JSON.stringify(v).slice(0, 200);
}

export function groupsOf<T>(
  people: T[],
  attributeOf: (p: T) => unknown,
  limit: number,
): Array<{ value: string; people: T[] }> {
  const by = new Map<string, T[]>();
  for (const p of people) {
    const name = groupName(attributeOf(p));
    const list = by.get(name) ?? [];
    list.push(p);
    by.set(name, list);
  }
  const named = [...by.entries()]
    .filter(([name]) => name !== MISSING_GROUP && name !== OTHER_GROUP)
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const kept = named.slice(0, limit).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const rest = [
    ...named.slice(limit).flatMap(([, list]) => list),
    ...(by.get(OTHER_GROUP) ?? []),
    ...(by.get(MISSING_GROUP) ?? []),
  ];
  const out = kept.map(([value, list]) => ({ value, people: list }));
  if (rest.length > 0) out.push({ value: OTHER_GROUP, people: rest });
  return out;
}
