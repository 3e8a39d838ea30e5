import { strictObject } from "../schema/strict.ts";
import { Rule } from "../schema/common.ts";
import { defineKind, pick, text } from "./types.ts";

const ConditionParams = strictObject({
  /** JSON-logic; truthy → "yes". */
  rule: Rule,
});

export const condition = defineKind({
  kind: "condition",
  params: ConditionParams,
  meta: {
    label: text("Condition", "条件"),
    description: text("Yes / no on the person, the event or an aggregate", "按用户、事件或聚合指标判断是 / 否"),
    icon: "❓",
    color: "#0891b2",
    category: "logic",
  },
  defaults: () => ({ rule: { "==": [{ var: "profile.tier" }, "VIP"] } }),
  handles: () => [
    { id: "yes", label: text("Yes", "是"), required: true },
    { id: "no", label: text("No", "否"), required: false },
  ],
  summary: (_p, lang) => pick(lang, "If the condition holds → yes, else → no", "满足条件 → 是，否则 → 否"),
  compile: (p, ctx) => ({ rule: ctx.rule(p.rule, "rule", "run") }),
  rules: (c) => [{ key: "main", rule: c.rule, field: "rule" }],
  rulesShown: (p) => [{ handle: null, rule: p.rule }],
});
