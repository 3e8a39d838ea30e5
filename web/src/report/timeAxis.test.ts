import { describe, expect, it } from "vitest";
import { dateOf, dayLabel, dayNumber, dayTicks, onTimeAxis, timeAxisProps } from "./timeAxis.ts";

const row = <K extends string>(date: string, values: Record<K, number | null>) => ({ date, values });

describe("daily series on a time axis", () => {
  it("numbers days as the engine does, both ways, across a daylight-saving change", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2026-11-01")).toBe(20_758);
    // Europe and the US leave summer time around these: still one day apart, whatever the browser's zone.
    expect(dayNumber("2026-10-26") - dayNumber("2026-10-25")).toBe(1);
    expect(dayNumber("2026-11-02") - dayNumber("2026-11-01")).toBe(1);
    expect(dateOf(dayNumber("2026-03-29"))).toBe("2026-03-29");
  });

  it("fills the days without data with 0 for counts, in date order, each placed by its date", () => {
    // The win-back sample's grants (CNY, minor units): days with nothing between them.
    const points = onTimeAxis(
      [row("2026-11-26", { amount: 1000 }), row("2026-11-16", { amount: 2000 }), row("2026-12-01", { amount: 3000 })],
      ["amount"],
      0,
    );
    expect(points).toHaveLength(16);
    expect(points.map((p) => p.day - points[0]!.day)).toEqual([...Array(16).keys()]);
    expect(points[0]).toEqual({ day: dayNumber("2026-11-16"), date: "2026-11-16", amount: 2000 });
    expect(points.find((p) => p.date === "2026-11-26")!.amount).toBe(1000);
    expect(points.at(-1)).toEqual({ day: dayNumber("2026-12-01"), date: "2026-12-01", amount: 3000 });
    const zeros = points.filter((p) => p.amount === 0).map((p) => p.date);
    expect(zeros).toHaveLength(13);
    expect(zeros).toContain("2026-11-17");
    expect(zeros).toContain("2026-11-30");
    // Nothing granted is added or lost.
    expect(points.reduce((s, p) => s + p.amount!, 0)).toBe(6000);
  });

  it("leaves a rate of a day nobody entered null (a gap), and keeps a rate not yet known null too", () => {
    const points = onTimeAxis(
      [
        row("2026-11-01", { day1: 0, day7: 50 }),
        row("2026-11-04", { day1: 100, day7: null }),
        row("2026-11-05", { day1: 25, day7: null }),
      ],
      ["day1", "day7"],
      null,
    );
    expect(points.map((p) => [p.date, p.day1, p.day7])).toEqual([
      ["2026-11-01", 0, 50],
      ["2026-11-02", null, null],
      ["2026-11-03", null, null],
      ["2026-11-04", 100, null],
      ["2026-11-05", 25, null],
    ]);
  });

  it("steps weekly cohorts by 7 days, Monday to Monday, a missing week a gap", () => {
    const points = onTimeAxis([row("2026-11-02", { day1: 10 }), row("2026-11-23", { day1: 20 })], ["day1"], null, 7);
    expect(points.map((p) => [p.date, p.day1])).toEqual([
      ["2026-11-02", 10],
      ["2026-11-09", null],
      ["2026-11-16", null],
      ["2026-11-23", 20],
    ]);
  });

  it("adds up rows of the same day, and answers nothing for no rows", () => {
    expect(onTimeAxis([row("2026-11-01", { n: 2 }), row("2026-11-01", { n: 3 })], ["n"], 0)).toEqual([
      { day: dayNumber("2026-11-01"), date: "2026-11-01", n: 5 },
    ]);
    expect(onTimeAxis([], ["n"], 0)).toEqual([]);
  });

  it("ticks at most 8 whole steps from the first day, labelled by date (with the year across years)", () => {
    const month = onTimeAxis([row("2026-11-01", { n: 1 }), row("2026-11-30", { n: 1 })], ["n"], 0);
    const ticks = dayTicks(month);
    expect(ticks.map((d) => dateOf(d))).toEqual(["2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29"]);
    expect(dayTicks(month.slice(0, 5))).toEqual(month.slice(0, 5).map((p) => p.day));
    expect(dayLabel(ticks[0]!, month)).toBe("11-01");
    const newYear = onTimeAxis([row("2026-12-30", { n: 1 }), row("2027-01-02", { n: 1 })], ["n"], 0);
    expect(dayLabel(newYear.at(-1)!.day, newYear)).toBe("2027-01-02");
  });

  it("gives the axis the points' days as its domain, a lone point a step either side", () => {
    const two = onTimeAxis([row("2026-11-01", { n: 1 }), row("2026-11-03", { n: 1 })], ["n"], 0);
    expect(timeAxisProps(two)).toMatchObject({ dataKey: "day", type: "number", domain: [two[0]!.day, two[2]!.day] });
    const one = onTimeAxis([row("2026-11-02", { n: 1 })], ["n"], 0, 7);
    expect(timeAxisProps(one, 7).domain).toEqual([one[0]!.day - 7, one[0]!.day + 7]);
    expect(timeAxisProps(one, 7).tickFormatter(one[0]!.day)).toBe("11-02");
  });
});
