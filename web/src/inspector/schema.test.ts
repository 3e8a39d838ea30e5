import { Goal, kindOf, PositiveMinor } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { freshValue, shapeOf } from "./schema.ts";

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

describe("what a field starts with", () => {
  it("is the kind's suggested start where it declares one, optional fields included", () => {
    // A wait switched to "until an event" starts with a 24 h timeout; the document without one still parses.
    const wait = shapeOf(kindOf("wait")!.params);
    if (wait.type !== "variants") throw new Error("the wait's params are a union");
    const event = wait.options.find((o) => o.value === "event")!;
    expect(freshValue(event.schema, { mode: "duration", duration: "1d" })).toEqual({
      mode: "event",
      event: "",
      timeout: "24h",
    });
    expect(kindOf("wait")!.params.safeParse({ mode: "event", event: "x" }).success).toBe(true);
    // An added goal: 7 days to reach it.
    expect(freshValue(Goal)).toEqual({ event: "", window: "7d" });
  });

  it("is empty, the least or the first option where nothing is declared", () => {
    expect(freshValue(z.object({ a: z.string(), n: z.number().int().min(1), o: z.string().optional() }))).toEqual({
      a: "",
      n: 1,
    });
  });
});
