import type { Catalog } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { ruleWords } from "./fields.ts";

const catalog: Catalog = { currency: "CNY", events: { transaction: { props: { amount: "money" } } }, attributes: {} };
const monthSum = { agg_sum: ["transaction", "amount", "month"] };

describe("a rule in words", () => {
  it("says a month's money total in yuan, in both languages", () => {
    const rule = { ">=": [monthSum, 1000000] };
    expect(ruleWords(rule, { catalog, lang: "zh-CN" })).toBe("本月 transaction amount 合计 ≥ ¥10,000.00");
    expect(ruleWords(rule, { catalog, lang: "en" })).toBe("This month's sum of transaction amount ≥ ¥10,000.00");
    // Read from the other side: 10,000 < the total is the total > 10,000.
    expect(ruleWords({ "<": [1000000, monthSum] }, { catalog, lang: "en" })).toBe(
      "This month's sum of transaction amount > ¥10,000.00",
    );
  });

  it("joins conditions, names the person's fields and says what it cannot as JSON", () => {
    const rule = { and: [{ "==": [{ var: "profile.tier" }, "VIP"] }, { in_segment: ["steady"] }] };
    expect(ruleWords(rule, { catalog, lang: "zh-CN" })).toBe("用户 · tier = VIP 且 属于分群 steady");
    expect(ruleWords(true, { catalog, lang: "en" })).toBe("Everyone");
    expect(ruleWords({ "+": [1, 2] }, { catalog, lang: "en" })).toBe('{"+":[1,2]}');
  });
});
