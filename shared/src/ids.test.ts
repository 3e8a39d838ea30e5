import { describe, expect, it } from "vitest";
import { JourneyId } from "./schema/common.ts";
import { slugify, uniqueId, uniqueIdAsync } from "./ids.ts";

describe("ids", () => {
  it("slugs names into valid ids, falling back when nothing is left", () => {
    expect(slugify("  Win-back: 15 days!  ", "journey")).toBe("win-back-15-days");
    expect(slugify("新人礼包", "journey")).toBe("journey");
    expect(JourneyId.safeParse(slugify("x".repeat(200), "journey")).success).toBe(true);
  });

  it("re-maps a taken id to the first free numbered variant, within 64 characters", async () => {
    const taken = new Set(["gift", "gift-2", "gift-3"]);
    expect(uniqueId("gift", (id) => taken.has(id))).toBe("gift-4");
    expect(await uniqueIdAsync("gift", async (id) => taken.has(id))).toBe("gift-4");
    expect(await uniqueId("gift-2", (id) => taken.has(id))).toBe("gift-2-2");
    expect(await uniqueId("fresh", (id) => taken.has(id))).toBe("fresh");
    const long = "a".repeat(64);
    const id = await uniqueId(long, (x) => x === long);
    expect(id).toHaveLength(64);
    expect(id.endsWith("-2")).toBe(true);
    expect(JourneyId.safeParse(id).success).toBe(true);
  });
});
