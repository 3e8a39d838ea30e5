import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { checkBranchIds, HandleId, Slug } from "../schema/common.ts";
import { defineKind, pick, text, type HandleSpec } from "./types.ts";

const Weight = z.number().int("a whole percentage").min(0).max(100);

export const ExperimentParams = strictObject({
  /** Names the experiment in reports; also salts the stable hash so arms are sticky per user. */
  key: Slug,
  arms: z
    .array(strictObject({ id: HandleId, label: z.string().max(80).default(""), weight: Weight }))
    .min(1)
    // Up to 8 arms plus the control: 9 branches, what the report's SRM check and the editor's handles are sized for.
    .max(8),
  /** Holdout share: these users get nothing, so lift is measured against doing nothing. */
  control: Weight.default(0),
}).superRefine((p, ctx) => {
  checkBranchIds(p.arms, "arms", "control", ctx, "arm");
  const total = p.arms.reduce((s, a) => s + a.weight, p.control);
  if (total !== 100) {
    ctx.addIssue({
      code: "custom",
      path: ["control"],
      message: `arm weights plus control must add up to 100 (they add up to ${total})`,
    });
  }
});

export const experiment = defineKind({
  kind: "experiment",
  params: ExperimentParams,
  meta: {
    label: text("Experiment", "A/B 实验"),
    description: text(
      "Weighted arms plus a holdout; each person keeps their arm",
      "按权重分组并保留对照组，用户分组固定不变",
    ),
    icon: "🧪",
    color: "#db2777",
    category: "logic",
  },
  defaults: () => ({
    key: "experiment",
    arms: [
      { id: "a", label: "A", weight: 45 },
      { id: "b", label: "B", weight: 45 },
    ],
    control: 10,
  }),
  handles: (p): Array<HandleSpec<HandleId | "control">> => [
    ...p.arms.map((a) => ({
      id: a.id,
      label: text(`${a.label || a.id} ${a.weight}%`, `${a.label || a.id} ${a.weight}%`),
      required: true,
    })),
    ...(p.control > 0
      ? [{ id: "control" as const, label: text(`Control ${p.control}%`, `对照组 ${p.control}%`), required: false }]
      : []),
  ],
  summary: (p, lang) => {
    const arms = p.arms.map((a) => `${a.label || a.id} ${a.weight}%`).join(" / ");
    return p.control > 0 ? pick(lang, `${arms} / control ${p.control}%`, `${arms} / 对照 ${p.control}%`) : arms;
  },
  compile: (p) => {
    // The engine hashes (key, user) into 0..9999 and takes the first arm whose bound is above it;
    // bounds are cumulative, arms first, then the holdout, so arms keep their place across edits of control.
    let upTo = 0;
    const arms = [
      ...p.arms.map((a) => ({ handle: a.id, weight: a.weight })),
      ...(p.control > 0 ? [{ handle: "control" as const, weight: p.control }] : []),
    ]
      .filter((a) => a.weight > 0)
      .map((a) => ({ ...a, upToBps: (upTo += a.weight * 100) }));
    return { key: p.key, arms };
  },
  report: { experiment: (c) => c },
});
