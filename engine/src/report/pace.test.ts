/**
 * The paced-coupons sample's report: spend against the pace line per local day, worked out here from
 * the stream with a calendar of the test's own (Asia/Shanghai is UTC+8 all year since 1991).
 */
import { reportCsv } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { sampleEvents, sampleExecutable } from "../testing/samples.ts";
import { simulationReport } from "./index.ts";
import { paceLine } from "./pace.ts";

const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;
const BUDGET = 5000;
const COUPON = 500;
const LAST_DAY = Date.UTC(2026, 10, 5);

/** Per local day: the allowance, what was granted, and both cumulative lines, from the stream alone. */
function expectedDays(events: Array<{ userId: string; at: number }>, through: number) {
  const localDay = (at: number) => Math.floor((at + OFFSET) / DAY) * DAY;
  const spentOn = new Map<number, number>();
  const given = new Set<string>();
  let spent = 0;
  let day = -1;
  let before = 0;
  for (const e of events) {
    const local = localDay(e.at);
    if (local !== day) [day, before] = [local, spent];
    const allowance = Math.floor((BUDGET - before) / Math.max(1, (LAST_DAY - local) / DAY + 1));
    const today = spentOn.get(local) ?? 0;
    if (given.has(e.userId) || BUDGET - spent < COUPON || today + COUPON > allowance) continue;
    given.add(e.userId);
    spent += COUPON;
    spentOn.set(local, today + COUPON);
  }
  const rows = [];
  let cumulative = 0;
  // Through the pace's last day: the days after it are not paced any more.
  for (let d = localDay(events[0]!.at); d <= Math.min(localDay(through), LAST_DAY); d += DAY) {
    const left = BUDGET - cumulative;
    const allowance = Math.floor(left / Math.max(1, (LAST_DAY - d) / DAY + 1));
    const s = spentOn.get(d) ?? 0;
    rows.push({
      day: new Date(d).toISOString().slice(0, 10),
      allowance,
      spent: s,
      paceCumulative: cumulative + allowance,
      spentCumulative: cumulative + s,
    });
    cumulative += s;
  }
  return rows;
}

describe("the paced-coupons report's pace line", () => {
  it("gives each local day's allowance, the pace line and the spend the stream itself gives", () => {
    const events = sampleEvents("paced-coupons");
    const last = Date.parse(events.at(-1)!.at);
    const report = simulationReport({ journey: sampleExecutable("paced-coupons"), events });
    const budget = report.spend.budgets.find((b) => b.budgetId === "deposit_nov")!;
    const want = expectedDays(
      events.map((e) => ({ userId: e.userId, at: Date.parse(e.at) })),
      last,
    );
    expect(budget.pace).toEqual({ mode: "even", days: want });
    // The figures docs/reports.md quotes: 1 to 5 November, ¥10, 10, 10, 12.50 and 15; the 6th is past the pace.
    expect(want.map((d) => [d.day.slice(8), d.allowance, d.spent, d.paceCumulative, d.spentCumulative])).toEqual([
      ["01", 1000, 1000, 1000, 1000],
      ["02", 1000, 1000, 2000, 2000],
      ["03", 1000, 500, 3000, 2500],
      ["04", 1250, 1000, 3750, 3500],
      ["05", 1500, 1500, 5000, 5000],
    ]);
    expect(budget).toMatchObject({ limit: BUDGET, used: BUDGET, left: 0 });
    // In the spend CSV: a row a day, spent that day against the day's allowance.
    const rows = reportCsv(report, "spend").split("\r\n");
    expect(rows.filter((r) => r.startsWith("pace,"))).toEqual(
      want.map((d) => `pace,deposit_nov/${d.day},CNY,,${d.spent},${d.allowance},${d.allowance - d.spent}`),
    );
  });

  it("keeps an unpaced budget without a line", () => {
    const report = simulationReport({
      journey: sampleExecutable("invite-reward"),
      events: sampleEvents("invite-reward"),
    });
    for (const b of report.spend.budgets) expect(b.pace).toBeUndefined();
  });
});

describe("a pace line", () => {
  const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

  it("with a fixed daily cap runs from the first spend through today, the cap bounded by what is left", () => {
    const spent = new Map([
      [day("2026-03-01"), 300],
      [day("2026-03-03"), 500],
    ]);
    const line = paceLine({ mode: "daily", amount: 500 }, 1000, spent, day("2026-03-04"));
    expect(line.days).toEqual([
      { day: "2026-03-01", allowance: 500, spent: 300, paceCumulative: 500, spentCumulative: 300 },
      { day: "2026-03-02", allowance: 500, spent: 0, paceCumulative: 800, spentCumulative: 300 },
      { day: "2026-03-03", allowance: 500, spent: 500, paceCumulative: 800, spentCumulative: 800 },
      { day: "2026-03-04", allowance: 200, spent: 0, paceCumulative: 1000, spentCumulative: 800 },
    ]);
  });

  it("before any spend is today's allowance alone, and stops at an even pace's last day", () => {
    const pace = { mode: "even" as const, until: "2026-03-10" };
    expect(paceLine(pace, 1000, new Map(), day("2026-03-06")).days).toEqual([
      { day: "2026-03-06", allowance: 200, spent: 0, paceCumulative: 200, spentCumulative: 0 },
    ]);
    const late = paceLine(pace, 1000, new Map([[day("2026-03-09"), 100]]), day("2026-06-01"));
    expect(late.days.map((d) => [d.day, d.allowance])).toEqual([
      ["2026-03-09", 500],
      ["2026-03-10", 900],
    ]);
  });
});
