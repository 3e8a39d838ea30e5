import { readFileSync } from "node:fs";
import { parseHoldoutSetting } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { bucketOf } from "../core/hash.ts";
import { parseEventStream } from "../simulate.ts";
import { holdoutMonth } from "../testing/holdout-month.ts";
import { toJsonl } from "../testing/month.ts";
import { sampleExecutable } from "../testing/samples.ts";
import { simulationIncrementality } from "./index.ts";

const SAMPLES = new URL("../../../samples/", import.meta.url);
const text = readFileSync(new URL("events/holdout-month.jsonl", SAMPLES), "utf8");
const holdout = parseHoldoutSetting(readFileSync(new URL("holdout.json", SAMPLES), "utf8"));
const { events, problems } = parseEventStream(text);
const D = 86_400_000;

/**
 * The two journeys share the group newcomer-welcome: at each sign-up the one of higher priority takes
 * the person (both enter once, on `registered`, with no filter), so the other is left nobody exposed.
 * The held-out are kept out before the group decides, so both journeys hold the same people out.
 */
const JOURNEYS = ["first-order-discount", "activation-newcomer-gift"] as const;
const executables = JOURNEYS.map(sampleExecutable);
const winner = [...executables].sort((a, b) => b.group!.priority - a.group!.priority)[0]!.journeyId;
const goalOf = (journeyId: string) => executables.find((e) => e.journeyId === journeyId)!.goal!.event;

/**
 * The answer counted from the stream alone: who is held out (the holdout's hash of salt and person),
 * whom the group leaves to the journey, who did the goal event within 7 days of registering — no
 * report code.
 */
function expected(journeyId: string) {
  const goal = goalOf(journeyId);
  const registered = new Map(events.filter((e) => e.type === "registered").map((e) => [e.userId, Date.parse(e.at)]));
  const converted = new Set(
    events.filter((e) => e.type === goal && Date.parse(e.at) - registered.get(e.userId)! <= 7 * D).map((e) => e.userId),
  );
  const held = [...registered.keys()].filter((u) => bucketOf(holdout.salt, u) < holdout.shareBp);
  const exposed = journeyId === winner ? [...registered.keys()].filter((u) => !held.includes(u)) : [];
  return {
    exposed: { people: exposed.length, converted: exposed.filter((u) => converted.has(u)).length },
    heldOut: { people: held.length, converted: held.filter((u) => converted.has(u)).length },
    exposedIds: exposed,
    registered,
  };
}

/** Newcombe's hybrid score interval, written out again from the paper's formulas. */
function newcombe(x1: number, n1: number, x2: number, n2: number) {
  const z = 1.959964;
  const wilson = (x: number, n: number) => {
    const p = x / n;
    const mid = (2 * x + z * z) / (2 * (n + z * z));
    const half = (z * Math.sqrt(z * z + 4 * x * (1 - p))) / (2 * (n + z * z));
    return [mid - half, mid + half] as const;
  };
  const [l1, u1] = wilson(x1, n1);
  const [l2, u2] = wilson(x2, n2);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  return [p1 - p2 - Math.hypot(p1 - l1, u2 - p2), p1 - p2 + Math.hypot(u1 - p1, p2 - l2)] as const;
}

describe("the workspace holdout sample: a month, two journeys, 10 % held out", () => {
  it("is the committed stream, byte for byte (pnpm --filter @lifeloop/engine holdout-month writes it)", () => {
    expect(problems).toEqual([]);
    expect(toJsonl(holdoutMonth())).toBe(text);
    expect(holdout).toEqual({ salt: "workspace-2026q4", shareBp: 1000, journeys: "all" });
  });

  const report = simulationIncrementality({ journeys: executables, holdout, events });

  it("counts exposed and held-out people and their conversions as the stream says", () => {
    expect(report.journeys.map((j) => [j.journeyId, j.goal])).toEqual([
      ["activation-newcomer-gift", "first_investment"],
      ["first-order-discount", "order_placed"],
    ]);
    expect(winner).toBe("first-order-discount");
    for (const j of report.journeys) {
      const want = expected(j.journeyId);
      // The winner reaches everyone not held out; the other journey only holds its share out.
      expect(j.exposed.people + j.heldOut.people).toBe(j.journeyId === winner ? 1080 : want.heldOut.people);
      expect({ exposed: j.exposed.people, heldOut: j.heldOut.people }).toEqual({
        exposed: want.exposed.people,
        heldOut: want.heldOut.people,
      });
      expect(j.exposed.converted).toBe(want.exposed.converted);
      expect(j.heldOut.converted).toBe(want.heldOut.converted);
      if (want.exposed.people === 0) {
        expect([j.absoluteLift, j.relativeLift, j.incrementalConversions]).toEqual([null, null, null]);
        continue;
      }
      const [low, high] = newcombe(
        want.exposed.converted,
        want.exposed.people,
        want.heldOut.converted,
        want.heldOut.people,
      );
      expect(j.absoluteLift!.low).toBeCloseTo(low, 6);
      expect(j.absoluteLift!.high).toBeCloseTo(high, 6);
    }
  });

  it("prices each incremental conversion from the coupons granted", () => {
    // First order: every exposed person gets the ¥50 coupon (972 × 5,000 fen is inside the ¥50,000 budget).
    const fo = expected("first-order-discount");
    const first = report.journeys.find((j) => j.journeyId === "first-order-discount")!;
    const foLift = fo.exposed.converted / fo.exposed.people - fo.heldOut.converted / fo.heldOut.people;
    const foCost = 5000 * fo.exposed.people;
    expect(first.cost).toEqual([
      { unit: "CNY", amount: foCost, perIncrementalConversion: Math.round(foCost / (foLift * fo.exposed.people)) },
    ]);
    // Newcomer gift: ¥20 to exposed people who did not invest within 24 h, until its ¥10,000 budget (500) is
    // spent; the group leaves it nobody, so it grants nothing (no cost line at all).
    const ng = expected("activation-newcomer-gift");
    const invested = new Map(events.filter((e) => e.type === "first_investment").map((e) => [e.userId, e.at]));
    const due = ng.exposedIds.filter((u) => {
      const at = invested.get(u);
      return at === undefined || Date.parse(at) >= ng.registered.get(u)! + D;
    });
    const gifts = Math.min(500, due.length);
    const gift = report.journeys.find((j) => j.journeyId === "activation-newcomer-gift")!;
    expect(gift.cost.reduce((sum, c) => sum + c.amount, 0)).toBe(2000 * gifts);
    expect(report.overall.cost).toEqual([
      {
        unit: "CNY",
        amount: foCost + 2000 * gifts,
        perIncrementalConversion: Math.round((foCost + 2000 * gifts) / report.overall.incrementalConversions!),
      },
    ]);
  });

  it("pools the journeys overall", () => {
    const a = expected("first-order-discount");
    const b = expected("activation-newcomer-gift");
    expect(report.overall.exposed).toMatchObject({
      people: a.exposed.people + b.exposed.people,
      converted: a.exposed.converted + b.exposed.converted,
    });
    expect(report.overall.heldOut).toMatchObject({
      people: a.heldOut.people + b.heldOut.people,
      converted: a.heldOut.converted + b.heldOut.converted,
    });
    const pe = (a.exposed.converted + b.exposed.converted) / (a.exposed.people + b.exposed.people);
    const ph = (a.heldOut.converted + b.heldOut.converted) / (a.heldOut.people + b.heldOut.people);
    expect(report.overall.absoluteLift!.value).toBeCloseTo(pe - ph, 12);
    expect(report.overall.relativeLift!.value).toBeCloseTo(pe / ph - 1, 12);
    expect(report.overall.incrementalConversions).toBeCloseTo((pe - ph) * (a.exposed.people + b.exposed.people), 9);
    // The figures docs/reports.md quotes, as counted here.
    const docs = readFileSync(new URL("../../../docs/reports.md", import.meta.url), "utf8").replace(/\s+/g, " ");
    const ex = report.overall.exposed;
    const ho = report.overall.heldOut;
    const fmt = (n: number) => n.toLocaleString("en-US");
    expect(docs).toContain(`Overall: ${fmt(ex.converted)} / ${fmt(ex.people)} against ${ho.converted} / ${ho.people}`);
    const perConversion = report.overall.cost[0]!.perIncrementalConversion!;
    expect(docs).toContain(`¥${(perConversion / 100).toFixed(2)} per incremental conversion`);
  });
});
