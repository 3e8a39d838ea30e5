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
      aggregates: [],
    });
    expect(resolveTemplate("{{event.props.note | money}}", vars).problems).toEqual([
      expect.objectContaining({ code: "template_money_currency" }),
    ]);
    expect(renderTemplate("{{event.props.amount | money:usd}}", { event: { props: { amount: 199 } } })).toBe("US$1.99");
  });
});

describe("aggregates in templates", () => {
  const catalog = {
    events: {
      fee_waived: { props: { fee_saved: "money" as const, channel: "string" as const }, currency: "CNY" },
      statement: { props: {} },
    },
    attributes: {},
  };
  const vars = { scope: "run" as const, catalog };

  it("resolves the short form against the catalog and gives the money its currency", () => {
    const r = resolveTemplate(
      "本月为您节省手续费 {{agg_sum(fee_saved, month) | money}}，共 {{agg_count(fee_waived, 30d)}} 次",
      vars,
    );
    expect(r.problems).toEqual([]);
    expect(r.text).toBe(
      "本月为您节省手续费 {{agg_sum(fee_waived, fee_saved, month) | money:CNY}}，共 {{agg_count(fee_waived, 30d)}} 次",
    );
    expect(r.aggregates.map((a) => a.key)).toEqual(["sum:fee_waived:fee_saved:month", "count:fee_waived::30d"]);
  });

  it("refuses an event or a property the catalog does not list, and a malformed call", () => {
    const codes = (t: string) => resolveTemplate(t, vars).problems.map((p) => [p.code, p.message]);
    expect(codes("{{agg_sum(fee_waivd, fee_saved, month)}}")).toEqual([
      ["unknown_variable", expect.stringContaining('unknown event "fee_waivd"')],
    ]);
    expect(codes("{{agg_sum(fee_waived, fee_savd, month)}}")).toEqual([
      ["unknown_variable", expect.stringContaining('no property "fee_savd" on "fee_waived"')],
    ]);
    expect(codes("{{agg_sum(nothing, month)}}")).toEqual([
      ["bad_aggregate", expect.stringContaining('no event in the catalog has a property "nothing"')],
    ]);
    expect(codes("{{agg_count(fee_waived, fortnight)}}")).toEqual([
      ["bad_aggregate", expect.stringContaining("is not a window")],
    ]);
    expect(codes("{{agg_count(fee_waived, month) | money}}")).toEqual([
      ["template_money_currency", expect.stringContaining("as money")],
    ]);
  });

  it("renders the value read, never interpreting one that holds a placeholder", () => {
    const read = (spec: { key: string }) => (spec.key === "sum:fee_waived:fee_saved:month" ? 2000 : null);
    const text =
      "省 {{agg_sum(fee_waived, fee_saved, month) | money:CNY}}，{{event.props.note}}" +
      "{{agg_max(fee_waived, fee_saved, day) | 无}}";
    const data = { event: { props: { note: "{{agg_sum(fee_waived, fee_saved, month)}}{{profile.secret}}" } } };
    expect(renderTemplate(text, data, read)).toBe(
      "省 ¥20.00，{{agg_sum(fee_waived, fee_saved, month)}}{{profile.secret}}无",
    );
    expect(renderTemplate("{{agg_count(fee_waived, 30d) | 0}}", {})).toBe("0");
  });
});
