import { describe, expect, it } from "vitest";
import { aggregateSpecFromArgs } from "./aggregate.ts";
import { parseDuration, parseWindow } from "./duration.ts";

describe("durations and windows", () => {
  it("parses durations to whole milliseconds", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("15d")).toBe(15 * 86_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    for (const bad of ["0d", "1.5h", "h", "24 h", "-1d", "1y", "9999999d"]) expect(parseDuration(bad)).toBeNull();
  });

  it("parses rolling, previous, calendar and lifetime windows", () => {
    expect(parseWindow("30d")).toEqual({ kind: "rolling", ms: 30 * 86_400_000 });
    expect(parseWindow("prev_30d")).toEqual({ kind: "previous", ms: 30 * 86_400_000 });
    expect(parseWindow("month")).toEqual({ kind: "calendar", period: "month" });
    expect(parseWindow("prev_week")).toEqual({ kind: "calendar_previous", period: "week" });
    expect(parseWindow("lifetime")).toEqual({ kind: "lifetime" });
    expect(parseWindow("fortnight")).toBeNull();
  });

  it("builds aggregate specs with stable keys, or says what is wrong", () => {
    expect(aggregateSpecFromArgs("agg_sum", ["transaction", "amount", "month"])).toMatchObject({
      spec: { key: "sum:transaction:amount:month", fn: "sum", prop: "amount" },
    });
    expect(aggregateSpecFromArgs("agg_count", ["login", "7d"])).toMatchObject({
      spec: { key: "count:login::7d", prop: null },
    });
    expect(aggregateSpecFromArgs("last_seen", ["login"])).toMatchObject({ spec: { key: "last_seen:login::lifetime" } });
    expect(aggregateSpecFromArgs("agg_sum", ["transaction", "7d"])).toEqual({
      error: expect.stringContaining("[event, property, window]"),
    });
    expect(aggregateSpecFromArgs("agg_max", ["tx", "amount", "soon"])).toEqual({
      error: expect.stringContaining('"soon" is not a window'),
    });
    expect(aggregateSpecFromArgs("agg_count", ["bad type", "7d"])).toEqual({
      error: expect.stringContaining("not a valid event type"),
    });
  });
});
