import { kindOf, PositiveMinor } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { shapeOf } from "./schema.ts";

describe("reading zod schemas as form shapes", () => {
  it("reads a number's bounds and whether it is whole", () => {
    const whole = shapeOf(z.number().int().min(1).max(7));
    expect(whole).toEqual({ type: "number", int: true, min: 1, max: 7 });
    expect(shapeOf(z.number().optional())).toMatchObject({ type: "number", int: false });
    expect(shapeOf(z.number())).not.toHaveProperty("min", expect.anything());
    expect(shapeOf(PositiveMinor)).toMatchObject({ type: "number", int: true, min: 1 });
  });

  it("offers a discriminated union's variants (a kind's params from the registry)", () => {
    expect(shapeOf(kindOf("wait")!.params)).toMatchObject({ type: "variants" });
  });
});
