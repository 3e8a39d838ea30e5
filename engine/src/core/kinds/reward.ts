import { formatAmount, formatBps, periodStart, rebateAmount, type HandleIdOf } from "@lifeloop/shared";
import type { StepContext } from "../context.ts";
import type { LoadedJourney } from "../journeys.ts";
import type { CapUse, RewardData, Run } from "../types.ts";
import type { KindBehaviour, Outcome } from "./types.ts";

/** The key that makes a grant exactly-once: version, node, person, entry (and the visit, when a path loops). */
function grantKey(run: Run, nodeId: string, userId: string): string {
  const visit = run.visits[nodeId] ?? 1;
  return `${run.journeyId}@${run.version}/${nodeId}/${userId}/${run.entry}${visit > 1 ? `/${visit}` : ""}`;
}

const budgetKey = (journeyId: string, budgetId: string) => `budget/${journeyId}/${budgetId}`;

/**
 * Grants points, a coupon or a rebate, unless the person's cap for the period or the campaign
 * budget says no. Amounts are integers in minor units; a rebate rounds down. An amount cap clips
 * points and rebates to what is left (a coupon's fixed value cannot be clipped, so it is refused).
 * A budget never clips: the grant fits whole or is refused.
 */
export const reward: KindBehaviour<"reward"> = {
  visit: ({ ctx, run, node, params: p, journey }) => {
    const refuse = (reason: "cap" | "budget" | "no_amount", detail: string): Outcome<HandleIdOf<"reward">> => {
      ctx.emit(journey, node.id, { kind: "refuse", reason, detail });
      return { go: "exhausted" };
    };
    // Details are read by people (the "why" of a refusal): amounts as ¥3,000.00, not fen.
    const money = (minor: number) => formatAmount(minor, p.unit);
    const r = p.reward;
    let amount: number;
    let data: RewardData;
    switch (r.type) {
      case "points":
        amount = r.amount;
        data = { type: "points", amount, code: null, unit: p.unit };
        break;
      case "coupon":
        amount = r.value ?? 1;
        data = { type: "coupon", amount: r.value ?? null, code: r.code, unit: p.unit };
        break;
      case "rebate": {
        const base = readAmount(run.event?.props, r.of);
        if (base === null)
          return refuse("no_amount", `the event has no whole, positive "${r.of}" to compute a rebate from`);
        amount = rebateAmount(base, r.bps, r.max ?? null);
        if (amount <= 0) return refuse("no_amount", `${formatBps(r.bps)} of ${money(base)} rounds down to nothing`);
        data = { type: "rebate", amount, code: null, unit: p.unit };
        break;
      }
    }

    let clippedFrom: number | null = null;
    let use: CapUse | null = null;
    if (p.cap) {
      use = capUse(ctx, journey, node.id, p.cap.period);
      const per = p.cap.period === "lifetime" ? "in all" : `this ${p.cap.period}`;
      if (p.cap.count !== undefined && use.count >= p.cap.count)
        return refuse("cap", `${use.count} of ${p.cap.count} grants used ${per}`);
      if (p.cap.amount !== undefined) {
        const left = p.cap.amount - use.amount;
        if (left <= 0 || (amount > left && r.type === "coupon"))
          return refuse("cap", `${money(use.amount)} of ${money(p.cap.amount)} used ${per}`);
        if (amount > left) {
          clippedFrom = amount;
          amount = left;
          data = { ...data, amount };
        }
      }
    }
    if (p.budget) {
      const key = budgetKey(journey.journeyId, p.budget.id);
      const left = p.budget.amount - ctx.used(key);
      if (amount > left)
        return refuse(
          "budget",
          `budget ${p.budget.id}: ${money(Math.max(0, left))} of ${money(p.budget.amount)} left, this grant ` +
            `needs ${money(amount)}`,
        );
      ctx.spend(key, amount, p.budget.amount);
    }
    if (use) {
      use.count += 1;
      use.amount += amount;
      ctx.state.caps[`${journey.journeyId}/${node.id}`] = use;
    }
    run.reward = data;
    ctx.emit(journey, node.id, {
      kind: "reward",
      reward: data,
      grantKey: grantKey(run, node.id, ctx.state.userId),
      budget: p.budget?.id ?? null,
      clippedFrom,
    });
    return { go: "next" };
  },
};

function capUse(
  ctx: StepContext,
  journey: LoadedJourney,
  nodeId: string,
  period: "day" | "week" | "month" | "lifetime",
): CapUse {
  const start = period === "lifetime" ? 0 : periodStart(ctx.now, journey.exe.timeZone, period);
  const current = ctx.state.caps[`${journey.journeyId}/${nodeId}`];
  return current && current.start === start ? { ...current } : { start, count: 0, amount: 0 };
}

function readAmount(props: Record<string, unknown> | undefined, path: string): number | null {
  let v: unknown = props;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, part)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : null;
}
