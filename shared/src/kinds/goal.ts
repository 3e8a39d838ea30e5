import { strictObject } from "../schema/strict.ts";
import { Slug } from "../schema/common.ts";
import { defineKind, NEXT_OPTIONAL, pick, text } from "./types.ts";

/** A milestone on the path: reaching it records a conversion named here, for funnels and reports. */
const GoalParams = strictObject({
  name: Slug,
});

export const goal = defineKind({
  kind: "goal",
  params: GoalParams,
  meta: {
    label: text("Goal", "目标"),
    description: text("Records a conversion when people reach this point", "用户到达此处时记为转化"),
    icon: "🎯",
    color: "#ca8a04",
    category: "end",
  },
  defaults: () => ({ name: "converted" }),
  handles: () => [NEXT_OPTIONAL],
  summary: (p, lang) => pick(lang, `Conversion: ${p.name}`, `转化：${p.name}`),
  compile: (p) => ({ name: p.name }),
});
