/**
 * What changed between two journey documents, as a person reviewing a publish wants it: which
 * nodes were added, removed or changed (and in which fields), which connections were added or
 * removed, and which journey-level settings changed. Moving a node on the canvas is layout, listed
 * apart; an edge is identified by what it connects, not by its id, so redrawing the same connection
 * is no change.
 */
import type { JsonValue } from "./schema/common.ts";
import type { DraftJourney } from "./schema/journey.ts";
import type { FieldChange, JourneyDiff } from "./wire/diff.ts";

const JOURNEY_FIELDS = [
  "name",
  "description",
  "timeZone",
  "entry",
  "goal",
  "exitCriteria",
  "settings",
  "catalog",
] as const;

export function diffJourneys(from: DraftJourney, to: DraftJourney): JourneyDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const ref = (n: DraftJourney["nodes"][number]) => ({
    id: n.id,
    kind: n.kind,
    ...(n.label !== undefined ? { label: n.label } : {}),
  });

  const nodes: JourneyDiff["nodes"] = { added: [], removed: [], changed: [], moved: [] };
  for (const n of to.nodes) if (!before.has(n.id)) nodes.added.push(ref(n));
  for (const n of from.nodes) {
    const m = after.get(n.id);
    if (!m) {
      nodes.removed.push(ref(n));
      continue;
    }
    const { position: p1, ...a } = n;
    const { position: p2, ...b } = m;
    const fields = diffValues(a, b);
    if (fields.length > 0) nodes.changed.push({ ...ref(m), fields });
    else if (p1.x !== p2.x || p1.y !== p2.y) nodes.moved.push(n.id);
  }

  const edgeKey = (e: DraftJourney["edges"][number]) => `${e.source}\u0000${e.sourceHandle}\u0000${e.target}`;
  const edgeRef = (e: DraftJourney["edges"][number]) => ({
    id: e.id,
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
  });
  const fromEdges = new Set(from.edges.map(edgeKey));
  const toEdges = new Set(to.edges.map(edgeKey));
  const edges = {
    added: to.edges.filter((e) => !fromEdges.has(edgeKey(e))).map(edgeRef),
    removed: from.edges.filter((e) => !toEdges.has(edgeKey(e))).map(edgeRef),
  };

  const journey = JOURNEY_FIELDS.flatMap((f) => diffValues(from[f], to[f], f));

  const segBefore = new Map(from.segments.map((s) => [s.id, s]));
  const segAfter = new Map(to.segments.map((s) => [s.id, s]));
  const segments: JourneyDiff["segments"] = {
    added: to.segments.filter((s) => !segBefore.has(s.id)).map((s) => s.id),
    removed: from.segments.filter((s) => !segAfter.has(s.id)).map((s) => s.id),
    changed: from.segments.flatMap((s) => {
      const t = segAfter.get(s.id);
      const fields = t ? diffValues(s, t) : [];
      return fields.length > 0 ? [{ id: s.id, fields }] : [];
    }),
  };

  const unchanged =
    nodes.added.length +
      nodes.removed.length +
      nodes.changed.length +
      edges.added.length +
      edges.removed.length +
      journey.length ===
      0 && segments.added.length + segments.removed.length + segments.changed.length === 0;
  return { nodes, edges, journey, segments, unchanged };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
  if (path === "") return safe === key ? key : `[${safe}]`;
  return safe === key ? `${path}.${key}` : `${path}[${safe}]`;
}

/**
 * Leaf-level differences: objects are compared key by key and arrays of equal length item by item;
 * anything else that differs (a scalar, a type change, an array that grew) is one change with its
 * before and after. Documents are bounded by the body limits, so the recursion is too.
 */
export function diffValues(a: unknown, b: unknown, path = ""): FieldChange[] {
  if (a === b) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], child(path, k)));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((x, i) => diffValues(x, b[i], child(path, i)));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  // Both sides are parts of journey documents, which are JSON (parsed from it, checked by zod).
  const json = (v: unknown) => v as JsonValue;
  return [{ path, ...(a !== undefined ? { before: json(a) } : {}), ...(b !== undefined ? { after: json(b) } : {}) }];
}
