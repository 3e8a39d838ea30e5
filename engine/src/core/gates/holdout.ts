/**
 * The workspace holdout gate: whether a person is kept out of a journey because they are in the
 * holdout (see WorkspaceHoldout in shared). Pure: the same config, journey and person give the same
 * answer in simulate and live, in every process and after every restart.
 */
import type { WorkspaceHoldout } from "@lifeloop/shared";
import type { StepContext } from "../context.ts";
import { bucketOf } from "../hash.ts";
import type { LoadedJourney, LoadedNode } from "../journeys.ts";

/** True when `userId` is in the holdout and the holdout covers `journeyId`. */
export function isHeldOut(holdout: WorkspaceHoldout | null, journeyId: string, userId: string): boolean {
  if (holdout === null || holdout.shareBp <= 0) return false;
  if (holdout.journeys !== "all" && !holdout.journeys.includes(journeyId)) return false;
  return bucketOf(holdout.salt, userId) < holdout.shareBp;
}

/**
 * What a held-out person leaves instead of an entry: a `not_entered` note with reason `holdout`,
 * and, when the journey has a goal, the goal window an entry would have opened (one at a time per
 * journey), so their conversions are counted against the exposed people's.
 */
export function keepOut(ctx: StepContext, journey: LoadedJourney, trigger: LoadedNode): void {
  const id = journey.journeyId;
  ctx.note(id, trigger.id, "not_entered", "holdout");
  const goals = ctx.state.goals;
  if (!journey.goal || goals.some((g) => g.heldOut && g.journeyId === id && g.deadline >= ctx.now)) return;
  goals.push({
    journeyId: id,
    version: journey.version,
    entry: 0,
    deadline: ctx.now + journey.goal.windowMs,
    heldOut: true,
  });
}
