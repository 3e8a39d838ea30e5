import { describe, expect, it } from "vitest";
import { checkTemplate, renderTemplate, resolveTemplate, templateVariables } from "./template.ts";

describe("templates", () => {
  it("lists variables, with or without fallback", () => {
    expect(templateVariables("Hi {{ profile.nickname | friend }}, code {{reward.code}}")).toEqual([
      "profile.nickname",
      "reward.code",
    ]);
  });

  it("renders values as text, with fallbacks for missing ones", () => {
    const data = { profile: { nickname: "小林" }, reward: { code: "WELCOME", amount: 2000 } };
    expect(renderTemplate("{{profile.nickname | 新朋友}} {{reward.code}} {{reward.amount}}", data)).toBe(
      "小林 WELCOME 2000",
    );
    expect(renderTemplate("{{profile.city | 上海}}{{profile.none}}!", data)).toBe("上海!");
  });

  it("never reads inherited properties", () => {
    expect(renderTemplate("{{profile.constructor}}{{profile.__proto__}}{{profile.toString}}", { profile: {} })).toBe(
      "",
    );
  });

  it("flags unclosed braces and unknown roots", () => {
    expect(checkTemplate("Hi {{profile.name", { scope: "run" })).toEqual([
      expect.objectContaining({ code: "template_syntax" }),
    ]);
    expect(checkTemplate("{{secret.key}}", { scope: "run" })).toEqual([
      expect.objectContaining({ code: "unknown_variable" }),
    ]);
    expect(checkTemplate("{{ }}", { scope: "run" })).toEqual([expect.objectContaining({ code: "template_syntax" })]);
  });

  it("formats money with `| money`: a reward in its own unit, a catalog money field in its currency", () => {
    const data = { reward: { amount: 18000, unit: "CNY" }, event: { props: { amount: 1234567 } }, profile: {} };
    expect(renderTemplate("{{reward.amount | money}} 已到账", data)).toBe("¥180.00 已到账");
    expect(renderTemplate("{{reward.amount | money}}", { reward: { amount: 1500, unit: "points" } })).toBe("1,500");
    expect(renderTemplate("{{event.props.amount | money:HKD}}", data)).toBe("HK$12,345.67");
    expect(renderTemplate("{{profile.balance | money | 0}}", data)).toBe("0");
    // Not a whole number of minor units: shown as it is, never rounded into an amount.
    expect(renderTemplate("{{reward.amount | money}}", { reward: { amount: 1.5, unit: "CNY" } })).toBe("1.5");
    // A fallback that is not a filter name stays a fallback.
    expect(renderTemplate("{{profile.nickname | moneybags}}", data)).toBe("moneybags");
  });

  it("gives catalog money fields their currency at compile time, and says when none is known", () => {
    const catalog = {
      currency: "CNY",
      events: { transaction: { props: { amount: "money" as const, note: "string" as const } } },
      attributes: {},
    };
    const vars = { scope: "run" as const, catalog, eventType: "transaction", triggerType: "transaction" };
    expect(resolveTemplate("{{trigger.props.amount | money}} / {{reward.amount | money}}", vars)).toEqual({
      text: "{{trigger.props.amount | money:CNY}} / {{reward.amount | money}}",
      problems: [],
    });
    expect(resolveTemplate("{{event.props.note | money}}", vars).problems).toEqual([
      expect.objectContaining({ code: "template_money_currency" }),
    ]);
    expect(renderTemplate("{{event.props.amount | money:usd}}", { event: { props: { amount: 199 } } })).toBe("US$1.99");
  });
});
