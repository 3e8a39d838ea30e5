import { describe, expect, it } from "vitest";
import { formatDate } from "./format.ts";

describe("formatDate", () => {
  it("shows an instant in the journey's time zone", () => {
    expect(formatDate("2026-03-01T01:00:00Z", "Asia/Shanghai", "en")).toBe("2026-03-01 09:00");
    expect(formatDate("2026-03-01T01:00:00Z", "Asia/Shanghai", "zh-CN")).toBe("2026/03/01 09:00");
    // Late on the 28th in UTC is already the 1st in Shanghai, still the 28th in New York.
    expect(formatDate("2026-02-28T20:30:00Z", "Asia/Shanghai", "en")).toBe("2026-03-01 04:30");
    expect(formatDate("2026-02-28T20:30:00Z", "America/New_York", "en")).toBe("2026-02-28 15:30");
  });

  it("keeps midnight as 00, can show seconds, and leaves what is not a date alone", () => {
    expect(formatDate("2026-03-01T16:00:05Z", "Asia/Shanghai", "en", { seconds: true })).toBe("2026-03-02 00:00:05");
    expect(formatDate("not a date", "UTC", "en")).toBe("not a date");
  });
});
