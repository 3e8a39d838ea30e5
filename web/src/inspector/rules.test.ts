import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RuleGroupType, RuleType } from "react-querybuilder";
import { Rule, type Catalog } from "@lifeloop/shared";
import {
  aggregateWindow,
  builderFields,
  fieldLabel,
  normalizeRule,
  queryToRule,
  ruleToQuery,
  sameRule,
  SEGMENT_FIELD,
} from "./rules.ts";

const SAMPLES = join(import.meta.dirname, "../../../samples/journeys");

/** Every rule in the samples: node rules, filters, split branches, segments, goal and exit conditions. */
function sampleRules(): Array<{ where: string; rule: unknown }> {
  const out: Array<{ where: string; rule: unknown }> = [];
  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(readFileSync(join(SAMPLES, file), "utf8")) as unknown;
    const walk = (v: unknown, path: string): void => {
      if (!v || typeof v !== "object") return;
      for (const [k, x] of Object.entries(v)) {
        if ((k === "rule" || k === "filter" || k === "condition") && x !== undefined)
          out.push({ where: `${file} ${path}.${k}`, rule: x });
        else walk(x, `${path}.${k}`);
      }
    };
    walk(doc, "$");
  }
  return out;
}

describe("rules: JSON-logic ⇄ visual query", () => {
  const rules = sampleRules();

  it("finds the samples' rules", () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
  });

  it.each(rules.map((r) => [r.where, r.rule] as const))("%s round-trips or stays raw unchanged", (_where, rule) => {
    const q = ruleToQuery(Rule.parse(rule));
    if (q.ok) {
      // Parse → format gives the same rule back.
      expect(sameRule(queryToRule(q.query), rule)).toBe(true);
      expect(q.query.rules.length).toBeGreaterThan(0);
    } else {
      // Not representable (or one field compared with another): the caller keeps the rule as it is and shows it raw.
      expect(["not_representable", "field_values"]).toContain(q.reason);
    }
  });

  it("supports the aggregates, days-since and is-set rules of the samples visually", () => {
    const supported = rules.filter((r) => ruleToQuery(Rule.parse(r.rule)).ok).map((r) => r.where);
    // Left to the raw view: the rule with arithmetic (2 × this month's sum < last month's) and the
    // levels sample's "went up" (one event property compared with another).
    const raw = rules.filter((r) => !supported.includes(r.where));
    expect(raw.map((r) => r.where.split(" ")[0])).toEqual(["tiers-levels.json", "tiers.json"]);
    expect(raw.find((r) => r.where.startsWith("tiers.json"))!.rule).toHaveProperty("or");
  });

  it("maps an aggregate comparison to a pseudo-field row and back", () => {
    const rule = { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 500000] };
    const q = ruleToQuery(rule);
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    const row = q.query.rules[0] as RuleType;
    expect(row.operator).toBe(">=");
    expect(row.value).toBe(500000);
    expect(fieldLabel(row.field, "en")).toBe("Sum of transaction amount · this month");
    expect(fieldLabel(row.field, "zh-CN")).toBe("transaction amount 合计 · 本月");
    expect(queryToRule(q.query)).toEqual(rule);
  });

  it("keeps numbers numbers when a number field's value is typed as text", () => {
    const fields = builderFields(
      {
        catalog: { events: { transaction: { props: { amount: "number" } } }, attributes: {} },
        triggerEvents: [],
        segments: [],
        scope: "run",
      },
      "en",
      (g) => g,
    ).flatMap((g) => g.options);
    const field = fields.find((f) => f.name.includes("agg_count"))!;
    const query: RuleGroupType = { combinator: "and", rules: [{ field: field.name, operator: ">", value: "3" }] };
    expect(queryToRule(query, fields)).toEqual({ ">": [{ agg_count: ["transaction", "30d"] }, 3] });
  });

  it("offers the growth level's id, rank and xp by readable names, and writes them as level.*", () => {
    const groups = builderFields(
      { catalog: { events: {}, attributes: {} }, triggerEvents: [], segments: [], scope: "profile" },
      "zh-CN",
      (g) => g,
    );
    const level = groups.find((g) => g.label === "level")!;
    expect(level.options.map((o) => [o.name, o.label])).toEqual([
      ["level.id", "成长等级"],
      ["level.rank", "成长等级序号（0 为最低）"],
      ["level.xp", "近期经验值"],
    ]);
    const query: RuleGroupType = { combinator: "and", rules: [{ field: "level.xp", operator: ">=", value: "1000" }] };
    expect(queryToRule(query, level.options)).toEqual({ ">=": [{ var: "level.xp" }, 1000] });
    expect(queryToRule({ combinator: "and", rules: [{ field: "level.id", operator: "=", value: "gold" }] })).toEqual({
      "==": [{ var: "level.id" }, "gold"],
    });
  });

  it("writes AND/OR groups and an empty query as true", () => {
    const query: RuleGroupType = {
      combinator: "or",
      rules: [
        { field: "profile.tier", operator: "=", value: "VIP" },
        {
          combinator: "and",
          rules: [
            { field: "event.props.channel", operator: "in", value: ["app", "web"] },
            { field: "profile.registeredAt", operator: "truthy", value: "" },
          ],
        },
      ],
    };
    const rule = queryToRule(query);
    expect(rule).toEqual({
      or: [
        { "==": [{ var: "profile.tier" }, "VIP"] },
        {
          and: [{ in: [{ var: "event.props.channel" }, ["app", "web"]] }, { "!!": [{ var: "profile.registeredAt" }] }],
        },
      ],
    });
    expect(ruleToQuery(rule).ok).toBe(true);
    expect(queryToRule({ combinator: "and", rules: [] })).toBe(true);
  });

  it("names variables by where they come from", () => {
    expect(fieldLabel("event.props.amount", "en")).toBe("Event · amount");
    expect(fieldLabel("trigger.props.orderId", "zh-CN")).toBe("触发事件 · orderId");
    expect(fieldLabel("profile.tier", "zh-CN")).toBe("用户 · 等级");
    expect(fieldLabel("user.id", "en")).toBe("User ID");
    expect(fieldLabel("user.id", "zh-CN")).toBe("用户 ID");
  });

  it("names aggregates by the catalog's labels, in Chinese words run together", () => {
    const catalog: Catalog = {
      events: {
        transaction: {
          props: { amount: "money" },
          label: { "zh-CN": "交易" },
          propLabels: { amount: { "zh-CN": "金额" } },
        },
        login: { props: {}, label: { "zh-CN": "登录" } },
      },
      attributes: {},
    };
    const sum = `@${JSON.stringify({ agg_sum: ["transaction", "amount", "month"] })}`;
    expect(fieldLabel(sum, "zh-CN", catalog)).toBe("交易金额合计 · 本月");
    expect(fieldLabel(sum, "zh-CN")).toBe("transaction amount 合计 · 本月");
    const since = `@${JSON.stringify({ days_since: [{ last_seen: ["login"] }] })}`;
    expect(fieldLabel(since, "zh-CN", catalog)).toBe("距上次登录的天数");
  });

  it("moves an aggregate to another window", () => {
    const name = `@${JSON.stringify({ agg_sum: ["transaction", "amount", "month"] })}`;
    const w = aggregateWindow(name)!;
    expect(w.window).toBe("month");
    expect(fieldLabel(w.withWindow("prev_30d"), "en")).toBe("Sum of transaction amount · the 30 days before");
    expect(fieldLabel(w.withWindow("14d"), "zh-CN")).toBe("transaction amount 合计 · 近14天");
    expect(aggregateWindow(`@${JSON.stringify({ last_seen: ["login"] })}`)).toBeNull();
    expect(aggregateWindow("profile.tier")).toBeNull();
  });

  it("reads segment membership", () => {
    const q = ruleToQuery({ in_segment: ["vip"] });
    expect(q.ok && (q.query.rules[0] as RuleType).field).toBe(SEGMENT_FIELD);
    expect(q.ok && queryToRule(q.query)).toEqual({ in_segment: ["vip"] });
  });

  it.each([
    ["strict equality", { "===": [{ var: "profile.tier" }, "VIP"] }],
    ["value on the left", { "<": [3, { var: "profile.level" }] }],
    ["arithmetic", { ">": [{ "+": [{ var: "a" }, 1] }, 2] }],
    ["unknown custom operator", { my_op: [1] }],
    ["a var that looks encoded", { "==": [{ var: "@x" }, 1] }],
    ["comparing two fields", { "==": [{ var: "a" }, { var: "b" }] }],
    ["a bare literal", 42],
    ["if", { if: [{ var: "a" }, true, false] }],
  ])("leaves %s to the raw view", (_name, rule) => {
    expect(ruleToQuery(Rule.parse(rule)).ok).toBe(false);
  });

  it("normalizes JSON-logic equivalences only", () => {
    expect(normalizeRule({ and: [{ "!!": { var: "x" } }] })).toEqual({ "!!": [{ var: "x" }] });
    expect(sameRule({ "==": [{ var: "a" }, 1] }, { "==": [{ var: "a" }, "1"] })).toBe(false);
  });
});
