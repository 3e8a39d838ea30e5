/**
 * A workspace segment from outside: the shape from shared's Segment schema, the condition through
 * the same rule analysis the compiler gives journey segments (profile scope: a segment describes a
 * person, not an event), against the other workspace segments it may reference with in_segment.
 */
import { analyzeRule, defaultEvaluator, Segment, toJsonPath, withinRule } from "@lifeloop/shared";
import { ApiError, type ErrorIssue } from "../errors.ts";

export function segmentIssues(
  value: unknown,
  others: Record<string, unknown>,
  base = "$",
): { segment: Segment | null; issues: ErrorIssue[] } {
  const parsed = Segment.safeParse(value);
  if (!parsed.success) {
    return {
      segment: null,
      issues: parsed.error.issues.map((i) => ({ path: toJsonPath(i.path, base), message: i.message, code: "schema" })),
    };
  }
  const segment = parsed.data;
  const rules = { ...others, [segment.id]: segment.condition };
  const analysis = analyzeRule(segment.condition, { scope: "profile" }, defaultEvaluator, rules);
  const issues = analysis.problems.map((p) => ({
    path: withinRule(`${base}.condition`, p.path),
    message: p.message,
    code: p.code,
  }));
  return { segment, issues };
}

export function checkSegment(value: unknown, others: Record<string, unknown>): Segment {
  const { segment, issues } = segmentIssues(value, others);
  if (!segment || issues.length > 0) {
    throw new ApiError(400, "invalid_segment", `the segment is not valid: ${issues[0]?.path}: ${issues[0]?.message}`, {
      issues,
    });
  }
  return segment;
}

/** Segment ids a condition refers to with in_segment. */
export function referencedSegments(rule: unknown): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [rule];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === "in_segment") {
        const arg = o.in_segment;
        const id = Array.isArray(arg) ? arg[0] : arg;
        if (typeof id === "string") out.add(id);
      }
      stack.push(...Object.values(o));
    }
  }
  return out;
}

/** The same rule with in_segment references renamed (imports that re-map segment ids). */
export function renameSegments(rule: unknown, rename: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(rule)) return rule.map((r) => renameSegments(r, rename));
  if (rule === null || typeof rule !== "object") return rule;
  const o = rule as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "in_segment") {
    const arg = o.in_segment;
    const id = Array.isArray(arg) ? arg[0] : arg;
    if (typeof id === "string" && rename.has(id)) return { in_segment: [rename.get(id)!] };
  }
  return Object.fromEntries(keys.map((k) => [k, renameSegments(o[k], rename)]));
}
