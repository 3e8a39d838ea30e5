import type { UserId } from "@lifeloop/shared";
import type { StepFailedRecord } from "@lifeloop/shared";
import type { Input, RuleFailure } from "../core/index.ts";

/**
 * A step abandoned because a rule failed (over a run-time limit, or another evaluation error), as
 * the person's timeline and simulate's `failures` show it: shared's wire StepFailedRecord. The
 * person stays as they were before the step; this says what was being applied, which rule, and why.
 * Same fields, same order, in the memory and the durable runtime, so a replay prints the same bytes
 * as live.
 */
export type { StepFailedRecord };

/** When the input happened: the event's time, or the timer's / schedule's. */
const inputAt = (input: Input): number => (input.type === "event" ? input.event.at : input.at);

export const inputEventId = (input: Input): string | null => (input.type === "event" ? input.event.id : null);

/** The record of a failed step, and the one-line reason the event log keeps. */
export function stepFailed(
  failure: RuleFailure,
  userId: UserId,
  input: Input,
): { at: number; record: StepFailedRecord; reason: string } {
  const at = inputAt(input);
  const node = failure.nodeId === null ? "" : ` (node "${failure.nodeId}")`;
  const reason =
    `${failure.code}: the rule at ${failure.path}${node} of journey "${failure.journeyId}" v${failure.version} ` +
    `failed at ${failure.rulePath}: ${failure.detail}`;
  const record: StepFailedRecord = {
    at: new Date(at).toISOString(),
    userId,
    journeyId: failure.journeyId,
    version: failure.version,
    nodeId: failure.nodeId,
    kind: "step_failed",
    code: failure.code,
    path: failure.path,
    rulePath: failure.rulePath,
    eventId: inputEventId(input),
    input: input.type,
    reason,
  };
  return { at, record, reason };
}
