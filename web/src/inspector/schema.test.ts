import { kindOf, MinorUnits, PositiveMinor } from "@lifeloop/shared";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { shapeOf } from "./schema.ts";

describe("reading zod schemas as form shapes", () => {
  it("reads a number's bounds and whether it is whole, and marks money in minor units", () => {
    const whole = shapeOf(z.number().int().min(1).max(7));
    expect(whole).toEqual({ type: "number", int: true, min: 1, max: 7, minor: false });
    expect(shapeOf(z.number().optional())).toMatchObject({ type: "number", int: false, minor: false });
    expect(shapeOf(z.number())).not.toHaveProperty("min", expect.anything());
    expect(shapeOf(PositiveMinor)).toMatchObject({ type: "number", int: true, min: 1, minor: true });
    expect(shapeOf(MinorUnits)).toMatchObject({ type: "number", int: true, min: 0, minor: true });
  });

  it("offers a discriminated union's variants (a kind's params from the registry)", () => {
    expect(shapeOf(kindOf("wait")!.params)).toMatchObject({ type: "variants" });
  });
});
