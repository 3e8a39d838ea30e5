/**
 * Live validation: the shared compiler (the same one the API publishes with) run on the draft a
 * moment after each edit. Issues are kept by node so the canvas can mark nodes cheaply.
 */
import { useEffect } from "react";
import { create } from "zustand";
import {
  compileJourney,
  liveRewardOverlaps,
  type CostReport,
  type Issue,
  type LiveJourneyFacts,
  type WordingPolicy,
} from "@lifeloop/shared";
import { useEditor, type Doc } from "./editor.ts";
import { useLiveJourneys } from "./liveJourneys.ts";
import { usePolicy } from "./policy.ts";

export interface Validation {
  /** The document these results are for: stale while `pending`. */
  doc: Doc | null;
  issues: Issue[];
  byNode: Map<string, Issue[]>;
  errors: number;
  warnings: number;
  cost: CostReport | null;
  pending: boolean;
}

/**
 * The compiler's issues under the workspace's wording policy (loaded from the API, so the lint agrees
 * with publishing), and a warning for each other live journey that takes the same trigger and also rewards.
 */
export function validate(
  doc: Doc,
  live: readonly LiveJourneyFacts[] = [],
  wording: WordingPolicy | null = usePolicy.getState().wording,
): Validation {
  const compiled = compileJourney(doc, wording ? { wording } : {});
  const result = { ...compiled, issues: [...compiled.issues, ...liveRewardOverlaps(doc, live)] };
  const byNode = new Map<string, Issue[]>();
  for (const issue of result.issues) {
    if (!issue.nodeId) continue;
    const list = byNode.get(issue.nodeId) ?? [];
    list.push(issue);
    byNode.set(issue.nodeId, list);
  }
  const errors = result.issues.filter((i) => i.severity === "error").length;
  return {
    doc,
    issues: result.issues,
    byNode,
    errors,
    warnings: result.issues.length - errors,
    cost: result.cost,
    pending: false,
  };
}

const EMPTY: Validation = {
  doc: null,
  issues: [],
  byNode: new Map(),
  errors: 0,
  warnings: 0,
  cost: null,
  pending: false,
};
export const useValidation = create<Validation>(() => EMPTY);

/**
 * Runs `run` once the page has drawn two frames and is idle (within `timeoutMs` at most), or after
 * `timeoutMs` where there are no idle callbacks. Returns the cancel.
 */
function afterFirstPaint(run: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback !== "function" || typeof requestAnimationFrame !== "function") {
    const t = setTimeout(run, timeoutMs);
    return () => clearTimeout(t);
  }
  let frame = requestAnimationFrame(() => {
    frame = requestAnimationFrame(() => {
      frame = 0;
      idle = requestIdleCallback(run, { timeout: timeoutMs });
    });
  });
  let idle = 0;
  return () => {
    if (frame) cancelAnimationFrame(frame);
    if (idle) cancelIdleCallback(idle);
  };
}

/**
 * Keeps useValidation in step with the editor's document; mount once, beside the canvas. A journey
 * just opened is checked once the canvas has drawn it and the page is idle (compiling 1,000 nodes
 * takes a few hundred milliseconds, which would otherwise delay the first picture); each edit after
 * that is checked `delayMs` after it.
 */
export function useLiveValidation(delayMs = 120, openDelayMs = 1000): void {
  const doc = useEditor((s) => s.doc);
  const wording = usePolicy((s) => s.wording);
  const live = useLiveJourneys((s) => s.facts);
  useEffect(() => {
    if (!doc) {
      useValidation.setState(EMPTY);
      return;
    }
    const opening = useValidation.getState().doc?.id !== doc.id;
    useValidation.setState({ pending: true });
    const run = () => useValidation.setState(validate(doc, live, wording));
    if (opening) return afterFirstPaint(run, openDelayMs);
    const t = setTimeout(run, delayMs);
    return () => clearTimeout(t);
  }, [doc, live, wording, delayMs, openDelayMs]);
}
