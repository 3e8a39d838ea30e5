import { describe, expect, it } from "vitest";
import type { Catalog } from "@lifeloop/shared";
import { pathLabel, readingText, windowLabel } from "./fields.ts";

const catalog: Catalog = {
  currency: "CNY",
  events: {
    transaction: { props: { amount: "money", channel: "string" } },
    deposit: { props: { amount: "money" }, currency: "HKD" },
    login: { props: {} },
  },
  attributes: { balance: "money", tier: "string" },
};

describe("what a decision read, in words", () => {
  it("says sums of money as money, in the event's currency", () => {
    expect(readingText("agg_sum(transaction, amount, month)", 1100000, { catalog, lang: "en" })).toBe(
      "This month's sum of transaction amount = ¥11,000.00",
    );
    expect(readingText("agg_sum(transaction, amount, month)", 1100000, { catalog, lang: "zh-CN" })).toBe(
      "本月 transaction amount 合计 = ¥11,000.00",
    );
    expect(readingText("agg_max(deposit, amount, 30d)", 1000, { catalog, lang: "en" })).toBe(
      "Last 30 days' largest of deposit amount = HK$10.00",
    );
  });

  it("counts, variables and attributes", () => {
    expect(readingText("agg_count(login, 7d)", 3, { catalog, lang: "en" })).toBe("Last 7 days' count of login = 3");
    expect(readingText("agg_count(login, 7d)", 3, { catalog, lang: "zh-CN" })).toBe("近7天 login 次数 = 3");
    expect(
      readingText("event.props.amount", 2050, {
        catalog: { ...catalog, events: { transaction: catalog.events.transaction! } },
        lang: "en",
      }),
    ).toBe("Event · amount = ¥20.50");
    expect(readingText("profile.balance", 99, { catalog, lang: "zh-CN" })).toBe("用户 · balance = ¥0.99");
    expect(readingText("profile.tier", "VIP", { catalog, lang: "en" })).toBe("Profile · tier = VIP");
    expect(readingText("profile.tier", null, { catalog, lang: "zh-CN" })).toBe("用户 · 等级 = （无）");
  });

  it("leaves a number a number when the catalog does not say it is money", () => {
    expect(readingText("agg_sum(transaction, amount, month)", 1100000, { catalog: undefined, lang: "en" })).toBe(
      "This month's sum of transaction amount = 1100000",
    );
    expect(windowLabel("prev_month", "zh-CN")).toBe("上月");
  });
});

describe("the points wallet's variables, in words", () => {
  it("names the balance and what expires soon in both languages", () => {
    expect(readingText("wallet.expiring_3d", 500, { catalog, lang: "zh-CN" })).toBe("3天内过期的积分 = 500");
    expect(readingText("wallet.expiring_1d", 20, { catalog, lang: "en" })).toBe("Points expiring within 1 day = 20");
    expect(readingText("wallet.balance", 1200, { catalog, lang: "en" })).toBe("Points balance = 1200");
    expect(readingText("wallet.balance", 1200, { catalog, lang: "zh-CN" })).toBe("积分余额 = 1200");
  });
});

describe("the growth level's variables, in words", () => {
  it("names the level, its rank and the xp in both languages", () => {
    expect(readingText("level.xp", 1510, { catalog, lang: "zh-CN" })).toBe("近期经验值 = 1510");
    expect(readingText("level.xp", 1510, { catalog, lang: "en" })).toBe("Experience (xp) in the window = 1510");
    expect(pathLabel("level.id", "zh-CN")).toBe("成长等级");
    expect(pathLabel("level.rank", "en")).toBe("Growth level's rank (0 the lowest)");
    expect(pathLabel("level.other", "en")).toBe("level.other");
  });
});
