import { describe, expect, it } from "vitest";
import { entryAttributes } from "./entry-attributes.ts";

describe("entryAttributes", () => {
  it("keeps scalars as text, by name, and nothing else", () => {
    expect(
      entryAttributes({ tier: "vip", age: 31, kyc: true, tags: ["a"], address: { city: "x" }, none: null }),
    ).toEqual({ age: "31", kyc: "true", tier: "vip" });
    expect(entryAttributes({ tags: ["a"] })).toBeNull();
  });

  it("is bounded: 32 attributes, 200 characters each", () => {
    const profile = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${String(i).padStart(2, "0")}`, "x"]));
    const out = entryAttributes({ ...profile, a00: "y".repeat(500) })!;
    expect(Object.keys(out)).toHaveLength(32);
    expect(Object.keys(out)[31]).toBe("a31");
    expect(out.a00).toHaveLength(200);
  });
});
