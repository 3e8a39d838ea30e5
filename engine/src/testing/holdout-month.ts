/**
 * A simulated month for the workspace holdout sample (samples/holdout.json, 10 % of people held
 * out of every journey): 36 people register each day of November 2026 (Asia/Shanghai daytime) and
 * enter the first-order discount and the newcomer gift, unless held out. The journeys work: people
 * they reach order more (30 % against 18 %) and invest a little more (25 % against 20 %), most
 * within the 7-day goal windows, some too late. Deterministic: a seeded generator, so the committed
 * stream (samples/events/holdout-month.jsonl) is exactly what `pnpm --filter @lifeloop/engine
 * holdout-month` writes.
 */
import type { EventEnvelope, WorkspaceHoldout } from "@lifeloop/shared";
import { bucketOf } from "../core/hash.ts";
import { monthStream, rng } from "./month.ts";

const H = 3_600_000;
const D = 24 * H;
const MONTH = { start: Date.parse("2026-11-01T00:00:00+08:00"), days: 30, perDay: 36 };

/** samples/holdout.json, as the generator knows it (the test reads the file). */
const HOLDOUT: WorkspaceHoldout = { salt: "workspace-2026q4", shareBp: 1000, journeys: "all" };
const heldOut = (userId: string) => bucketOf(HOLDOUT.salt, userId) < HOLDOUT.shareBp;

export function holdoutMonth(seed = 20261102): EventEnvelope[] {
  const random = rng(seed);
  const stream = monthStream("h");
  const add = stream.add;
  // Nine in ten within the 7-day window (a few inside the first day), the rest a few days late.
  const delay = () => (random() < 0.9 ? H + random() * 6.5 * D : 7.5 * D + random() * 3 * D);
  let person = 0;
  for (let day = 0; day < MONTH.days; day++) {
    for (let i = 0; i < MONTH.perDay; i++) {
      const userId = `w${String(++person).padStart(4, "0")}`;
      const held = heldOut(userId);
      const at = MONTH.start + day * D + 8 * H + Math.floor(random() * 14 * H);
      add(userId, "registered", at, { channel: random() < 0.5 ? "app" : "web" });
      if (random() < (held ? 0.18 : 0.3)) add(userId, "order_placed", at + delay(), { amount: 5000 + 100 * day });
      if (random() < (held ? 0.2 : 0.25)) add(userId, "first_investment", at + delay(), { amount: 100_000 });
    }
  }
  return stream.events();
}
