import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { checkBranchIds, HandleId, Rule } from "../schema/common.ts";
import { defineKind, pick, text, type HandleSpec } from "./types.ts";

export const SplitParams = strictObject({
  /** Checked in order; the first that holds wins, otherwise "else". */
  branches: z
    .array(strictObject({ id: HandleId, label: z.string().max(80).default(""), rule: Rule }))
    .min(1)
    .max(20),
}).superRefine((p, ctx) => checkBranchIds(p.branches, "branches", "else", ctx, "branch"));

export const split = defineKind({
  kind: "split",
  params: SplitParams,
  meta: {
    label: text("Split", "多路分支"),
    description: text(
      "Ordered branches: the first that matches wins, else the fallback",
      "按顺序匹配，首个满足的分支生效，否则走兜底",
    ),
    icon: "🔀",
    color: "#0d9488",
    category: "logic",
  },
  defaults: () => ({ branches: [{ id: "a", label: "A", rule: true }] }),
  handles: (p): Array<HandleSpec<HandleId | "else">> => [
    ...p.branches.map((b) => ({ id: b.id, label: text(b.label || b.id, b.label || b.id), required: true })),
    { id: "else", label: text("Else", "其他"), required: false },
  ],
  summary: (p, lang) =>
    pick(
      lang,
      `${p.branches.length} branch${p.branches.length === 1 ? "" : "es"}, first match + else`,
      `${p.branches.length} 个分支，首个匹配 + 兜底`,
    ),
  compile: (p, ctx) => ({
    branches: p.branches.map((b, i) => ({ handle: b.id, rule: ctx.rule(b.rule, `branches[${i}].rule`, "run") })),
  }),
  rules: (c) => c.branches.map((b, i) => ({ key: b.handle, rule: b.rule, field: `branches[${i}].rule` })),
  rulesShown: (p) => p.branches.map((b) => ({ handle: b.id, rule: b.rule })),
});
