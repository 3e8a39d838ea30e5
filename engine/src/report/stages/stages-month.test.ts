/**
 * The proof of the stage report: the month with two acquisition channels (samples/events/stages-month.jsonl)
 * through the engine's stage report, against every figure counted here from the stream alone — the five
 * stage conditions written out in plain arithmetic (Asia/Shanghai is UTC+8 all year, so a local midnight is
 * 16:00 UTC), evaluated where the engine evaluates segments: at each of a person's events and at each
 * local midnight after their first. Nothing here calls the engine's segment logic or its time helpers.
 */
import { readFileSync } from "node:fs";
import { EventEnvelope, StageSpec, type StageFigures } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { toJsonl } from "../../testing/month.ts";
import { stagesMonth } from "../../testing/stages-month.ts";
import { stageReport } from "./index.ts";

const D = 86_400_000;
const OFFSET = 8 * 3_600_000;
const FROM = Date.parse("2026-11-01T00:00:00+08:00");
const TO = Date.parse("2026-12-01T00:00:00+08:00");
const STAGES = ["acquisition", "activation", "growth", "maturity", "churn"] as const;

const samples = new URL("../../../../samples/", import.meta.url);
const text = readFileSync(new URL("events/stages-month.jsonl", samples), "utf8");
const events = text
  .trim()
  .split("\n")
  .map((l) => EventEnvelope.parse(JSON.parse(l)));
const stages = JSON.parse(readFileSync(new URL("segments/lifecycle-stages.json", samples), "utf8"));

const midnightAfter = (t: number) => Math.floor((t + OFFSET) / D) * D + D - OFFSET;
const dayStart = (t: number) => Math.floor((t + OFFSET) / D) * D - OFFSET;
const isoDay = (t: number) => new Date(t + OFFSET).toISOString().slice(0, 10);

interface Person {
  id: string;
  first: number;
  registered: number | null;
  investments: Array<{ at: number; amount: number }>;
  activity: number[];
  referrals: number[];
  channel: string | null;
  tier: string | null;
  /** Evaluation instants and the stage there, in time order. */
  seq: Array<{ at: number; stage: string | null }>;
}

function stageOf(p: Person, t: number): string | null {
  const inv = p.investments.filter((i) => i.at <= t);
  const n = inv.length;
  const sum = inv.reduce((s, i) => s + i.amount, 0);
  const churn = n >= 1 && t - inv[n - 1]!.at >= 10 * D;
  if (p.registered !== null && p.registered <= t && n === 0) return "acquisition";
  if (churn) return "churn";
  if (n === 1) return "activation";
  if (n >= 3 && sum >= 1_000_000) return "maturity";
  if (n >= 2) return "growth";
  return null;
}

function people(list: EventEnvelope[]): Person[] {
  const by = new Map<string, Person>();
  for (const e of list) {
    const at = Date.parse(e.at);
    if (at > TO) continue;
    const p = by.get(e.userId) ?? {
      id: e.userId,
      first: at,
      registered: null,
      investments: [],
      activity: [],
      referrals: [],
      channel: null,
      tier: null,
      seq: [],
    };
    by.set(e.userId, p);
    const props = e.props as Record<string, unknown>;
    if (e.type === "identify") {
      if (typeof props.acquisition_channel === "string") p.channel = props.acquisition_channel;
      if (typeof props.tier === "string") p.tier = props.tier;
    } else if (e.type === "registered") p.registered ??= at;
    else p.activity.push(at);
    if (e.type === "investment") p.investments.push({ at, amount: props.amount as number });
    if (e.type === "referral_sent") p.referrals.push(at);
  }
  for (const p of by.values()) {
    const instants = new Set<number>();
    for (const e of list) if (e.userId === p.id && Date.parse(e.at) <= TO) instants.add(Date.parse(e.at));
    for (let m = midnightAfter(p.first); m <= TO; m += D) instants.add(m);
    for (const at of [...instants].sort((a, b) => a - b)) p.seq.push({ at, stage: stageOf(p, at) });
  }
  return [...by.values()];
}

/** The stage at t: the last evaluation at or before it; undefined before the person's first event. */
function at(p: Person, t: number): string | null | undefined {
  if (p.first > t) return undefined;
  let s: string | null = null;
  for (const e of p.seq) if (e.at <= t) s = e.stage;
  return s;
}

function expected(list: Person[]) {
  const order: Array<string | null> = [...STAGES, null];
  const series = [];
  // Weekly points: Nov 1 (a Sunday) is in the week of Monday Oct 26; the last week is cut at `to`.
  const weekStarts = [Date.parse("2026-10-26T00:00:00+08:00")];
  while (weekStarts.at(-1)! + 7 * D < TO) weekStarts.push(weekStarts.at(-1)! + 7 * D);
  for (const ws of weekStarts) {
    const end = Math.min(ws + 7 * D, TO);
    series.push({
      period: isoDay(ws),
      at: new Date(end).toISOString(),
      counts: order.map((stage) => ({ stage, people: list.filter((p) => at(p, end) === stage).length })),
    });
  }
  const matrix = new Map<string, number>();
  const weeks = [];
  let atRisk = 0;
  let churned = 0;
  for (let ws = Date.parse("2026-11-02T00:00:00+08:00"); ws + 7 * D <= TO; ws += 7 * D) {
    const moves = new Map<string, number>();
    for (const p of list) {
      const to = at(p, ws + 7 * D);
      if (to === undefined) continue;
      const from = at(p, ws) ?? null;
      const k = JSON.stringify([from, to]);
      moves.set(k, (moves.get(k) ?? 0) + 1);
      matrix.set(k, (matrix.get(k) ?? 0) + 1);
      if (from !== null && from !== "churn") {
        atRisk++;
        if (to === "churn") churned++;
      }
    }
    weeks.push({ week: isoDay(ws), moves: ordered(moves, order) });
  }

  const registered = list.filter((p) => p.registered !== null);
  const waits = registered
    .map((p) => p.investments.find((i) => i.at >= p.registered!)?.at ?? null)
    .map((t, i) => (t === null ? null : t - registered[i]!.registered!))
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  const invested = list.filter((p) => p.investments.length > 0);
  const again = invested.filter((p) => p.investments.length >= 2).length;
  const cohort = registered.filter((p) => dayStart(p.registered!) + 8 * D <= TO);
  const retained = cohort.filter((p) => p.activity.some((t) => t >= dayStart(p.registered!) + 7 * D)).length;
  const staged = list.filter((p) => at(p, TO) !== null && at(p, TO) !== undefined);
  const vip = staged.filter((p) => p.tier === "vip").length;
  const referred = staged.filter((p) => p.referrals.length > 0).length;
  let lost = 0;
  let won = 0;
  for (const p of list) {
    const i = p.seq.findIndex((e) => e.stage === "churn");
    if (i < 0) continue;
    lost++;
    if (p.seq.slice(i).some((e) => e.stage !== null && e.stage !== "churn")) won++;
  }
  const rate = (n: number, d: number) => (d === 0 ? null : n / d);
  const kpi = (id: string, stage: string, n: number, d: number) => ({
    id,
    stage,
    unit: "rate",
    value: rate(n, d),
    numerator: n,
    denominator: d,
  });
  return {
    people: list.length,
    series,
    weeks,
    matrix: ordered(matrix, order),
    kpis: [
      kpi("first_investment_rate", "acquisition", waits.length, registered.length),
      {
        id: "median_time_to_activate",
        stage: "activation",
        unit: "ms",
        value: waits[Math.ceil(waits.length / 2) - 1] ?? null,
        numerator: null,
        denominator: waits.length,
      },
      kpi("reinvestment_rate", "growth", again, invested.length),
      kpi("retention_d7", "maturity", retained, cohort.length),
      kpi("vip_share", "maturity", vip, staged.length),
      kpi("referral_rate", "maturity", referred, staged.length),
      kpi("churn_rate", "churn", churned, atRisk),
      kpi("winback_rate", "churn", won, lost),
    ],
  };
}

function ordered(m: Map<string, number>, order: Array<string | null>) {
  return [...m.entries()]
    .map(([k, people]) => {
      const [from, to] = JSON.parse(k) as [string | null, string | null];
      return { from, to, people };
    })
    .sort(
      (a, b) => order.indexOf(a.from) * 10 + order.indexOf(a.to) - (order.indexOf(b.from) * 10 + order.indexOf(b.to)),
    );
}

describe("the stage report over a month with two acquisition channels", () => {
  const spec = StageSpec.parse({
    stages,
    timeZone: "Asia/Shanghai",
    from: "2026-11-01T00:00:00+08:00",
    to: "2026-12-01T00:00:00+08:00",
    by: "acquisition_channel",
  });
  const report = stageReport(spec, events, { source: "simulation", generatedAt: TO });
  const everyone = people(events);

  it("replays the committed stream, which is the generator's", () => {
    expect(toJsonl(stagesMonth())).toBe(text);
    expect(report.replayed).toBe(events.length);
    expect(everyone.length).toBe(600);
  });

  it("counts every figure as the stream alone says", () => {
    expect(report.overall).toEqual(expected(everyone) as StageFigures);
  });

  it("breaks down by acquisition channel with the same statistics per group", () => {
    expect(report.groups.map((g) => g.value)).toEqual(["referral", "search_ads"]);
    for (const g of report.groups) {
      expect(g.figures).toEqual(expected(everyone.filter((p) => p.channel === g.value)) as StageFigures);
    }
  });

  it("says what a person reads: referred people do better on the funnel's first step", () => {
    const fir = (v: string) => report.groups.find((g) => g.value === v)!.figures.kpis[0]!;
    expect(fir("referral")).toMatchObject({ numerator: 138, denominator: 300 });
    expect(fir("search_ads")).toMatchObject({ numerator: 95, denominator: 300 });
    expect(report.overall.kpis.map((k) => [k.id, k.numerator, k.denominator])).toMatchInlineSnapshot(`
      [
        [
          "first_investment_rate",
          233,
          600,
        ],
        [
          "median_time_to_activate",
          null,
          233,
        ],
        [
          "reinvestment_rate",
          89,
          233,
        ],
        [
          "retention_d7",
          380,
          460,
        ],
        [
          "vip_share",
          30,
          600,
        ],
        [
          "referral_rate",
          67,
          600,
        ],
        [
          "churn_rate",
          89,
          873,
        ],
        [
          "winback_rate",
          27,
          111,
        ],
      ]
    `);
  });
});

describe("the stage report by day", () => {
  it("counts people per stage at each local midnight of the month", () => {
    const spec = StageSpec.parse({
      stages,
      timeZone: "Asia/Shanghai",
      interval: "day",
      from: "2026-11-01T00:00:00+08:00",
      to: "2026-12-01T00:00:00+08:00",
    });
    const report = stageReport(spec, events, { source: "simulation", generatedAt: TO });
    const everyone = people(events);
    const order: Array<string | null> = [...STAGES, null];
    const days = Array.from({ length: 30 }, (_, i) => FROM + i * D);
    expect(report.overall.series).toEqual(
      days.map((d) => ({
        period: isoDay(d),
        at: new Date(d + D).toISOString(),
        counts: order.map((stage) => ({ stage, people: everyone.filter((p) => at(p, d + D) === stage).length })),
      })),
    );
    expect(report.groups).toEqual([]);
    expect(report.by).toBeNull();
  });
});
