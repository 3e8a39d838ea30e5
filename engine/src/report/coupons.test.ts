import { reportCsv } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { sampleEvents, sampleExecutable } from "../testing/samples.ts";
import { simulationReport } from "./index.ts";

const DAY = 86_400_000;
/** Asia/Shanghai has kept +08:00 all year since 1991: a fixed offset is an independent calendar here. */
const OFFSET = 8 * 3_600_000;
/** The end of the N-th local day after `at`: the start of its local day, N + 1 days on. */
const endOfLocalDayAfter = (at: number, days: number) =>
  Math.floor((at + OFFSET) / DAY) * DAY - OFFSET + (days + 1) * DAY;

describe("the coupon-expiry sample's report", () => {
  it("gives the redemption figures the stream itself gives", () => {
    const exe = sampleExecutable("coupon-expiry");
    const events = sampleEvents("coupon-expiry");
    // Counted from the stream: the first abandoned cart per person gets CART20 (¥20, valid through
    // the third local day after it, once per person); a coupon_redeemed event with that code before
    // the expiry redeems it, once.
    const VALUE = 2000;
    const held = new Map<string, { at: number; until: number; done: boolean }>();
    const times: number[] = [];
    for (const e of events) {
      const at = Date.parse(e.at);
      if (e.type === "cart_abandoned" && !held.has(e.userId))
        held.set(e.userId, { at, until: endOfLocalDayAfter(at, 3), done: false });
      const c = held.get(e.userId);
      if (e.type === "coupon_redeemed" && e.props.code === "CART20" && c && !c.done && at < c.until) {
        c.done = true;
        times.push(at - c.at);
      }
    }
    times.sort((a, b) => a - b);
    const mid = times.length / 2;
    const median = times.length % 2 ? times[Math.floor(mid)]! : (times[mid - 1]! + times[mid]!) / 2;
    const issued = held.size;
    const redeemed = times.length;

    const report = simulationReport({ journey: exe, events, until: "2026-12-20T00:00:00Z" });
    expect(report.coupons).toEqual([
      expect.objectContaining({
        issued,
        redeemed,
        expired: issued - redeemed,
        open: 0,
        redemptionRate: redeemed / issued,
        medianMsToRedeem: median,
        cost: issued * VALUE,
        redeemedValue: redeemed * VALUE,
        costPerRedeemed: Math.floor((issued * VALUE) / redeemed + 0.5),
      }),
    ]);
    // The figures the closing note quotes.
    expect([issued, redeemed, median / 3_600_000, (issued * VALUE) / redeemed]).toEqual([10, 5, 27, 4000]);
    expect(reportCsv(report, "coupons").split("\r\n")).toEqual([
      "node,unit,issued,redeemed,expired,open,redemption_rate,median_ms_to_redeem,cost,redeemed_value," +
        "cost_per_redeemed",
      `coupon,CNY,10,5,5,0,0.5,${27 * 3_600_000},20000,10000,4000`,
      "",
    ]);
  });
});
