import { strictObject } from "../schema/strict.ts";
import { Slug } from "../schema/common.ts";
import { defineKind, pick, text } from "./types.ts";

const ExitParams = strictObject({
  /** Shown in reports as why people left here. */
  reason: Slug.default("completed"),
});

export const exit = defineKind({
  kind: "exit",
  params: ExitParams,
  meta: {
    label: text("Exit", "退出"),
    description: text("Ends the run here, with a reason", "在此结束旅程，并记录原因"),
    icon: "🏁",
    color: "#475569",
    category: "end",
  },
  defaults: () => ({ reason: "completed" }),
  handles: () => [],
  summary: (p, lang) => pick(lang, `Exit: ${p.reason}`, `退出：${p.reason}`),
  compile: (p) => ({ reason: p.reason }),
});
