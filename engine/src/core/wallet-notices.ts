import type { Wallet } from "./wallet.ts";

/**
 * The wallet's `points_expiring` notices: for each lead a live journey triggers on (World's
 * expiringLeadDays) and each instant some points expire, one notice `days` × 24 hours before it,
 * with the points that expire then. A notice is due in the step whose time span covers it,
 * (the person's clock before, the step's time]: each fires once, since the clock never goes back.
 * One that would fall at or before its lot's grant is not made (there was nothing to warn about).
 * The next notice's time is kept in the wallet (`noticeAt`), so the `#wallet` timer wakes for it
 * without knowing the journeys; like the segment re-check, it is worked out again every step.
 */
export interface Notice {
  at: number;
  expiresAt: number;
  days: number;
  points: number;
}

const DAY_MS = 86_400_000;

function notices(wallet: Wallet | undefined, leads: readonly number[]): Notice[] {
  const out = new Map<string, Notice>();
  for (const lot of wallet?.lots ?? []) {
    if (lot.expiresAt === null) continue;
    for (const days of leads) {
      const at = lot.expiresAt - days * DAY_MS;
      if (at <= lot.at) continue;
      const key = `${lot.expiresAt}/${days}`;
      const n = out.get(key);
      if (n) n.points += lot.left;
      else out.set(key, { at, expiresAt: lot.expiresAt, days, points: lot.left });
    }
  }
  // Time order; at one instant, the nearer expiry first, then the longer lead.
  return [...out.values()].sort((a, b) => a.at - b.at || a.expiresAt - b.expiresAt || b.days - a.days);
}

/** The notices due in (after, upTo], in the order they fire. */
export function noticesDue(wallet: Wallet | undefined, leads: readonly number[], after: number, upTo: number) {
  return notices(wallet, leads).filter((n) => n.at > after && n.at <= upTo);
}

/** When the next notice after `after` falls, or null. */
export function nextNotice(wallet: Wallet | undefined, leads: readonly number[], after: number): number | null {
  if (leads.length === 0) return null;
  return notices(wallet, leads).find((n) => n.at > after)?.at ?? null;
}
