import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { formatAmount, formatBps } from "../format.ts";
import { redPacketMaxClaim } from "../lucky.ts";
import { CapPeriod, Currency, EventType, LocalDateTime, PositiveMinor, PropPath, Slug } from "../schema/common.ts";
import { budgetSummary, IdentifierCap, identifierCapSummary, RewardBudget } from "./reward-limits.ts";
import { defineKind, NEXT_OPTIONAL, pick, spaced, text, type RewardFacts, type SummaryNames } from "./types.ts";

/** Amounts in the reward's unit: typed in yuan (or points) in the editor, kept in minor units. */
const MONEY = { ui: { unit: "money" as const } };
/** An amount in the currency named beside it. */
const MONEY_IN_CURRENCY = { ui: { unit: "money" as const, currency: "currency" } };

/**
 * When a coupon nobody redeemed lapses, in the journey's time zone: at a local date-time ("at"), or
 * at the end of the local day `days` days after the grant ("days": granted on 15 March with 7 days,
 * it can be redeemed through 22 March).
 */
export const CouponExpiry = z.discriminatedUnion("mode", [
  strictObject({ mode: z.literal("days"), days: z.number().int().min(1).max(3650) }),
  strictObject({ mode: z.literal("at"), at: LocalDateTime }),
]);
export type CouponExpiry = z.infer<typeof CouponExpiry>;

/** What redeems a coupon: an event whose `property` equals the coupon's code. */
const CouponRedemption = strictObject({
  event: EventType.optional(),
  property: PropPath.optional(),
});
/** The redemption a coupon without its own `redeem` waits for. */
export const COUPON_REDEEMED = { event: "coupon_redeemed", property: "code" } as const;

export const RewardSpec = z.discriminatedUnion("type", [
  strictObject({ type: z.literal("points"), amount: PositiveMinor.meta(MONEY) }),
  strictObject({
    type: z.literal("coupon"),
    /** The coupon the host platform issues (its kind; a pool's grants carry the pool's code instead). */
    code: Slug,
    /**
     * A coupon pool imported into the engine (POST /v1/coupon-pools/:pool/codes): each grant takes the
     * pool's next free code, in the order they were imported, each handed out once; an empty pool
     * refuses the grant (`pool_empty`) and the run takes the `exhausted` branch.
     */
    pool: Slug.optional(),
    // The currency before the value: the editor types the value in that currency's major units.
    currency: Currency.optional(),
    /** Face value in minor units, when the coupon has one; counts against budgets. */
    value: PositiveMinor.meta(MONEY_IN_CURRENCY).optional(),
    /** When an unredeemed coupon lapses (see CouponExpiry); without it, it stays open until redeemed. */
    expires: CouponExpiry.optional(),
    /** The event that redeems it, and which of its properties carries the code (see CouponRedemption). */
    redeem: CouponRedemption.optional(),
  }),
  strictObject({
    type: z.literal("rebate"),
    /** Basis points of the amount: 300 = 3 %. */
    bps: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .meta({ ui: { unit: "bps" } }),
    /** Which property of the event that reached this node holds the amount, in minor units. */
    of: PropPath.default("amount"),
    currency: Currency,
    /** Most one rebate can pay, in minor units. */
    max: PositiveMinor.meta(MONEY_IN_CURRENCY).optional(),
  }),
  // Drawn per grant from a hash of the grant (journey, node, person, entry): replays draw the same.
  strictObject({
    type: z.literal("random"),
    /** Without a currency the amounts are points. */
    currency: Currency.optional(),
    min: PositiveMinor.meta(MONEY),
    max: PositiveMinor.meta(MONEY),
  }),
  // 拼手气红包: `count` claims share `total` exactly, each at least `min`; claim N+1 is refused.
  strictObject({
    type: z.literal("red_packet"),
    currency: Currency.optional(),
    total: PositiveMinor.meta(MONEY),
    count: z.number().int().min(1).max(1_000_000),
    min: PositiveMinor.meta(MONEY),
  }),
]);
export type RewardSpec = z.infer<typeof RewardSpec>;

/**
 * When granted points leave the person's wallet: at the end of the day `after` days or months after
 * the grant, in the journey's time zone (a grant on 15 March with 12 months is spendable through
 * 15 March next year). Only points go into the wallet, so only a reward in points can expire.
 */
export const PointsExpiry = strictObject({
  after: z.number().int().min(1).max(3650),
  unit: z.enum(["day", "month"]),
});
export type PointsExpiry = z.infer<typeof PointsExpiry>;

export const RewardParams = strictObject({
  reward: RewardSpec,
  /** Per person, per period in the journey's time zone: how many grants and/or how much. */
  cap: strictObject({
    count: z.number().int().min(1).optional(),
    amount: PositiveMinor.meta(MONEY).optional(),
    period: CapPeriod,
  })
    .refine((c) => c.count !== undefined || c.amount !== undefined, {
      message: "a cap needs a count, an amount or both",
      path: ["count"],
    })
    .optional(),
  /** Like `cap`, counted per value of an event property (a device id) across people (reward-limits.ts). */
  identifierCap: IdentifierCap.optional(),
  /** A campaign budget in the reward's unit, shared by every node that names the same id, maybe paced. */
  budget: RewardBudget.optional(),
  /** Points granted here expire (see PointsExpiry); without it they stay in the wallet until spent. */
  expires: PointsExpiry.optional(),
}).superRefine((p, ctx) => {
  if (p.expires && rewardUnit(p.reward) !== "points") {
    ctx.addIssue({ code: "custom", path: ["expires"], message: "only points go into the wallet and can expire" });
  }
  if (p.reward.type === "coupon" && (p.reward.value === undefined) !== (p.reward.currency === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["reward", "currency"],
      message: "a coupon's value and currency go together",
    });
  }
  if (p.reward.type === "random" && p.reward.min > p.reward.max) {
    ctx.addIssue({ code: "custom", path: ["reward", "max"], message: "the most a draw gives is below its least" });
  }
  const r = p.reward;
  if (r.type === "red_packet" && r.min * r.count > r.total) {
    const money = (a: number) => formatAmount(a, rewardUnit(r));
    ctx.addIssue({
      code: "custom",
      path: ["reward", "total"],
      message: `${r.count} claims of at least ${money(r.min)} need a total of at least ${money(r.min * r.count)}`,
    });
  }
});

export function rewardUnit(r: RewardSpec): string {
  if (r.type === "points") return "points";
  if (r.type === "rebate") return r.currency;
  if (r.type === "coupon") return r.currency ?? "coupons";
  return r.currency ?? "points";
}

/**
 * The unit of a reward someone is still typing, for the editor's hints: null until it has one
 * (a rebate without its currency yet, a type not chosen).
 */
export function draftRewardUnit(draft: { type?: unknown; currency?: unknown }): string | null {
  const currency = typeof draft.currency === "string" && draft.currency !== "" ? draft.currency : undefined;
  if (draft.type === "points") return "points";
  if (draft.type === "rebate") return currency ?? null;
  if (draft.type === "coupon") return currency ?? "coupons";
  if (draft.type === "random" || draft.type === "red_packet") return currency ?? "points";
  return null;
}

function maxPerGrant(r: RewardSpec): number | null {
  if (r.type === "points") return r.amount;
  if (r.type === "coupon") return r.value ?? 1;
  if (r.type === "random") return r.max;
  if (r.type === "red_packet") return redPacketMaxClaim(r);
  return r.max ?? null;
}

function describe(r: RewardSpec, lang: "en" | "zh-CN", names: SummaryNames): string {
  if (r.type === "points") return `+${formatAmount(r.amount, "points", lang)}`;
  if (r.type === "coupon") {
    const value = r.value !== undefined && r.currency ? ` ${formatAmount(r.value, r.currency, lang)}` : "";
    const pool = r.pool ? pick(lang, ` from pool ${r.pool}`, `（券码池 ${r.pool}）`) : "";
    return (
      pick(lang, `Coupon ${r.code}${value}`, `优惠券 ${r.code}${value}`) + pool + couponExpiryText(r.expires, lang)
    );
  }
  if (r.type === "random") {
    const [min, max] = [r.min, r.max].map((a) => formatAmount(a, rewardUnit(r), lang));
    return pick(lang, `Random ${min} – ${max}`, `随机 ${min} – ${max}`);
  }
  if (r.type === "red_packet") {
    const total = formatAmount(r.total, rewardUnit(r), lang);
    const min = formatAmount(r.min, rewardUnit(r), lang);
    return pick(
      lang,
      `Red packet ${total} split over ${r.count} claims, each ≥ ${min}`,
      `拼手气红包 ${total} 分 ${r.count} 份，每份 ≥ ${min}`,
    );
  }
  const of = names.property(r.of);
  return pick(lang, `${formatBps(r.bps)} rebate of ${of}`, `返利${spaced(of)}的 ${formatBps(r.bps)}`);
}

function couponExpiryText(e: CouponExpiry | undefined, lang: "en" | "zh-CN"): string {
  if (!e) return "";
  if (e.mode === "days") return pick(lang, `, valid ${e.days} day${e.days > 1 ? "s" : ""}`, `，${e.days} 天内有效`);
  const at = e.at.replace("T", " ");
  return pick(lang, `, valid until ${at}`, `，有效期至 ${at}`);
}

const PERIOD = {
  en: { day: "day", week: "week", month: "month", lifetime: "lifetime" },
  zh: { day: "每天", week: "每周", month: "每月", lifetime: "终身" },
};

export const reward = defineKind({
  kind: "reward",
  params: RewardParams,
  meta: {
    label: text("Reward", "奖励"),
    description: text(
      "Points, a coupon, a rebate, a random amount or a red packet, with per-person caps and a campaign budget",
      "发放积分、优惠券、返利、随机金额或拼手气红包，支持个人上限与活动预算",
    ),
    icon: "🎁",
    color: "#16a34a",
    category: "action",
  },
  // Once per person unless said otherwise: a gift given daily by default costs the most by surprise.
  defaults: () => ({ reward: { type: "points" as const, amount: 10 }, cap: { count: 1, period: "lifetime" as const } }),
  // Like a message, a reward may end a path: nothing needs to follow it.
  handles: () => [
    NEXT_OPTIONAL,
    {
      id: "exhausted",
      label: text("Capped / no budget / pool empty", "已达上限 / 预算用尽 / 券码用尽"),
      required: false,
    },
  ],
  summary: (p, lang, names) => {
    const parts = [describe(p.reward, lang, names)];
    if (p.cap) {
      const limit = [
        p.cap.count !== undefined ? `${p.cap.count}×` : "",
        p.cap.amount !== undefined ? formatAmount(p.cap.amount, rewardUnit(p.reward), lang) : "",
      ]
        .filter(Boolean)
        .join(" / ");
      parts.push(
        lang === "zh-CN" ? `上限 ${PERIOD.zh[p.cap.period]} ${limit}` : `cap ${limit}/${PERIOD.en[p.cap.period]}`,
      );
    }
    if (p.identifierCap) parts.push(identifierCapSummary(p.identifierCap, rewardUnit(p.reward), lang));
    if (p.budget) parts.push(budgetSummary(p.budget, rewardUnit(p.reward), lang));
    if (p.expires) {
      const { after, unit } = p.expires;
      parts.push(
        pick(
          lang,
          `expires after ${after} ${unit}${after > 1 ? "s" : ""}`,
          `${after}${unit === "day" ? "天" : "个月"}后过期`,
        ),
      );
    }
    return parts.join(", ");
  },
  compile: (p, ctx) => {
    const facts = rewardFactsOf(p);
    // A red packet's total bounds it by itself.
    if (!p.cap && !p.budget && p.reward.type !== "red_packet") {
      ctx.warning(
        "reward_unbounded",
        "cap",
        "this reward has no per-person cap and no budget: nothing limits what it can cost",
      );
    }
    return {
      reward: p.reward,
      unit: facts.unit,
      cap: p.cap ?? null,
      identifierCap: p.identifierCap ?? null,
      budget: p.budget ?? null,
      expires: p.expires ?? null,
    };
  },
  rewardFacts: (p) => rewardFactsOf(p),
  /** Templates after a reward can say what it gave: {{reward.code}}, {{reward.amount}}. */
  provides: { root: "reward", fields: ["type", "amount", "code", "unit"] },
  report: {
    opensWinBack: (c) => c.reward.type === "coupon",
    couponPool: (c) => (c.reward.type === "coupon" ? (c.reward.pool ?? null) : null),
  },
});

function rewardFactsOf(p: z.output<typeof RewardParams>): RewardFacts {
  const fromEvent = p.reward.type === "rebate";
  return {
    unit: rewardUnit(p.reward),
    maxPerGrant: maxPerGrant(p.reward),
    cap: p.cap ?? null,
    budget: p.budget ?? null,
    fromEvent,
    total: p.reward.type === "red_packet" ? p.reward.total : null,
  };
}
