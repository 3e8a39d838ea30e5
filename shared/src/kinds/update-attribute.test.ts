import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { around } from "../testing/builders.ts";
import { updateAttribute, UpdateAttributeParams } from "./update-attribute.ts";
import { RAW_NAMES } from "./types.ts";

describe("update-attribute", () => {
  it("compiles set, increment, tag and untag", () => {
    for (const params of [
      { op: "set", attribute: "tier", value: "VIP" },
      { op: "increment", attribute: "invites", by: 1 },
      { op: "tag", tag: "vip" },
      { op: "untag", tag: "trial" },
    ]) {
      const r = compileJourney(around({ id: "u", kind: "update-attribute", params }, ["next"]));
      expect(r.ok).toBe(true);
      expect(r.executable!.nodes.u!.params).toEqual(params);
    }
  });

  it("refuses fractional increments and reserved names", () => {
    expect(
      UpdateAttributeParams.safeParse({ op: "increment", attribute: "points", by: 0.5 }).error?.issues[0]?.path,
    ).toEqual(["by"]);
    expect(UpdateAttributeParams.safeParse({ op: "set", attribute: "__proto__", value: 1 }).success).toBe(false);
    expect(UpdateAttributeParams.safeParse({ op: "set", attribute: "tags", value: 1 }).success).toBe(false);
  });

  it("summarises", () => {
    expect(
      updateAttribute.summary(
        UpdateAttributeParams.parse({ op: "set", attribute: "tier", value: "VIP" }),
        "en",
        RAW_NAMES,
      ),
    ).toBe('tier = "VIP"');
    expect(
      updateAttribute.summary(
        UpdateAttributeParams.parse({ op: "increment", attribute: "n", by: -2 }),
        "en",
        RAW_NAMES,
      ),
    ).toBe("n −= 2");
  });
});
