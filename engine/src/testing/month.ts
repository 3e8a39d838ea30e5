/**
 * A simulated month for the A/B onboarding sample (samples/journeys/ab-onboarding.json): 36 people
 * register each day of November 2026 (Asia/Shanghai daytime); each invests with a probability that
 * depends on the arm the engine will give them (tour 28 %, bonus 38 %, control 22 %), most within
 * the 7-day goal window, some too late; people come back on day 1, 7 and 30 with their own odds.
 * Deterministic: a seeded generator, so the committed stream (samples/events/ab-onboarding-month.jsonl)
 * is exactly what `pnpm --filter @lifeloop/engine month` writes.
 */
import type { EventEnvelope } from "@lifeloop/shared";
import { bucketOf } from "../core/hash.ts";

const H = 3_600_000;
const D = 24 * H;

/**
 * A generated stream: events numbered `<prefix>00001`…, times to the minute, handed back in time
 * order (ties by id), as a stream arrives. Shared by the sample months' generators.
 */
export function monthStream(prefix: string) {
  const out: Array<{ t: number; e: EventEnvelope }> = [];
  let n = 0;
  return {
    add(userId: string, type: string, t: number, props: Record<string, unknown> = {}): void {
      out.push({
        t,
        // The generator's own ids and types: samples.test.ts parses every committed stream as envelopes.
        e: {
          id: `${prefix}${String(++n).padStart(5, "0")}`,
          userId,
          type,
          at: new Date(Math.floor(t / 60_000) * 60_000).toISOString().replace(".000Z", "Z"),
          props,
        } as EventEnvelope,
      });
    },
    events: (): EventEnvelope[] => out.sort((x, y) => x.t - y.t || (x.e.id < y.e.id ? -1 : 1)).map((x) => x.e),
  };
}

/** mulberry32: a small, fast, seeded PRNG. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MONTH = { start: Date.parse("2026-11-01T00:00:00+08:00"), days: 30, perDay: 36 };
const CONVERT: Record<string, number> = { tour: 0.28, bonus: 0.38, control: 0.22 };

/** The arm the sample's experiment gives a person (the same hash and bounds as the engine). */
export function onboardingArm(userId: string): "tour" | "bonus" | "control" {
  const b = bucketOf("onboarding_2026q4", userId);
  return b < 4500 ? "tour" : b < 9000 ? "bonus" : "control";
}

export function abOnboardingMonth(seed = 20261101): EventEnvelope[] {
  const random = rng(seed);
  const stream = monthStream("m");
  const add = stream.add;
  let person = 0;
  for (let day = 0; day < MONTH.days; day++) {
    for (let i = 0; i < MONTH.perDay; i++) {
      const userId = `m${String(++person).padStart(4, "0")}`;
      // Between 08:00 and 22:00 local.
      const at = MONTH.start + day * D + 8 * H + Math.floor(random() * 14 * H);
      add(userId, "registered", at);
      if (random() < CONVERT[onboardingArm(userId)]!) {
        // Nine in ten within the 7-day window, the rest a few days late.
        const delay = random() < 0.9 ? H + random() * 6.5 * D : 7.5 * D + random() * 3 * D;
        add(userId, "first_investment", at + delay, { amount: 1000 * (1 + Math.floor(random() * 50)) });
      }
      if (random() < 0.45) add(userId, "login", at + D + random() * 10 * H);
      if (random() < 0.25) add(userId, "login", at + 7 * D + random() * 10 * H);
      if (random() < 0.15) add(userId, "login", at + 30 * D + random() * 10 * H);
    }
  }
  return stream.events();
}

export const toJsonl = (events: EventEnvelope[]): string => `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
