import { describe, expect, it } from "vitest";
import { parseWindow } from "./duration.ts";
import { windowRange } from "./window.ts";

const at = Date.parse("2026-03-10T04:00:00Z"); // 12:00 in Shanghai, a Tuesday
const range = (w: string, tz = "Asia/Shanghai") => windowRange(parseWindow(w)!, at, tz);

describe("windowRange", () => {
  it("rolls back from now, and the previous window ends where it starts, as the engine counts them", () => {
    expect(range("7d")).toEqual({ from: at - 7 * 86_400_000 + 1, to: at });
    expect(range("prev_7d")).toEqual({ from: at - 14 * 86_400_000 + 1, to: at - 7 * 86_400_000 });
  });

  it("starts calendar periods at local midnight in the journey's zone", () => {
    expect(new Date(range("day").from).toISOString()).toBe("2026-03-09T16:00:00.000Z");
    expect(new Date(range("week").from).toISOString()).toBe("2026-03-08T16:00:00.000Z");
    expect(new Date(range("month").from).toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(new Date(range("month", "UTC").from).toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });

  it("takes the whole previous calendar period", () => {
    const r = range("prev_month");
    expect(new Date(r.from).toISOString()).toBe("2026-01-31T16:00:00.000Z");
    expect(new Date(r.to + 1).toISOString()).toBe("2026-02-28T16:00:00.000Z");
  });

  it("covers everything up to now for lifetime", () => {
    expect(range("lifetime").to).toBe(at);
    expect(range("lifetime").from).toBeLessThan(0);
  });
});
