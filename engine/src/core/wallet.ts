import {
  EXPIRING_WITHIN_DAYS,
  instantOfLocal,
  localParts,
  type JourneyId,
  type NodeId,
  type PointsExpiry,
} from "@lifeloop/shared";
import type { StepContext } from "./context.ts";
import type { UserState } from "./types.ts";

/**
 * A person's points wallet, as the core keeps it in their state: the grants with points left
 * (lots), oldest first. Every change here is also a ledger entry written in the same transaction
 * (a grant, a spend, an expiry: runtime/applier.ts), so the balance the core reads is the ledger's
 * granted − spent − expired for this person; wallet.property.test.ts holds the two to each other.
 */
interface Lot {
  /** The grant's key (the ledger's grant_key): what an expiry and a spend name. */
  key: string;
  journeyId: JourneyId;
  version: number;
  nodeId: NodeId;
  at: number;
  /** Points granted. */
  points: number;
  /** Points not spent nor expired yet (> 0: an empty lot is dropped). */
  left: number;
  /** When what is left expires (epoch ms), or null: never. */
  expiresAt: number | null;
}

export interface Wallet {
  lots: Lot[];
  /** When the next `points_expiring` notice falls (core/wallet-notices.ts); absent when there is none. */
  noticeAt?: number;
}

/** The timer key of a wallet's next expiry beside the journeys' (dueTimes); no journey id starts with "#". */
export const WALLET_TIMER = "#wallet" as const;

export const emptyWallet = (): Wallet => ({ lots: [] });

/** A person's wallet; a state stored before wallets existed has none until the applier seeds it from the ledger. */
function walletOf(state: UserState): Wallet {
  state.wallet ??= emptyWallet();
  return state.wallet;
}

export function balanceOf(wallet: Wallet | undefined): number {
  let sum = 0;
  for (const lot of wallet?.lots ?? []) sum += lot.left;
  return sum;
}

/** The `#wallet` timer: the next expiry or the next notice, whichever is first. */
export function walletDue(wallet: Wallet | undefined): number | null {
  const expiry = nextExpiry(wallet);
  const notice = wallet?.noticeAt ?? null;
  if (expiry === null) return notice;
  return notice === null ? expiry : Math.min(expiry, notice);
}

/** The earliest time some of the wallet's points expire, or null. */
export function nextExpiry(wallet: Wallet | undefined): number | null {
  let min: number | null = null;
  for (const lot of wallet?.lots ?? [])
    if (lot.expiresAt !== null && (min === null || lot.expiresAt < min)) min = lot.expiresAt;
  return min;
}

const DAY_MS = 86_400_000;

/**
 * The wallet as rules and templates read it (`wallet.balance`, `wallet.expiring_3d`…; the fields
 * are shared's WALLET_FIELDS): the balance, the points of the next expiry and its instant, and
 * the points that expire within each window of EXPIRING_WITHIN_DAYS from `now`.
 */
export function walletData(wallet: Wallet | undefined, now: number): Record<string, number | string | null> {
  const lots = wallet?.lots ?? [];
  const next = nextExpiry(wallet);
  const out: Record<string, number | string | null> = {
    balance: balanceOf(wallet),
    expiring: 0,
    expiring_at: next === null ? null : new Date(next).toISOString(),
  };
  for (const d of EXPIRING_WITHIN_DAYS) out[`expiring_${d}d`] = 0;
  for (const lot of lots) {
    if (lot.expiresAt === null) continue;
    if (lot.expiresAt === next) out.expiring = (out.expiring as number) + lot.left;
    for (const d of EXPIRING_WITHIN_DAYS)
      if (lot.expiresAt <= now + d * DAY_MS) out[`expiring_${d}d`] = (out[`expiring_${d}d`] as number) + lot.left;
  }
  return out;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The end of the local day `after` days or months after `at`, in `timeZone`: the start of the day
 * after it. A month later than 31 January is the last day of February (the day is clamped).
 */
export function expiryInstant(at: number, timeZone: string, expires: PointsExpiry): number {
  const p = localParts(at, timeZone);
  let { year, month, day } = p;
  if (expires.unit === "month") {
    const m = month - 1 + expires.after;
    year += Math.floor(m / 12);
    month = (m % 12) + 1;
    day = Math.min(day, daysIn(year, month));
  } else day += expires.after;
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return instantOfLocal(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}

/** Puts granted points in the wallet as a new lot (the grant's own ledger row is its entry). */
export function credit(
  ctx: StepContext,
  grant: {
    key: string;
    journeyId: JourneyId;
    version: number;
    nodeId: NodeId;
    points: number;
    expiresAt: number | null;
  },
): void {
  const wallet = walletOf(ctx.state);
  wallet.lots.push({
    key: grant.key,
    journeyId: grant.journeyId,
    version: grant.version,
    nodeId: grant.nodeId,
    at: ctx.now,
    points: grant.points,
    left: grant.points,
    expiresAt: grant.expiresAt,
  });
}

/**
 * Expires every lot due at or before `ctx.now`, in the order they were granted: one `expire`
 * effect (and ledger entry) per lot, with what is left of it and why.
 */
export function expireDue(ctx: StepContext): void {
  const wallet = walletOf(ctx.state);
  const kept: Lot[] = [];
  const due: Lot[] = [];
  for (const lot of wallet.lots) (lot.expiresAt !== null && lot.expiresAt <= ctx.now ? due : kept).push(lot);
  if (due.length === 0) return;
  wallet.lots = kept;
  let balance = balanceOf(wallet) + due.reduce((a, l) => a + l.left, 0);
  for (const lot of due) {
    balance -= lot.left;
    const spent = lot.points - lot.left;
    ctx.emit({ journeyId: lot.journeyId, version: lot.version }, null, {
      kind: "expire",
      lot: lot.key,
      points: lot.left,
      balance,
      detail:
        `${lot.left} of the ${lot.points} points granted on ${new Date(lot.at).toISOString()} expired ` +
        `at ${new Date(lot.expiresAt!).toISOString()}` +
        (spent > 0 ? ` (${spent} had been spent)` : ""),
    });
  }
}

export interface RedeemInput {
  key: string;
  points: number;
  item: string;
}

/**
 * Spends points whole or not at all, from the oldest lots first. A refusal changes nothing and says
 * the balance; either way the answer is an effect in the person's timeline.
 */
export function redeem(ctx: StepContext, r: RedeemInput): { balance: number } | null {
  const wallet = walletOf(ctx.state);
  const balance = balanceOf(wallet);
  const none = { journeyId: "" as const, version: 0 };
  if (r.points > balance) {
    ctx.emit(none, null, {
      kind: "spend_refused",
      key: r.key,
      points: r.points,
      item: r.item,
      balance,
      detail: `${r.item} costs ${r.points} points; the balance is ${balance}`,
    });
    return null;
  }
  let need = r.points;
  const lots: Array<{ lot: string; points: number }> = [];
  for (const lot of wallet.lots) {
    if (need === 0) break;
    const take = Math.min(lot.left, need);
    lot.left -= take;
    need -= take;
    lots.push({ lot: lot.key, points: take });
  }
  wallet.lots = wallet.lots.filter((l) => l.left > 0);
  ctx.emit(none, null, {
    kind: "spend",
    key: r.key,
    points: r.points,
    item: r.item,
    balance: balance - r.points,
    lots,
  });
  return { balance: balance - r.points };
}
