import { describe, expect, it } from "vitest";
import { assertNoForbiddenKeys, InputError, joinPath, parseUntrustedJson } from "./json.ts";

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return { code: e.code, path: e.path, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("parseUntrustedJson", () => {
  it("parses ordinary JSON", () => {
    expect(parseUntrustedJson('{"a":[1,"}{",{"b":null}]}')).toEqual({ a: [1, "}{", { b: null }] });
  });

  it("refuses oversized input before parsing", () => {
    expect(refusal(() => parseUntrustedJson(`"${"x".repeat(100)}"`, { maxBytes: 50 }))).toMatchObject({
      code: "too_large",
    });
  });

  it("refuses deep nesting before parsing, ignoring brackets inside strings", () => {
    expect(refusal(() => parseUntrustedJson("[".repeat(100_000) + "]".repeat(100_000)))).toMatchObject({
      code: "too_deep",
    });
    expect(parseUntrustedJson(`["${"[".repeat(500)}"]`)).toHaveLength(1);
  });

  it("refuses __proto__ keys anywhere, with their path", () => {
    expect(refusal(() => parseUntrustedJson('{"nodes":[{"params":{"__proto__":{"x":1}}}]}'))).toMatchObject({
      code: "forbidden_key",
      path: "$.nodes[0].params.__proto__",
    });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("reports malformed JSON as not_json", () => {
    expect(refusal(() => parseUntrustedJson("{nope"))).toMatchObject({ code: "not_json" });
  });

  it("checks in-memory values iteratively", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(refusal(() => assertNoForbiddenKeys(deep, 64))).toMatchObject({ code: "too_deep" });
  });

  it("quotes keys that are not identifiers in paths", () => {
    expect(joinPath(joinPath("$", "rule"), "==")).toBe('$.rule["=="]');
    expect(joinPath("$.a", 3)).toBe("$.a[3]");
  });
});
