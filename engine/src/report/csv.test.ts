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
});
