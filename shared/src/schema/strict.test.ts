import { describe, expect, it } from "vitest";
import { z } from "zod";
import { closestKey, schemaProblems, strictObject, unknownFieldMessage, UNKNOWN_FIELD } from "./strict.ts";

describe("closestKey", () => {
  const reward = ["reward", "cap", "budget"];
  it("suggests a key one swap, one letter or only case away", () => {
    expect(closestKey("budgte", reward)).toBe("budget");
    expect(closestKey("budet", reward)).toBe("budget");
    expect(closestKey("caps", reward)).toBe("cap");
    expect(closestKey("userid", ["id", "userId", "type", "at", "props"])).toBe("userId");
    expect(closestKey("quietHour", ["quietHours", "frequencyCap"])).toBe("quietHours");
  });

  it("suggests nothing for a far-off key", () => {
    expect(closestKey("colour", reward)).toBeNull();
    expect(closestKey("time", ["id", "userId", "type", "at", "props"])).toBeNull();
    expect(closestKey("x".repeat(10_000), reward)).toBeNull();
  });

  it("prefers the nearest of several candidates", () => {
    expect(closestKey("perod", ["per", "period"])).toBe("period");
  });
});

describe("strict objects", () => {
  const Budget = z.object({
    budget: strictObject({ id: z.string(), amount: z.number() }).optional(),
    items: z.array(strictObject({ a: z.number() })),
  });

  it("reports each unknown key at its own path, with a suggestion when one is close", () => {
    const r = Budget.safeParse({ budget: { id: "b", amount: 1, amout: 2, zzzzzz: 3 }, items: [] });
    expect(r.success).toBe(false);
    expect(schemaProblems(r.error!.issues)).toEqual([
      { code: UNKNOWN_FIELD, path: ["budget", "amout"], message: 'unknown field "amout"; did you mean "amount"?' },
      { code: UNKNOWN_FIELD, path: ["budget", "zzzzzz"], message: 'unknown field "zzzzzz"' },
    ]);
  });

  it("says the same in zod's own message, for callers that read issues directly", () => {
    const r = Budget.safeParse({ items: [{ a: 1, aa: 2 }] });
    expect(r.error!.issues[0]).toMatchObject({
      code: "unrecognized_keys",
      path: ["items", 0],
      message: 'unknown field "aa"; did you mean "a"?',
    });
  });

  it("passes other problems through with zod's code and path", () => {
    const r = Budget.safeParse({ items: [{ a: "one" }] });
    expect(schemaProblems(r.error!.issues)).toEqual([
      { code: "invalid_type", path: ["items", 0, "a"], message: expect.any(String) },
    ]);
  });

  it("offers the keys of an intersection's other side", () => {
    const Both = strictObject({ reentry: z.literal("once") }, { alsoKnown: ["limit"] }).and(
      strictObject({ limit: z.number().optional() }, { alsoKnown: ["reentry"] }),
    );
    expect(Both.safeParse({ reentry: "once", limit: 1 }).success).toBe(true);
    const r = Both.safeParse({ reentry: "once", limt: 1 });
    expect(schemaProblems(r.error!.issues)).toEqual([
      { code: UNKNOWN_FIELD, path: ["limt"], message: 'unknown field "limt"; did you mean "limit"?' },
    ]);
  });

  it("quotes keys that are not identifiers", () => {
    expect(unknownFieldMessage('a"b', ["ab"])).toBe('unknown field "a\\"b"; did you mean "ab"?');
  });
});
