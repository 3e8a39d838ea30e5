import {
  drawBetween,
  formatAmount,
  formatBps,
  periodStart,
  rebateAmount,
  redPacketClaim,
  type HandleIdOf,
  type JourneyId,
  type NodeId,
} from "@lifeloop/shared";
import type { StepContext } from "../context.ts";
import type { LoadedJourney } from "../journeys.ts";
import { checkIdentifierCap } from "../identifier-caps.ts";
import { paceGrant } from "../pacing.ts";
import type { CapUse, RefusalReason, RewardData, Run } from "../types.ts";
import type { KindBehaviour, Outcome } from "./types.ts";
import { holdCoupon } from "../coupons.ts";
import { poolKey } from "../pools.ts";
import { credit, expiryInstant } from "../wallet.ts";

/** The key that makes a grant exactly-once: version, node, person, entry (and the visit, when a path loops). */
function grantKey(run: Run, nodeId: NodeId, userId: string): string {
  const visit = run.visits[nodeId] ?? 1;
  return `${run.journeyId}@${run.version}/${nodeId}/${userId}/${run.entry}${visit > 1 ? `/${visit}` : ""}`;
}

const budgetKey = (journeyId: JourneyId, budgetId: string) => `budget/${journeyId}/${budgetId}`;
/**
 * A red packet's shared counters, across versions like budgets: how many claims were taken (the
 * next claim's index) and how much they paid. Both move in the same step, so a store that rolls a
 * step back on a spend over its limit keeps them in step with each other across workers.
 */
const claimsKey = (journeyId: JourneyId, nodeId: NodeId) => `red_packet/${journeyId}/${nodeId}/claims`;
const paidKey = (journeyId: JourneyId, nodeId: NodeId) => `red_packet/${journeyId}/${nodeId}/paid`;

/**
 * Grants points, a coupon, a rebate, a random amount or a red-packet claim, unless the person's cap
 * for the period or the campaign budget says no. Amounts are integers in minor units; a rebate
 * rounds down. An amount cap clips points and rebates to what is left (a coupon's fixed value
 * cannot be clipped, so it is refused).
 * A budget never clips: the grant fits whole or is refused.
 *
 * A random amount is drawn from a hash of the grant's key (journey, version, node, person, entry):
 * the same grant draws the same in simulate, live and a replay. A red packet's claim is drawn from
 * that key and the claim's index, the index and what earlier claims paid read from shared counters;
 * like a coupon it is never clipped (its claims must add up to the total), only granted or refused.
 */
export const reward: KindBehaviour<"reward"> = {
  visit: ({ ctx, run, node, params: p, journey }) => {
    const refuse = (reason: RefusalReason, detail: string): Outcome<HandleIdOf<"reward">> => {
      ctx.emit(journey, node.id, { kind: "refuse", reason, detail });
      return { go: "exhausted" };
    };
    // Details are read by people (the "why" of a refusal): amounts as ¥3,000.00, not fen.
    const money = (minor: number) => formatAmount(minor, p.unit);
    const r = p.reward;
    const key = grantKey(run, node.id, ctx.state.userId);
    let amount: number;
    let data: RewardData;
    switch (r.type) {
      case "points":
        amount = r.amount;
        data = { type: "points", amount, code: null, unit: p.unit };
        break;
      case "coupon":
        amount = r.value ?? 1;
        // A pool's code is drawn below, once the caps said yes: a capped person takes no code.
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
      case "random":
        amount = drawBetween(r.min, r.max, key);
        data = { type: "random", amount, code: null, unit: p.unit };
        break;
      case "red_packet": {
        const index = ctx.used(claimsKey(journey.journeyId, node.id));
        const paid = ctx.used(paidKey(journey.journeyId, node.id));
        const drawn = redPacketClaim(r, index, paid, `${key}#${index}`);
        // Every claim taken is the packet's own end ("claimed"); too little left for the claims is money.
        if (drawn === null && index >= r.count)
          return refuse(
            "claimed",
            `red packet: all ${r.count} claims taken, ${money(paid)} of ${money(r.total)} paid out`,
          );
        if (drawn === null)
          return refuse(
            "budget",
            `red packet: ${money(r.total - paid)} left is less than ${r.count - index} claims ` +
              `of at least ${money(r.min)}`,
          );
        amount = drawn;
        data = { type: "red_packet", amount, code: null, unit: p.unit };
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
        // A coupon's value and a red packet's claim are whole: granted as they are or not at all.
        if (left <= 0 || (amount > left && (r.type === "coupon" || r.type === "red_packet")))
          return refuse("cap", `${money(use.amount)} of ${money(p.cap.amount)} used ${per}`);
        if (amount > left) {
          clippedFrom = amount;
          amount = left;
          data = { ...data, amount };
        }
      }
    }
    // Shared by every account whose event carries the same identifier (identifier-caps.ts).
    let identifierSpend: ((c: StepContext, granted: number) => void) | null = null;
    if (p.identifierCap) {
      const where = { journeyId: journey.journeyId, nodeId: node.id, timeZone: journey.exe.timeZone };
      const whole = r.type === "coupon" || r.type === "red_packet";
      const check = checkIdentifierCap(ctx, where, p.identifierCap, run.event?.props, amount, whole, money);
      if ("refuse" in check) return refuse("cap", check.refuse);
      if (check.amount < amount) {
        clippedFrom ??= amount;
        amount = check.amount;
        data = { ...data, amount };
      }
      identifierSpend = check.spend;
    }
    // The pool's next free code, in import order; spent (below) only if the budget lets the grant through.
    let poolIndex: number | null = null;
    if (r.type === "coupon" && r.pool) {
      poolIndex = ctx.used(poolKey(r.pool));
      const code = ctx.poolCode(r.pool, poolIndex);
      if (code === null) return refuse("pool_empty", `coupon pool ${r.pool}: all ${poolIndex} codes handed out`);
      data = { ...data, code };
    }
    if (p.budget) {
      const bkey = budgetKey(journey.journeyId, p.budget.id);
      const left = p.budget.amount - ctx.used(bkey);
      if (amount > left)
        return refuse(
          "budget",
          `budget ${p.budget.id}: ${money(Math.max(0, left))} of ${money(p.budget.amount)} left, this grant ` +
            `needs ${money(amount)}`,
        );
      const { pace } = p.budget;
      // A paced budget also refuses what passes today's allowance (pacing.ts); it never clips either.
      const today = pace ? paceGrant(ctx, journey.exe.timeZone, bkey, { ...p.budget, pace }, amount, money) : null;
      if (today && "refuse" in today) return refuse("pace", today.refuse);
      ctx.spend(bkey, amount, p.budget.amount);
      if (today) ctx.spend(today.key, amount, today.limit);
    }
    identifierSpend?.(ctx, amount);
    if (r.type === "coupon" && r.pool && poolIndex !== null) ctx.spend(poolKey(r.pool), 1, poolIndex + 1);
    if (r.type === "red_packet") {
      ctx.spend(claimsKey(journey.journeyId, node.id), 1, r.count);
      ctx.spend(paidKey(journey.journeyId, node.id), amount, r.total);
    }
    if (use) {
      use.count += 1;
      use.amount += amount;
      ctx.state.caps[`${journey.journeyId}/${node.id}`] = use;
    }
    run.reward = data;
    // A coupon stays open until redeemed or expired (core/coupons.ts).
    if (r.type === "coupon")
      holdCoupon(ctx, run, journey, {
        key,
        nodeId: node.id,
        code: data.code ?? r.code,
        amount: r.value ?? null,
        unit: p.unit,
        expires: r.expires,
        redeem: r.redeem,
      });
    // Points go into the person's wallet, with when they expire (in the journey's time zone).
    if (p.unit === "points")
      credit(ctx, {
        key,
        journeyId: journey.journeyId,
        version: journey.version,
        nodeId: node.id,
        points: amount,
        expiresAt: p.expires ? expiryInstant(ctx.now, journey.exe.timeZone, p.expires) : null,
      });
    ctx.emit(journey, node.id, {
      kind: "reward",
      reward: data,
      grantKey: key,
      budget: p.budget?.id ?? null,
      clippedFrom,
    });
    return { go: "next" };
  },
};

function capUse(
  ctx: StepContext,
  journey: LoadedJourney,
  nodeId: NodeId,
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
