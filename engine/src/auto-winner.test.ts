import { readFileSync } from "node:fs";
import { compileJourney, parseUntrustedJson } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { bucketOf } from "./core/hash.ts";
import { simulationReport } from "./report/index.ts";
import { simulate } from "./simulate.ts";
import { expectLiveMatchesSimulate } from "./testing/every-kind.ts";
import { sampleEvents, sampleExecutable } from "./testing/samples.ts";

/**
 * The 8-arm sample (samples/journeys/ab-deposit-copy.json): 8 push copies at 11 % and a 12 % holdout,
 * the winner picked 7 days after the first assignment with the mSPRT, the current copy "a" if none
 * wins. Everything the engine decides is computed here again from the stream alone.
 */
const DAY = 86_400_000;
const ARMS = ["a", "b", "c", "d", "e", "f", "g", "h", "control"] as const;
const events = sampleEvents("ab-deposit-copy");

/** The arm a person is drawn into: 11 % bands for a–h, then the holdout, over 10,000 buckets. */
const drawn = (userId: string): string => ARMS[Math.min(8, Math.floor(bucketOf("deposit_push_copy", userId) / 1100))]!;

/** The always-valid p-value of the normal-mixture SPRT, τ = 0.05, written out again. */
function msprtP(x: number, n: number, x0: number, n0: number): number {
  const p = x / n;
  const p0 = x0 / n0;
  const v = (p * (1 - p)) / n + (p0 * (1 - p0)) / n0;
  const t2 = 0.05 ** 2;
  const lambda = Math.sqrt(v / (v + t2)) * Math.exp((t2 * (p - p0) ** 2) / (2 * v * (v + t2)));
  return Math.min(1, 1 / lambda);
}

describe("automatic winner: 8 arms, decided once at the end of the window", () => {
  const registered = events
    .filter((e) => e.type === "registered")
    .map((e) => ({ user: e.userId, at: Date.parse(e.at) }));
  const firstDeposit = new Map<string, number>();
  for (const e of events)
    if (e.type === "first_deposit" && !firstDeposit.has(e.userId)) firstDeposit.set(e.userId, Date.parse(e.at));
  const windowEnd = registered[0]!.at + 7 * DAY;
  const before = registered.filter((r) => r.at < windowEnd);
  const after = registered.filter((r) => r.at >= windowEnd);
  // The tallies as of the window's end: people drawn before it, and those of them who converted (the
  // goal: a first deposit within 3 days) before it.
  const tally = new Map(ARMS.map((a) => [a as string, { entered: 0, converted: 0 }]));
  for (const r of before) {
    const t = tally.get(drawn(r.user))!;
    t.entered++;
    const at = firstDeposit.get(r.user);
    if (at !== undefined && at < windowEnd && at - r.at <= 3 * DAY) t.converted++;
  }
  const base = tally.get("control")!;
  const rate = (t: { entered: number; converted: number }) => t.converted / t.entered;
  const significant = ARMS.filter(
    (a) =>
      a !== "control" &&
      rate(tally.get(a)!) > rate(base) &&
      msprtP(tally.get(a)!.converted, tally.get(a)!.entered, base.converted, base.entered) < 0.05 / 8,
  );
  const expectedWinner = [...significant].sort((x, y) => rate(tally.get(y)!) - rate(tally.get(x)!))[0] ?? "a";

  const result = simulate({ journeys: [{ executable: sampleExecutable("ab-deposit-copy") }], events });
  const decides = result.effects.filter((e) => e.kind === "decide" && e.nodeId === "copy");

  it("has a stream where one copy clearly wins", () => {
    expect(before).toHaveLength(720);
    expect(after).toHaveLength(120);
    expect(new Date(windowEnd).toISOString()).toBe("2026-11-09T00:00:00.000Z");
    expect(significant).toEqual(["f"]);
    expect(expectedWinner).toBe("f");
  });

  it("decides once, at the first entry after the window's end, from the figures as of the end", () => {
    const records = decides.filter((e) => e.kind === "decide" && e.inputs.decision !== undefined);
    expect(records).toHaveLength(1);
    const d = records[0]!;
    expect(d.kind === "decide" && d.handle).toBe(expectedWinner);
    expect(d.userId).toBe(after[0]!.user);
    expect(d.at).toBe(new Date(after[0]!.at).toISOString());
    const decision = d.kind === "decide" ? (d.inputs.decision as Record<string, unknown>) : {};
    expect(decision.windowEnd).toBe("2026-11-09T00:00:00.000Z");
    expect(decision.reason).toBe("winner");
    expect(decision.winner).toBe("f");
    expect(decision.baseline).toBe("control");
    const arms = decision.arms as Array<{ arm: string; entered: number; converted: number; pValue: number | null }>;
    expect(arms.map((a) => [a.arm, a.entered, a.converted])).toEqual(
      ARMS.map((a) => [a, tally.get(a)!.entered, tally.get(a)!.converted]),
    );
    for (const a of arms) {
      const t = tally.get(a.arm)!;
      if (a.arm === "control") expect(a.pValue).toBeNull();
      else expect(a.pValue).toBeCloseTo(msprtP(t.converted, t.entered, base.converted, base.entered), 12);
    }
  });

  it("keeps everyone drawn before the end in their arm and sends every later entrant to the winner", () => {
    const arrivedAt = new Map(registered.map((r) => [r.user, r.at]));
    const count = (rows: typeof decides) => {
      const n: Record<string, number> = {};
      for (const e of rows) if (e.kind === "decide") n[e.handle] = (n[e.handle] ?? 0) + 1;
      return n;
    };
    const early = decides.filter((e) => arrivedAt.get(e.userId)! < windowEnd);
    const late = decides.filter((e) => arrivedAt.get(e.userId)! >= windowEnd);
    expect(count(early)).toEqual(Object.fromEntries(ARMS.map((a) => [a, tally.get(a)!.entered])));
    for (const e of early) expect(e.kind === "decide" && e.handle).toBe(drawn(e.userId));
    expect(count(late)).toEqual({ f: 120 });
    // Each early person got their own arm's push; every later one the winning copy's.
    const pushes = result.effects.filter((e) => e.kind === "message");
    expect(pushes.filter((e) => e.nodeId === "push_f")).toHaveLength(tally.get("f")!.entered + 120);
    expect(pushes.filter((e) => e.nodeId === "push_a")).toHaveLength(tally.get("a")!.entered);
    expect(pushes).toHaveLength(720 - tally.get("control")!.entered + 120);
  });

  it("decides the same on the durable runtime (SQLite), effect for effect", async () => {
    await expectLiveMatchesSimulate({ executable: sampleExecutable("ab-deposit-copy"), events, result });
  }, 120_000);

  it("shows the decision in the report's experiments section, from the facts, as the engine recorded it", () => {
    const report = simulationReport({ journey: sampleExecutable("ab-deposit-copy"), events });
    const x = report.experiments.find((e) => e.nodeId === "copy")!;
    const recorded = decides.find((e) => e.kind === "decide" && e.inputs.decision !== undefined)!;
    const decision = recorded.kind === "decide" ? (recorded.inputs.decision as Record<string, unknown>) : {};
    expect(x.autoWinner).toEqual({
      windowEnd: "2026-11-09T00:00:00.000Z",
      decidedAt: recorded.at,
      reason: "winner",
      winner: "f",
      route: "f",
      fallback: "a",
      alpha: 0.05 / 8,
      arms: decision.arms,
    });
    // The arms' totals include everyone after the decision: all 120 in the winner.
    expect(x.arms.find((a) => a.arm === "f")!.entered).toBe(tally.get("f")!.entered + 120);
  });
});

describe("automatic winner at a local time, nobody winning: the fallback", () => {
  it("sends everyone after 2 Nov 12:00 in Shanghai (04:00 UTC) to the control; the early few keep their arms", () => {
    // The sample's own file, which the samples' tests validate: only its experiment node is read and changed here.
    const doc = parseUntrustedJson(
      readFileSync(new URL("../../samples/journeys/ab-deposit-copy.json", import.meta.url), "utf8"),
    ) as { nodes: Array<{ id: string; params: Record<string, unknown> }> };
    doc.nodes.find((n) => n.id === "copy")!.params.autoWinner = {
      after: { mode: "at", at: "2026-11-02T12:00" },
      fallback: "control",
    };
    const executable = compileJourney(doc).executable!;
    const result = simulate({ journeys: [{ executable }], events });
    const end = Date.parse("2026-11-02T04:00:00Z");
    const decides = result.effects.filter((e) => e.kind === "decide");
    const early = decides.filter((e) => Date.parse(e.at) < end);
    const late = decides.filter((e) => Date.parse(e.at) >= end);
    // One every 14 minutes from midnight UTC: 18 people before 04:00.
    expect(early).toHaveLength(18);
    for (const e of early) expect(e.kind === "decide" && e.handle).toBe(drawn(e.userId));
    expect(late.length).toBe(840 - 18);
    expect(new Set(late.map((e) => e.kind === "decide" && e.handle))).toEqual(new Set(["control"]));
    const record = decides.find((e) => e.kind === "decide" && e.inputs.decision !== undefined)!;
    expect(record.kind === "decide" && record.inputs.decision).toMatchObject({
      windowEnd: "2026-11-02T04:00:00.000Z",
      reason: "no_winner",
      winner: null,
    });
    expect(result.effects.filter((e) => e.kind === "message" && Date.parse(e.at) >= end)).toHaveLength(0);
  });
});
