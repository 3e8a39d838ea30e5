import { describe, expect, it } from "vitest";
import {
  instantOfLocal,
  isValidTimeZone,
  localDate,
  localParts,
  nextPeriodStart,
  parseInstant,
  periodStart,
} from "./time.ts";

const iso = (ms: number) => new Date(ms).toISOString();

describe("time zones", () => {
  it("knows IANA zones", () => {
    expect(isValidTimeZone("Asia/Shanghai")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("gives local parts and dates (Shanghai is UTC+8)", () => {
    const t = Date.parse("2026-11-30T16:30:00Z");
    expect(localDate(t, "Asia/Shanghai")).toBe("2026-12-01");
    expect(localParts(t, "Asia/Shanghai")).toMatchObject({ hour: 0, minute: 30, weekday: 2 });
    expect(localDate(t, "UTC")).toBe("2026-11-30");
  });

  it("finds the start of day, ISO week and month in a zone", () => {
    const t = Date.parse("2026-11-04T02:00:00Z"); // Wednesday 10:00 in Shanghai
    expect(iso(periodStart(t, "Asia/Shanghai", "day"))).toBe("2026-11-03T16:00:00.000Z");
    expect(iso(periodStart(t, "Asia/Shanghai", "week"))).toBe("2026-11-01T16:00:00.000Z");
    expect(iso(periodStart(t, "Asia/Shanghai", "month"))).toBe("2026-10-31T16:00:00.000Z");
    expect(iso(nextPeriodStart(t, "Asia/Shanghai", "month"))).toBe("2026-11-30T16:00:00.000Z");
    expect(iso(nextPeriodStart(Date.parse("2026-12-20T00:00:00Z"), "UTC", "month"))).toBe("2027-01-01T00:00:00.000Z");
  });

  it("handles daylight-saving gaps and overlaps", () => {
    // 02:30 does not exist in New York on 2026-03-08: pushed forward to 03:30 EDT.
    expect(iso(instantOfLocal("America/New_York", 2026, 3, 8, 2, 30))).toBe("2026-03-08T07:30:00.000Z");
    // 01:30 happens twice on 2026-11-01: the earlier (EDT) is taken.
    expect(iso(instantOfLocal("America/New_York", 2026, 11, 1, 1, 30))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("parses only ISO instants with an offset", () => {
    expect(parseInstant("2026-11-23T08:00:00Z")).toBe(Date.parse("2026-11-23T08:00:00Z"));
    expect(parseInstant("2026-11-23T16:00:00+08:00")).toBe(Date.parse("2026-11-23T08:00:00Z"));
    expect(parseInstant("2026-11-23")).toBeNull();
    expect(parseInstant("yesterday")).toBeNull();
  });
});

describe("periodStart cache", () => {
  it("answers from remembered periods exactly as from Intl, across zones, kinds and DST", () => {
    const [start, next] = [periodStart, nextPeriodStart];
    const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "UTC"];
    const kinds = ["day", "week", "month"] as const;
    // Interleave zones and kinds so the cache fills, evicts and is hit out of order.
    for (let i = 0; i < 2000; i++) {
      const t = Date.UTC(2026, 0, 1) + ((i * 7_919_000_017) % (400 * 86_400_000));
      const tz = zones[i % zones.length]!;
      const kind = kinds[i % kinds.length]!;
      const s = start(t, tz, kind);
      const n = next(t, tz, kind);
      expect(s).toBeLessThanOrEqual(t);
      expect(n).toBeGreaterThan(t);
      expect(start(s, tz, kind)).toBe(s);
      expect(start(n, tz, kind)).toBe(n);
      expect(start(n - 1, tz, kind)).toBe(s);
    }
  });
});

describe("parseInstant refuses what is not on the calendar", () => {
  it("answers null instead of rolling over or NaN", () => {
    for (const text of [
      "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-01-01T25:00:00+08:00",
      "1900-02-29T00:00:00Z",
    ])
      expect(parseInstant(text), text).toBeNull();
    expect(parseInstant("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant("9999-12-31T23:59:59+14:00")).toBe(Date.UTC(9999, 11, 31, 9, 59, 59));
  });
});
