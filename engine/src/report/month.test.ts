import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEventStream } from "../simulate.ts";
import { abOnboardingMonth, onboardingArm, toJsonl } from "../testing/month.ts";
import { sampleExecutable } from "../testing/samples.ts";
import { simulationReport } from "./index.ts";

const FILE = new URL("../../../samples/events/ab-onboarding-month.jsonl", import.meta.url);

describe("a simulated month of the A/B onboarding sample", () => {
  const text = readFileSync(FILE, "utf8");

  it("is the committed stream, byte for byte (pnpm --filter @lifeloop/engine month writes it)", () => {
    expect(toJsonl(abOnboardingMonth())).toBe(text);
    expect(Buffer.byteLength(text)).toBeLessThan(300 * 1024);
  });

  it("reports what the stream holds: 1,080 entries, arms by the engine's hash, a verdict", () => {
    const { events, problems } = parseEventStream(text);
    expect(problems).toEqual([]);
    const r = simulationReport({ journey: sampleExecutable("ab-onboarding"), events });
    const registered = events.filter((e) => e.type === "registered");
    expect(r.totals.entered).toBe(registered.length);
    expect(registered.length).toBe(1080);
    const x = r.experiments[0]!;
    for (const arm of ["tour", "bonus", "control"]) {
      expect(x.arms.find((a) => a.arm === arm)!.entered).toBe(
        registered.filter((e) => onboardingArm(e.userId) === arm).length,
      );
    }
    // Converted: invested within 7 days of registering (the goal window).
    const regAt = new Map(registered.map((e) => [e.userId, Date.parse(e.at)]));
    const converted = events.filter(
      (e) => e.type === "first_investment" && Date.parse(e.at) - regAt.get(e.userId)! <= 7 * 86_400_000,
    ).length;
    expect(r.totals.converted).toBe(converted);
    expect(x.srm.mismatch).toBe(false);
    expect(x.verdict).toEqual({ status: "winner", arm: "bonus", minPerArm: 100 });
    expect(r.retention.cohorts).toHaveLength(30);
    expect(r.spend.total).toEqual({ points: 200 * x.arms.find((a) => a.arm === "bonus")!.entered });
  });
});
