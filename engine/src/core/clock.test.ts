import { describe, expect, it } from "vitest";
import { localDateTime, nextLocalTime, quietUntil } from "./clock.ts";

const SH = "Asia/Shanghai";
const at = (iso: string) => Date.parse(iso);

describe("nextLocalTime", () => {
  it("finds today's time when it is still ahead, else tomorrow's", () => {
    // 08:00 local
    expect(nextLocalTime(at("2026-11-23T00:00:00Z"), SH, "09:00", null)).toBe(at("2026-11-23T01:00:00Z"));
    // 10:00 local
    expect(nextLocalTime(at("2026-11-23T02:00:00Z"), SH, "09:00", null)).toBe(at("2026-11-24T01:00:00Z"));
  });
  it("counts the very minute as reached", () => {
    expect(nextLocalTime(at("2026-11-23T01:00:00Z"), SH, "09:00", null)).toBe(at("2026-11-23T01:00:00Z"));
  });
  it("honours weekdays (ISO, Monday = 1)", () => {
    // 2026-11-23 is a Monday; the next Saturday 10:00 in Shanghai is 11-28.
    expect(nextLocalTime(at("2026-11-23T03:00:00Z"), SH, "10:00", [6])).toBe(at("2026-11-28T02:00:00Z"));
  });
  it("resolves a time that a DST gap skips forward", () => {
    // 2026-03-08 02:30 does not exist in New York.
    expect(nextLocalTime(at("2026-03-08T06:00:00Z"), "America/New_York", "02:30", null)).toBe(
      at("2026-03-08T07:30:00Z"),
    );
  });
});

describe("quietUntil", () => {
  const quiet = { start: "21:00", end: "09:00" };
  it("holds inside hours that span midnight until their end", () => {
    expect(quietUntil(at("2026-11-23T14:00:00Z"), SH, quiet)).toBe(at("2026-11-24T01:00:00Z")); // 22:00 local
    expect(quietUntil(at("2026-11-23T00:30:00Z"), SH, quiet)).toBe(at("2026-11-23T01:00:00Z")); // 08:30 local
  });
  it("lets messages through outside them, the end minute included", () => {
    expect(quietUntil(at("2026-11-23T01:00:00Z"), SH, quiet)).toBeNull(); // 09:00 local
    expect(quietUntil(at("2026-11-23T12:59:00Z"), SH, quiet)).toBeNull(); // 20:59 local
    expect(quietUntil(at("2026-11-23T12:00:00Z"), SH, null)).toBeNull();
  });
  it("handles same-day quiet hours", () => {
    expect(quietUntil(at("2026-11-23T05:00:00Z"), SH, { start: "12:00", end: "14:00" })).toBe(
      at("2026-11-23T06:00:00Z"),
    );
  });
});

describe("localDateTime", () => {
  it("reads a local date-time in the zone", () => {
    expect(localDateTime("2026-12-01T09:00", SH)).toBe(at("2026-12-01T01:00:00Z"));
    expect(() => localDateTime("tomorrow", SH)).toThrow(/not a local date-time/);
  });
});
