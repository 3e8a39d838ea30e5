import { RAW_NAMES, type DraftJourney } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { knownCatalog } from "../catalog/known.ts";
import { summaryNames } from "../i18n/catalogNames.ts";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import { viewOf } from "./summary.ts";

describe("summaries in the catalog's words", () => {
  // A JSON import widens literal types (a kind is a string): the sample is a journey file all the same.
  const rebate = tieredDoc as unknown as DraftJourney;
  const catalog = knownCatalog(rebate.catalog);
  const node = (id: string) => rebate.nodes.find((n) => n.id === id)!;

  it("name the rebate's property and the trigger's event as the catalog labels them", () => {
    const zh = summaryNames(catalog, "zh-CN");
    expect(viewOf(node("rebate_3"), "zh-CN", zh).summary).toMatch(/^返利金额的 3%/);
    expect(viewOf(node("transaction"), "zh-CN", zh).summary).toBe("当交易发生");
    const en = summaryNames(catalog, "en");
    expect(viewOf(node("rebate_3"), "en", en).summary).toMatch(/^3% rebate of amount, cap/);
  });

  it("say raw names without a catalog, spaced off in Chinese", () => {
    expect(viewOf(node("rebate_3"), "zh-CN", RAW_NAMES).summary).toMatch(/^返利 amount 的 3%/);
    expect(viewOf(node("transaction"), "zh-CN", RAW_NAMES).summary).toBe("当 transaction 发生");
  });
});
