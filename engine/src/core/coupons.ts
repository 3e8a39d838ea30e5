import { COUPON_REDEEMED, type CouponExpiry, type JourneyId, type NodeId } from "@lifeloop/shared";
import { localDateTime } from "./clock.ts";
import type { StepContext } from "./context.ts";
import type { LoadedJourney } from "./journeys.ts";
import type { EventData, Run, UserState } from "./types.ts";
import { expiryInstant } from "./wallet.ts";

/**
 * Coupons with a life: a coupon granted by a reward node stays open in the person's state until an
 * event redeems it (its code in the event's property) or its expiry passes. Each close is an
 * effect in the person's timeline with its why, and a ledger row beside the grant's
 * (runtime/coupon-ledger.ts): issued (the grant), redeemed, expired. Like the wallet's points,
 * an expiry fires from the person's timer (`#coupons`), whether or not any journey still runs.
 */
export interface HeldCoupon {
  /** The grant's key (the ledger's grant_key). */
  key: string;
  journeyId: JourneyId;
  version: number;
  nodeId: NodeId;
  /** The entry of the run that got it: what a wait for its redemption looks for. */
  entry: number;
  code: string;
  /** Face value in minor units of `unit`, or null (a coupon without one). */
  amount: number | null;
  unit: string;
  at: number;
  /** When it lapses unredeemed (epoch ms), or null: never. */
  expiresAt: number | null;
  /** The event that redeems it and the property that carries its code. */
  event: string;
  property: string;
}

/** The timer key of a person's next coupon expiry beside the journeys' (dueTimes); no journey id starts with "#". */
export const COUPON_TIMER = "#coupons" as const;

/** The instant a coupon granted at `at` lapses, in the journey's time zone. */
function couponExpiresAt(at: number, timeZone: string, expires: CouponExpiry | undefined): number | null {
  if (!expires) return null;
  if (expires.mode === "at") return localDateTime(expires.at, timeZone);
  return expiryInstant(at, timeZone, { after: expires.days, unit: "day" });
}

/** Keeps a granted coupon open until it is redeemed or expires. */
export function holdCoupon(
  ctx: StepContext,
  run: Run,
  journey: LoadedJourney,
  grant: {
    key: string;
    nodeId: NodeId;
    code: string;
    amount: number | null;
    unit: string;
    expires: CouponExpiry | undefined;
    redeem: { event?: string; property?: string } | undefined;
  },
): void {
  ctx.state.coupons ??= [];
  ctx.state.coupons.push({
    key: grant.key,
    journeyId: journey.journeyId,
    version: journey.version,
    nodeId: grant.nodeId,
    entry: run.entry,
    code: grant.code,
    amount: grant.amount,
    unit: grant.unit,
    at: ctx.now,
    expiresAt: couponExpiresAt(ctx.now, journey.exe.timeZone, grant.expires),
    event: grant.redeem?.event ?? COUPON_REDEEMED.event,
    property: grant.redeem?.property ?? COUPON_REDEEMED.property,
  });
}

/** The earliest time one of the person's open coupons lapses, or null. */
export function nextCouponExpiry(state: UserState): number | null {
  let min: number | null = null;
  for (const c of state.coupons ?? [])
    if (c.expiresAt !== null && (min === null || c.expiresAt < min)) min = c.expiresAt;
  return min;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Closes every open coupon due at or before `ctx.now`, in the order they were granted. */
export function expireCoupons(ctx: StepContext): void {
  const held = ctx.state.coupons;
  if (!held || held.length === 0) return;
  const due = held.filter((c) => c.expiresAt !== null && c.expiresAt <= ctx.now);
  if (due.length === 0) return;
  ctx.state.coupons = held.filter((c) => !due.includes(c));
  for (const c of due)
    ctx.emit(c, c.nodeId, {
      kind: "coupon_expire",
      lot: c.key,
      code: c.code,
      entry: c.entry,
      issuedAt: c.at,
      amount: c.amount,
      unit: c.unit,
      detail: `coupon ${c.code} granted at ${iso(c.at)} was not redeemed by ${iso(c.expiresAt!)}; it expired`,
    });
}

/**
 * An event that carries an open coupon's code in that coupon's property redeems it: the oldest
 * such coupon, one per event (a person with two of one code redeems them one at a time).
 */
export function redeemCoupons(ctx: StepContext, event: EventData): void {
  const held = ctx.state.coupons;
  if (!held || held.length === 0) return;
  const c = held.find((h) => h.event === event.type && readProp(event.props, h.property) === h.code);
  if (!c) return;
  ctx.state.coupons = held.filter((h) => h !== c);
  ctx.couponsRedeemed.add(c.key);
  ctx.emit(c, c.nodeId, {
    kind: "coupon_redeem",
    lot: c.key,
    code: c.code,
    entry: c.entry,
    issuedAt: c.at,
    amount: c.amount,
    unit: c.unit,
    event: event.id,
    detail:
      `coupon ${c.code} granted at ${iso(c.at)} was redeemed by event ${event.id} (${event.type}) ` +
      `after ${formatSpan(ctx.now - c.at)}`,
  });
}

/** The coupon this run's entry was granted last and still holds open, or null. */
export function openCouponOf(state: UserState, run: Run): HeldCoupon | null {
  const held = state.coupons ?? [];
  for (let i = held.length - 1; i >= 0; i--) {
    const c = held[i]!;
    if (c.journeyId === run.journeyId && c.entry === run.entry) return c;
  }
  return null;
}

function readProp(props: Record<string, unknown>, path: string): unknown {
  let v: unknown = props;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** "3d 4h 5m": how long a coupon was held, for the why. */
function formatSpan(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const parts = [
    [Math.floor(m / 1440), "d"],
    [Math.floor((m % 1440) / 60), "h"],
    [m % 60, "m"],
  ] as const;
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(" ");
  return text === "" ? "less than a minute" : text;
}
