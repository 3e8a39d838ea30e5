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
    expect(ruleWords(rule, { catalog, lang: "zh-CN" })).toBe("用户 · 等级 = VIP 且 属于分群 steady");
    expect(ruleWords(true, { catalog, lang: "en" })).toBe("Everyone");
    expect(ruleWords({ "+": [1, 2] }, { catalog, lang: "en" })).toBe('{"+":[1,2]}');
  });

  it("names events, properties and attributes by the catalog's labels", () => {
    const labelled: Catalog = {
      currency: "CNY",
      events: {
        transaction: {
          props: { amount: "money" },
          label: { en: "transaction", "zh-CN": "交易" },
          propLabels: { amount: { en: "amount", "zh-CN": "金额" } },
        },
        login: { props: {}, label: { "zh-CN": "登录" } },
      },
      attributes: { level: "string" },
      attributeLabels: { level: { en: "member level", "zh-CN": "会员等级" } },
    };
    const zh = { catalog: labelled, lang: "zh-CN" as const };
    expect(ruleWords({ ">=": [monthSum, 1000000] }, zh)).toBe("本月交易金额合计 ≥ ¥10,000.00");
    expect(ruleWords({ ">": [{ agg_count: ["login", "7d"] }, 2] }, zh)).toBe("近7天登录次数 > 2");
    expect(ruleWords({ "==": [{ var: "profile.level" }, "VIP"] }, zh)).toBe("用户 · 会员等级 = VIP");
    expect(ruleWords({ ">": [{ var: "event.props.amount" }, 500] }, zh)).toBe("事件 · 金额 > ¥5.00");
    // English has no label for login: its name stands.
    expect(ruleWords({ ">": [{ agg_count: ["login", "7d"] }, 2] }, { catalog: labelled, lang: "en" })).toBe(
      "Last 7 days' count of login > 2",
    );
    expect(ruleWords({ "==": [{ var: "profile.level" }, "VIP"] }, { catalog: labelled, lang: "en" })).toBe(
      "Profile · member level = VIP",
    );
    // Workspace attributes have names of their own, in both languages.
    expect(ruleWords({ "!!": [{ var: "profile.registeredAt" }] }, zh)).toBe("用户 · 注册时间 有值");
  });
});
