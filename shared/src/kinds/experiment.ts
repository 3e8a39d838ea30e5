import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { checkBranchIds, HandleId, LocalDateTime, Slug } from "../schema/common.ts";
import { defineKind, pick, text, type HandleSpec } from "./types.ts";

const Weight = z.number().int("a whole percentage").min(0).max(100);

/** What new entrants get when no arm wins: the control, a named arm, or the split as before. */
const KEEP_SPLIT = "keep";

/**
 * The automatic winner: at the end of a window (days after the experiment's first assignment, or a
 * local date-time in the journey's time zone) the engine compares each arm's conversion of the
 * journey's goal against the control (the first arm without one) with the anytime-valid mSPRT, once,
 * and sends every later entrant to the winner; with no winner, to the fallback. People already in an
 * arm stay there.
 */
const AutoWinner = strictObject({
  after: z.discriminatedUnion("mode", [
    strictObject({ mode: z.literal("days"), days: z.number().int().min(1).max(365) }),
    strictObject({ mode: z.literal("at"), at: LocalDateTime }),
  ]),
  /** The journey's goal: an entry converts when the person does the goal event within its window. */
  metric: z.literal("conversion").default("conversion"),
  method: z.literal("msprt").default("msprt"),
  /** An arm's id, "control", or "keep" (the split goes on as configured). */
  fallback: z.string().max(64).default(KEEP_SPLIT),
});

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
  autoWinner: AutoWinner.optional(),
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
  const fallback = p.autoWinner?.fallback;
  if (
    fallback !== undefined &&
    fallback !== KEEP_SPLIT &&
    !(fallback === "control" && p.control > 0) &&
    !p.arms.some((a) => a.id === fallback)
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["autoWinner", "fallback"],
      message: `the fallback is an arm's id, "control" (with a control share) or "keep"; "${fallback}" is none`,
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
    const split = p.control > 0 ? pick(lang, `${arms} / control ${p.control}%`, `${arms} / 对照 ${p.control}%`) : arms;
    const w = p.autoWinner;
    if (!w) return split;
    const when =
      w.after.mode === "days"
        ? pick(lang, `after ${w.after.days} days`, `${w.after.days} 天后`)
        : pick(lang, `at ${w.after.at.replace("T", " ")}`, `于 ${w.after.at.replace("T", " ")}`);
    return pick(lang, `${split}; winner picked ${when}`, `${split}；${when}自动选出胜者`);
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
    const w = p.autoWinner;
    if (!w) return { key: p.key, arms };
    const autoWinner = {
      afterMs: w.after.mode === "days" ? w.after.days * 86_400_000 : null,
      at: w.after.mode === "at" ? w.after.at : null,
      metric: w.metric,
      method: w.method,
      // null: keep the split as configured.
      fallback: w.fallback === KEEP_SPLIT ? null : w.fallback,
    };
    // Widened to optional so the compiled type says both shapes: without a winner it compiles as before, byte for byte.
    return { key: p.key, arms, autoWinner: autoWinner as typeof autoWinner | undefined };
  },
  report: { experiment: (c) => c },
});
