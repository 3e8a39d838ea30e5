import { reportCsv } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { sampleEvents, sampleExecutable } from "../testing/samples.ts";
import { simulationReport } from "./index.ts";

/** The CSV writer lives in shared (the editor downloads sections too); here it meets real reports. */
describe("report CSV", () => {
  it("writes each section with a header row and amounts as integers beside their unit", () => {
    const r = simulationReport({ journey: sampleExecutable("win-back"), events: sampleEvents("win-back") });
    const spend = reportCsv(r, "spend").split("\r\n");
    expect(spend[0]).toBe("scope,key,unit,grants,amount,limit,left");
    expect(spend).toContain("total,,CNY,,13000,,");
    expect(spend).toContain("node,coupon_15,CNY,4,4000,,");
    expect(spend).toContain("budget,winback,CNY,,13000,2000000,1987000");
    expect(reportCsv(r, "winback")).toBe(
      "node,granted,returned,rate,window_days\r\ncoupon_15,4,1,0.25,15\r\ncoupon_30,3,0,0,15\r\n",
    );
    expect(reportCsv(r, "nodes").split("\r\n")[0]).toBe("node,reached,at,left_next");
    const ab = simulationReport({ journey: sampleExecutable("ab-onboarding"), events: sampleEvents("ab-onboarding") });
    expect(reportCsv(ab, "experiments").split("\r\n")[0]).toMatch(
      /^experiment,node,arm,control,expected_share,entered,converted,rate,lift,/,
    );
    expect(reportCsv(ab, "retention").split("\r\n")[0]).toBe("cohort,unit,size,day1,day7,day30");
    expect(reportCsv(r, "tiers")).toBe("week,from,to,count\r\n");
  });

  it("puts the anytime-valid (mSPRT) interval and p-value beside the fixed-horizon ones", () => {
    const ab = simulationReport({ journey: sampleExecutable("ab-onboarding"), events: sampleEvents("ab-onboarding") });
    const [head, ...rows] = reportCsv(ab, "experiments").trimEnd().split("\r\n");
    const cols = head!.split(",");
    expect(cols.slice(cols.indexOf("p_value"), cols.indexOf("p_value") + 4)).toEqual([
      "p_value",
      "anytime_cs95_low",
      "anytime_cs95_high",
      "anytime_p_value",
    ]);
    const byArm = new Map(
      rows.map((r) => [r.split(",")[2]!, Object.fromEntries(r.split(",").map((v, i) => [cols[i], v]))]),
    );
    const control = byArm.get("control")!;
    // Computed here from the counts the row itself gives: the normal-mixture likelihood ratio, τ = 0.05.
    const n0 = Number(control.entered);
    const p0 = Number(control.converted) / n0;
    for (const arm of ["tour", "bonus"]) {
      const row = byArm.get(arm)!;
      const n = Number(row.entered);
      const p = Number(row.converted) / n;
      const d = p - p0;
      const v = (p * (1 - p)) / n + (p0 * (1 - p0)) / n0;
      const t2 = 0.0025;
      const lambda0 = Math.sqrt(v / (v + t2)) * Math.exp((t2 * d * d) / (2 * v * (v + t2)));
      // Λ(θ) < 20 ⇔ (d − θ)² < 2V(V+τ²)/τ² · (ln 20 − ½ ln(V/(V+τ²))).
      const half = Math.sqrt(((2 * v * (v + t2)) / t2) * (Math.log(20) - 0.5 * Math.log(v / (v + t2))));
      expect(Number(row.anytime_p_value)).toBeCloseTo(Math.min(1, 1 / lambda0), 6);
      expect(Number(row.anytime_cs95_low)).toBeCloseTo(d - half, 6);
      expect(Number(row.anytime_cs95_high)).toBeCloseTo(d + half, 6);
      // Wider than the fixed-horizon interval, as the price of reading at any time.
      expect(Number(row.anytime_cs95_low)).toBeLessThan(Number(row.ci95_low));
    }
    expect(byArm.get("bonus")!.anytime_p_value).toBe("0.99536");
    expect([control.anytime_cs95_low, control.anytime_cs95_high, control.anytime_p_value]).toEqual(["", "", ""]);
  });
});
