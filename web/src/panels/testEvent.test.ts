import { describe, expect, it } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import type { Doc } from "../store/editor.ts";
import { propFields, testEventLine } from "./testEvent.ts";

const doc = compileJourney(tieredDoc).document as Doc;

describe("test events", () => {
  it("offers the props the catalog declares, money with its currency", () => {
    expect(propFields(doc.catalog, "transaction")).toContainEqual({ name: "amount", type: "money", currency: "CNY" });
    expect(propFields(doc.catalog, "no_such_event")).toEqual([]);
    expect(propFields(undefined, "transaction")).toEqual([]);
  });
  it("builds one stream line at the time it is given, marked as a test person's", () => {
    const at = Date.parse("2026-03-01T04:00:00Z");
    expect(JSON.parse(testEventLine("tester", "transaction", { amount: 1_200_000 }, at))).toEqual({
      id: `test-tester-${at}`,
      userId: "tester",
      type: "transaction",
      at: "2026-03-01T04:00:00.000Z",
      props: { amount: 1_200_000 },
      test: true,
    });
  });
});
