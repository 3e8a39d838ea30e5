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

/** Keeps useValidation in step with the editor's document; mount once, beside the canvas. */
export function useLiveValidation(delayMs = 120): void {
  const doc = useEditor((s) => s.doc);
  const wording = usePolicy((s) => s.wording);
  const live = useLiveJourneys((s) => s.facts);
  useEffect(() => {
    if (!doc) {
      useValidation.setState(EMPTY);
      return;
    }
    useValidation.setState({ pending: true });
    const t = setTimeout(() => useValidation.setState(validate(doc, live, wording)), delayMs);
    return () => clearTimeout(t);
  }, [doc, live, wording, delayMs]);
}
