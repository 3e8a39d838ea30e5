import { describe, expect, it } from "vitest";
import { z } from "zod";
import { JsonValue } from "../schema/common.ts";
import { EffectRecord, WIRE_COMPONENTS } from "./index.ts";
import { componentSchemas, pruneComponents } from "./openapi.ts";

describe("componentSchemas", () => {
  it("keeps JsonValue one recursive schema, its array items open (TS2502 otherwise)", () => {
    const Holder = z.object({ a: JsonValue, b: z.record(z.string(), JsonValue) });
    const s = componentSchemas([
      ["JsonValue", JsonValue],
      ["Holder", Holder],
    ]);
    // One JsonValue for both views (z.object is closed in the output view only, hence HolderInput).
    expect(Object.keys(s).sort()).toEqual(["Holder", "HolderInput", "JsonValue"]);
    expect(s.JsonValue!.anyOf).toContainEqual(expect.objectContaining({ type: "array", items: {} }));
    expect(s.JsonValue!.anyOf).toContainEqual(
      expect.objectContaining({ type: "object", additionalProperties: { $ref: "#/components/schemas/JsonValue" } }),
    );
    expect(JSON.stringify(s.Holder)).toContain('"$ref":"#/components/schemas/JsonValue"');
  });

  it("gives a oneOf of named variants by kind an OpenAPI discriminator with its mapping", () => {
    const s = componentSchemas(Object.entries(WIRE_COMPONENTS));
    expect(s.EffectRecord!.discriminator).toEqual({
      propertyName: "kind",
      mapping: Object.fromEntries(
        EffectRecord.options.map((o) => {
          const kind = o.shape.kind.value;
          // snake_case kinds are named in PascalCase: spend_refused → SpendRefusedEffect.
          const name = kind.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
          return [kind, `#/components/schemas/${name}Effect`];
        }),
      ),
    });
    expect(s.TimelineRecord!.discriminator).toMatchObject({
      propertyName: "kind",
      mapping: { trace: "#/components/schemas/TraceRecord", step_failed: "#/components/schemas/StepFailedRecord" },
    });
    // No anonymous hoisted schema: everything reused is named.
    expect(Object.keys(s).filter((id) => /^Shared/.test(id))).toEqual([]);
  });

  it("names the input view <Name>Input where defaults make it differ, and prunes what paths do not use", () => {
    const Body = z.object({ note: z.string().default("") });
    const s = componentSchemas([["Body", Body]]);
    expect(s.Body!.required).toEqual(["note"]);
    expect(s.BodyInput!.required).toBeUndefined();
    const doc = pruneComponents({
      paths: {
        "/x": {
          post: {
            requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/BodyInput" } } } },
          },
        },
      },
      components: { schemas: s },
    });
    expect(Object.keys((doc.components as { schemas: object }).schemas)).toEqual(["BodyInput"]);
  });
});
