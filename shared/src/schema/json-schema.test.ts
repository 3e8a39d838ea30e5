import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { journeyJsonSchema } from "./json-schema.ts";

describe("journey JSON Schema", () => {
  it("is derived from the zod schema, and the checked-in copy is current (pnpm schema:write)", () => {
    const checkedIn = JSON.parse(readFileSync(new URL("../../journey.schema.json", import.meta.url), "utf8"));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(journeyJsonSchema())));
  });

  it("lists every node kind in the node union", () => {
    const text = JSON.stringify(journeyJsonSchema());
    for (const kind of ["trigger", "condition", "split", "experiment", "wait", "reward", "message", "update-attribute", "goal", "exit"]) {
      expect(text).toContain(`"const":"${kind}"`);
    }
  });
});
