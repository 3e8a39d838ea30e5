/**
 * The workspace's compliance policy as the editor lints with it: read from the API once per page,
 * handed to the compiler as compile input, so the problems list shows a forbidden phrase or a missing
 * risk notice as publishing will refuse it.
 */
import type { WordingPolicy } from "@lifeloop/shared";
import { create } from "zustand";
import { api } from "../api/client.ts";

interface PolicyState {
  wording: WordingPolicy | null;
  requireApproval: boolean;
  /** Why the policy could not be read, when it could not (the editor lints without it then). */
  error: string | null;
}

export const usePolicy = create<PolicyState>(() => ({ wording: null, requireApproval: false, error: null }));

export async function loadPolicy(): Promise<void> {
  try {
    const p = await api.policy();
    usePolicy.setState({
      wording: { forbidden: p.forbidden.map(({ phrase, rule }) => ({ phrase, rule })), riskNotice: p.riskNotice },
      requireApproval: p.requireApproval,
      error: null,
    });
  } catch (e) {
    usePolicy.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}
