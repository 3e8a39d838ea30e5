import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { EventType, LocalDateTime, Period, Rule, SegmentId } from "../schema/common.ts";
import { MAX_EXPIRING_DAYS, POINTS_EXPIRING_EVENT } from "../wallet.ts";
import { defineKind, pick, spaced, text } from "./types.ts";

/**
 * How people enter: an event happens, they enter or leave a segment, a schedule fires for an
 * audience, or some of their points expire in `days` days (the wallet's `points_expiring` event).
 */
export const TriggerParams = z.discriminatedUnion("mode", [
  strictObject({
    mode: z.literal("event"),
    event: EventType,
    /** Only events matching this rule start a run (e.g. amount ≥ 10,000). */
    filter: Rule.optional(),
  }),
  strictObject({
    mode: z.literal("segment"),
    segment: SegmentId,
    on: z.enum(["enter", "leave"]).default("enter"),
  }),
  strictObject({
    mode: z.literal("schedule"),
    /** First firing, local time in the journey's time zone. */
    start: LocalDateTime,
    every: Period.optional(),
    /** Who enters when it fires; without it, everyone the engine knows. */
    segment: SegmentId.optional(),
  }),
  strictObject({
    mode: z.literal("points_expiring"),
    /** How many days before the points expire (the end of their last local day) the person enters. */
    days: z.number().int().min(1).max(MAX_EXPIRING_DAYS),
    /** Only notices matching this rule start a run (e.g. at least 100 points). */
    filter: Rule.optional(),
  }),
]);

export const trigger = defineKind({
  kind: "trigger",
  params: TriggerParams,
  meta: {
    label: text("Trigger", "触发"),
    description: text("Where people enter the journey", "用户进入旅程的入口"),
    icon: "⚡",
    color: "#7c3aed",
    category: "entry",
  },
  defaults: () => ({ mode: "event" as const, event: "app_open" }),
  handles: () => [{ id: "next", label: text("Enter", "进入"), required: true }],
  summary: (p, lang, names) => {
    switch (p.mode) {
      case "event": {
        const event = names.event(p.event);
        return pick(
          lang,
          `When ${event} happens${p.filter !== undefined ? " (filtered)" : ""}`,
          `当${spaced(event)}发生${p.filter !== undefined ? "（已筛选）" : ""}`,
        );
      }
      case "segment":
        return p.on === "enter"
          ? pick(lang, `On entering segment ${p.segment}`, `进入分群 ${p.segment} 时`)
          : pick(lang, `On leaving segment ${p.segment}`, `离开分群 ${p.segment} 时`);
      case "schedule": {
        const every = p.every
          ? pick(lang, `, every ${p.every}`, `，每${{ day: "天", week: "周", month: "月" }[p.every]}`)
          : "";
        return pick(lang, `At ${p.start.replace("T", " ")}${every}`, `于 ${p.start.replace("T", " ")}${every}`);
      }
      case "points_expiring":
        return pick(lang, `${p.days} days before points expire`, `积分过期前 ${p.days} 天`);
    }
  },
  compile: (p, ctx) => {
    switch (p.mode) {
      case "event":
        return { mode: p.mode, event: p.event, filter: ctx.rule(p.filter, "filter", "entry", p.event) };
      case "segment":
        ctx.segment(p.segment, "segment");
        return { mode: p.mode, segment: p.segment, on: p.on };
      case "schedule":
        if (p.segment) ctx.segment(p.segment, "segment");
        return { mode: p.mode, start: p.start, every: p.every ?? null, segment: p.segment ?? null };
      case "points_expiring":
        return { mode: p.mode, days: p.days, filter: ctx.rule(p.filter, "filter", "entry", POINTS_EXPIRING_EVENT) };
    }
  },
  rules: (c) =>
    c.mode === "event" || c.mode === "points_expiring" ? [{ key: "main", rule: c.filter, field: "filter" }] : [],
  enters: (c) => {
    switch (c.mode) {
      case "event":
        return { on: "event", event: c.event, filter: "main" };
      case "segment":
        return { on: "segment", segment: c.segment, change: c.on };
      case "schedule":
        return { on: "schedule", start: c.start, every: c.every, segment: c.segment };
      case "points_expiring":
        return { on: "event", event: POINTS_EXPIRING_EVENT, filter: "main", expiringDays: c.days };
    }
  },
});
