/**
 * A simulated month for the lifecycle stage report (samples/segments/lifecycle-stages.json): 20
 * people register each day of November 2026 (Asia/Shanghai daytime), half through search ads and half
 * through referrals (`acquisition_channel`, set by identify). Referred people invest sooner and more
 * often: first investment 55 % against 35 %, each next one 65 % against 50 %, 2 to 14 days apart (a gap
 * past 10 days churns them, the next investment wins them back). Some open the app, some refer friends,
 * and people past ¥10,000 in all become VIP. Deterministic: a seeded generator, so the committed stream
 * (samples/events/stages-month.jsonl) is exactly what `pnpm --filter @lifeloop/engine stages-month` writes.
 */
import type { EventEnvelope } from "@lifeloop/shared";
import { monthStream, rng } from "./month.ts";

const H = 3_600_000;
const D = 24 * H;
const MONTH = { start: Date.parse("2026-11-01T00:00:00+08:00"), days: 30, perDay: 20 };
const END = MONTH.start + MONTH.days * D;

const CHANNELS = {
  search_ads: { first: 0.35, again: 0.5, referral: 0.1, open: 0.15 },
  referral: { first: 0.55, again: 0.65, referral: 0.25, open: 0.2 },
} as const;

export function stagesMonth(seed = 20261103): EventEnvelope[] {
  const random = rng(seed);
  const stream = monthStream("s");
  const add = (userId: string, type: string, t: number, props: Record<string, unknown> = {}) => {
    if (t < END) stream.add(userId, type, t, props);
  };
  let person = 0;
  for (let day = 0; day < MONTH.days; day++) {
    for (let i = 0; i < MONTH.perDay; i++) {
      const userId = `s${String(++person).padStart(4, "0")}`;
      const channel = i % 2 === 0 ? "search_ads" : "referral";
      const odds = CHANNELS[channel];
      const at = MONTH.start + day * D + 8 * H + Math.floor(random() * 14 * H);
      add(userId, "identify", at, {
        acquisition_channel: channel,
        registeredAt: new Date(Math.floor(at / 60_000) * 60_000).toISOString(),
      });
      add(userId, "registered", at + 60_000);
      for (let d = 1; d <= 20; d++) if (random() < odds.open) add(userId, "app_open", at + d * D + random() * 2 * H);
      if (random() < odds.referral) add(userId, "referral_sent", at + H + random() * 10 * D);
      if (random() >= odds.first) continue;
      let t = at + H + random() * 6 * D;
      let total = 0;
      let vip = false;
      for (let n = 0; n < 8 && t < END; n++) {
        const amount = 100_000 * (1 + Math.floor(random() * 6));
        total += amount;
        add(userId, "investment", t, { amount });
        if (!vip && total >= 1_000_000) {
          vip = true;
          add(userId, "identify", t + 60_000, { tier: "vip" });
        }
        if (random() >= odds.again) break;
        t += 2 * D + random() * 12 * D;
      }
    }
  }
  return stream.events();
}
