/**
 * Growth levels under random definitions, event streams and review instants: the engine's moves
 * equal the independent model's (testing/levels-model.ts), and the rule's invariants hold on what
 * the engine does — a level goes down only at a review (a local midnight starting a week or a
 * month), at most once per review period; no capped rule gives more than its cap in one period;
 * every move lands on the level its xp reaches by the thresholds, up when earned, down at a review.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventId, UserId, type WorkspaceLevels } from "@lifeloop/shared";
import { type Effect, World } from "./core/index.ts";
import { MemoryEngine } from "./runtime/memory.ts";
import { type ModelEvent, modelLevels } from "./testing/levels-model.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Shanghai is UTC+8 all year: local days here are shifts, not the engine's time-zone helpers. */
const SH = 8 * HOUR;
/** 00:00 on Thursday 1 January 2026 in Shanghai. */
const START = Date.UTC(2026, 0, 1) - SH;
const EVENTS = ["checkin", "trade", "share"] as const;

type Per = "day" | "week" | "month";
type LevelMove = Extract<Effect, { kind: "level" }>;

const ruleArb = (event: string) =>
  fc
    .record(
      {
        xp: fc.integer({ min: 1, max: 300 }),
        byAmount: fc.boolean(),
        per: fc.integer({ min: 1, max: 200 }),
        cap: fc.option(
          fc.record({ max: fc.integer({ min: 1, max: 800 }), per: fc.constantFrom<Per>("day", "week", "month") }),
          { nil: undefined },
        ),
      },
      { requiredKeys: ["xp", "byAmount", "per"] },
    )
    .map(({ xp, byAmount, per, cap }) => ({
      event,
      xp,
      ...(byAmount ? { prop: "amount", per } : {}),
      ...(cap ? { cap } : {}),
    }));

const defArb: fc.Arbitrary<WorkspaceLevels> = fc
  .record({
    windowDays: fc.integer({ min: 1, max: 40 }),
    review: fc.constantFrom<"week" | "month">("week", "month"),
    rules: fc.tuple(ruleArb("checkin"), ruleArb("trade")),
    steps: fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ windowDays, review, rules, steps }) => ({
    timeZone: "Asia/Shanghai",
    windowDays,
    review,
    rules: [...rules],
    levels: [0, ...steps]
      .map((_, i, all) => all.slice(0, i + 1).reduce((a, b) => a + b, 0))
      .map((threshold, i) => ({
        id: `l${i}`,
        name: { en: `Level ${i}`, "zh-CN": `等级 ${i}` },
        threshold,
        benefits: [],
      })),
  }));

/** Gaps between a person's events (so they arrive in order), their types and amounts. */
const streamArb = fc.array(
  fc.record({
    gapHours: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 24, max: 24 * 25 })),
    type: fc.constantFrom(...EVENTS),
    amount: fc.oneof(fc.integer({ min: 1, max: 60_000 }), fc.constant(-5)),
  }),
  { minLength: 1, maxLength: 40 },
);

const localDay = (t: number) => Math.floor((t + SH) / DAY);
/** The cap period an instant falls in, by plain UTC arithmetic (weeks start on Mondays). */
function periodOf(t: number, per: Per): number {
  if (per === "day") return localDay(t);
  if (per === "week") return Math.floor((localDay(t) + 3) / 7);
  const local = new Date(t + SH);
  return local.getUTCFullYear() * 12 + local.getUTCMonth();
}
/** Whether `t` is a review instant: local midnight starting an ISO week or a month. */
function isReview(t: number, review: "week" | "month"): boolean {
  if ((t + SH) % DAY !== 0) return false;
  return review === "week" ? (localDay(t) + 3) % 7 === 0 : new Date(t + SH).getUTCDate() === 1;
}
const levelFor = (def: WorkspaceLevels, xp: number) => def.levels.reduce((r, l, i) => (xp >= l.threshold ? i : r), 0);
const rankOf = (def: WorkspaceLevels, id: string) => def.levels.findIndex((l) => l.id === id);

describe("growth levels under random streams and reviews", () => {
  it("move as the model says, down only at a review and at most once a period, caps never exceeded", () => {
    let runs = 0;
    // What the runs reached, so a generator that stopped producing a case fails here, not silently.
    const seen = { up: 0, down: 0, capped: 0 };
    fc.assert(
      fc.property(defArb, fc.tuple(streamArb, streamArb), fc.integer({ min: 0, max: 60 }), (def, streams, tail) => {
        const moves: LevelMove[] = [];
        const engine = new MemoryEngine(new World([], undefined, null, def), {
          onEffects: (effects) => moves.push(...effects.filter((e): e is LevelMove => e.kind === "level")),
        });
        const perUser = streams.map((stream, u) => {
          let at = START + u * 5 * HOUR;
          return stream.map((s, i) => {
            at += s.gapHours * HOUR;
            return { id: `u${u}e${i}`, userId: UserId.parse(`u${u}`), at, type: s.type, amount: s.amount };
          });
        });
        const all = perUser.flat().sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
        const until = all[all.length - 1]!.at + tail * DAY;
        // What each capped rule credited per person and cap period, read from the person's state.
        const credited = new Map<string, number>();
        for (const e of all) {
          const dayXp = () => new Map(engine.users.get(e.userId)?.levels?.days ?? []);
          engine.runDue(e.at);
          const before = dayXp();
          engine.ingest({
            id: EventId.parse(e.id),
            userId: e.userId,
            type: e.type,
            at: e.at,
            props: { amount: e.amount },
          });
          let gained = 0;
          for (const [day, xp] of dayXp()) gained += xp - (before.get(day) ?? 0);
          expect(gained).toBeGreaterThanOrEqual(0);
          const rule = def.rules.find((r) => r.event === e.type);
          if (rule?.cap && gained > 0) {
            const key = `${e.userId}/${rule.event}/${periodOf(e.at, rule.cap.per)}`;
            const sum = (credited.get(key) ?? 0) + gained;
            credited.set(key, sum);
            expect(sum, key).toBeLessThanOrEqual(rule.cap.max);
            if (sum === rule.cap.max) seen.capped++;
          }
        }
        engine.runDue(until);

        perUser.forEach((events, u) => {
          const userId = `u${u}`;
          const mine = moves.filter((m) => m.userId === userId);
          const modelEvents: ModelEvent[] = events.map((e) => ({
            at: e.at,
            type: e.type,
            props: { amount: e.amount },
          }));
          expect(mine.map((m) => ({ at: m.at, from: m.from, to: m.to, xp: m.xp }))).toEqual(
            modelLevels(def, modelEvents, until, SH),
          );
          const downs = new Set<number>();
          for (const m of mine) {
            const [from, to] = [rankOf(def, m.from), rankOf(def, m.to)];
            expect(to, "the level its xp reaches").toBe(levelFor(def, m.xp));
            if (to > from) seen.up++;
            else {
              expect(to).toBeLessThan(from);
              expect(isReview(m.at, def.review), new Date(m.at).toISOString()).toBe(true);
              expect(downs.has(m.at), "one move down per review").toBe(false);
              downs.add(m.at);
              seen.down++;
            }
          }
        });
        runs++;
      }),
      { numRuns: 300, seed: 0x1e7e15 },
    );
    expect(runs).toBe(300);
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
  });
});
