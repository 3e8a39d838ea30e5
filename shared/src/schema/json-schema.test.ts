import { readdirSync, readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "../testing/builders.ts";
import { KIND_NAMES } from "../kinds/index.ts";
import { journeyJsonSchema } from "./json-schema.ts";

// strict: true makes ajv refuse a schema with unknown keywords or contradictions, not just ignore them.
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(journeyJsonSchema());
const errorsOf = (doc: unknown): ErrorObject[] => (validate(doc) ? [] : validate.errors!);
const reward = (params: object) =>
  journey({
    nodes: [trigger(), node("gift", "reward", params), exitNode()],
    edges: [edge("start", "gift"), edge("gift", "end")],
  });

describe("journey JSON Schema", () => {
  it("is derived from the zod schema, and the checked-in copy is current (pnpm schema:write)", () => {
    const checkedIn = JSON.parse(readFileSync(new URL("../../journey.schema.json", import.meta.url), "utf8"));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(journeyJsonSchema())));
  });

  it("lists every node kind in the node union", () => {
    const text = JSON.stringify(journeyJsonSchema());
    for (const kind of KIND_NAMES) expect(text).toContain(`"const":"${kind}"`);
  });

  it("accepts every sample journey", () => {
    const dir = new URL("../../../samples/journeys/", import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      expect([file, errorsOf(JSON.parse(readFileSync(new URL(file, dir), "utf8")))]).toEqual([file, []]);
    }
  });

  it("rejects a misspelt reward budget, naming the field rather than the node's kind", () => {
    expect(errorsOf(reward({ reward: { type: "points", amount: 100 }, budget: { id: "b", amount: 1 } }))).toEqual([]);
    const errors = errorsOf(reward({ reward: { type: "points", amount: 100 }, budgte: { id: "b", amount: 1 } }));
    expect(errors).toContainEqual(
      expect.objectContaining({
        instancePath: "/nodes/1/params",
        keyword: "additionalProperties",
        params: { additionalProperty: "budgte" },
      }),
    );
    expect(errors.filter((e) => e.keyword === "const")).toEqual([]);
  });

  it("closes the document's objects, and keeps maps and rules open", () => {
    expect(errorsOf(journey({ settings: { quietHour: { start: "22:00", end: "08:00" } } }))).toContainEqual(
      expect.objectContaining({ instancePath: "/settings", params: { additionalProperty: "quietHour" } }),
    );
    expect(errorsOf(journey({ entry: { reentry: "once", limt: { count: 1 } } }))).toContainEqual(
      expect.objectContaining({ instancePath: "/entry", params: { additionalProperty: "limt" } }),
    );
    expect(
      errorsOf(journey({ entry: { reentry: "once_per_period", period: "week", limit: { count: 1, per: "day" } } })),
    ).toEqual([]);
    expect(errorsOf(journey({ segments: [{ id: "s", name: "S", condtion: true }] }))).toContainEqual(
      expect.objectContaining({ instancePath: "/segments/0", params: { additionalProperty: "condtion" } }),
    );
    const open = journey({
      catalog: { events: { purchase: { props: { anything: "number" } } }, attributes: { tier: "string" } },
      segments: [{ id: "s", name: "S", condition: { and: [{ ">=": [{ var: "profile.spend" }, 1] }] } }],
    });
    expect(errorsOf(open)).toEqual([]);
  });

  it("names an unknown kind at the kind field", () => {
    const errors = errorsOf(journey({ nodes: [trigger(), node("x", "teleport", {})] }));
    expect(errors).toContainEqual(expect.objectContaining({ instancePath: "/nodes/1/kind", keyword: "enum" }));
  });
});
