import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { parseDuration } from "../duration.ts";
import { Duration, EventType, LocalDateTime, PropPath, Rule, TimeOfDay } from "../schema/common.ts";
import { defineKind, NEXT, pick, spaced, text } from "./types.ts";

export const WaitParams = z.discriminatedUnion("mode", [
  strictObject({ mode: z.literal("duration"), duration: Duration }),
  strictObject({
    mode: z.literal("until_time"),
    /** The next time the local clock shows this, optionally only on these ISO weekdays (1 = Monday). */
    time: TimeOfDay,
    weekdays: z.array(z.number().int().min(1).max(7)).max(7).optional(),
  }),
  strictObject({ mode: z.literal("until_date"), at: LocalDateTime }),
  strictObject({
    mode: z.literal("event"),
    event: EventType,
    filter: Rule.optional(),
    /** Only an event whose props[correlate] equals the trigger event's props[correlate] counts (e.g. orderId). */
    correlate: PropPath.optional(),
    /** How long to wait before taking the "timeout" branch. Required to publish. */
    timeout: Duration.optional().meta({ ui: { initial: "24h" } }),
  }),
  // The redemption of the coupon the run was granted last (core/coupons.ts): its code, its event.
  strictObject({
    mode: z.literal("coupon"),
    /** How long to wait before taking the "timeout" branch; a coupon that lapses first ends the wait then. */
    timeout: Duration.meta({ ui: { initial: "7d" } }),
  }),
]);

const ms = (d: string) => parseDuration(d) as number;
const DAY = 86_400_000;
const WEEKDAY = {
  en: ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
  zh: ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"],
};

export const wait = defineKind({
  kind: "wait",
  params: WaitParams,
  meta: {
    label: text("Wait", "等待"),
    description: text(
      "Pause for a time, until a local time, until an event or a coupon's redemption (with a timeout)",
      "等待一段时间、到指定时间，或等待某事件、优惠券核销（含超时）",
    ),
    icon: "⏳",
    color: "#d97706",
    category: "timing",
  },
  defaults: () => ({ mode: "duration" as const, duration: "1d" }),
  handles: (p) =>
    p.mode === "event"
      ? [
          { id: "event", label: text(`Got ${p.event}`, `收到 ${p.event}`), required: false },
          { id: "timeout", label: text("Timed out", "超时"), required: true },
        ]
      : p.mode === "coupon"
        ? [
            { id: "event", label: text("Coupon redeemed", "优惠券已核销"), required: false },
            { id: "timeout", label: text("Not redeemed", "未核销"), required: true },
          ]
        : [NEXT],
  summary: (p, lang, names) => {
    switch (p.mode) {
      case "duration":
        return pick(lang, `Wait ${p.duration}`, `等待 ${p.duration}`);
      case "until_time": {
        const days = p.weekdays?.length
          ? ` (${p.weekdays.map((d) => (lang === "zh-CN" ? WEEKDAY.zh : WEEKDAY.en)[d]).join(", ")})`
          : "";
        return pick(lang, `Wait until ${p.time}${days}`, `等到 ${p.time}${days}`);
      }
      case "until_date":
        return pick(lang, `Wait until ${p.at.replace("T", " ")}`, `等到 ${p.at.replace("T", " ")}`);
      case "event": {
        const event = names.event(p.event);
        return p.timeout
          ? pick(lang, `Wait up to ${p.timeout} for ${event}`, `最多等待 ${p.timeout}，直到${spaced(event).trimEnd()}`)
          : pick(lang, `Wait for ${event} (no timeout!)`, `等待${spaced(event).trimEnd()}（未设超时！）`);
      }
      case "coupon":
        return pick(
          lang,
          `Wait up to ${p.timeout} for the coupon to be redeemed`,
          `最多等待 ${p.timeout}，直到优惠券核销`,
        );
    }
  },
  compile: (p, ctx) => {
    switch (p.mode) {
      case "duration":
        return { mode: p.mode, ms: ms(p.duration) };
      case "until_time":
        return { mode: p.mode, time: p.time, weekdays: p.weekdays ? [...new Set(p.weekdays)].sort() : null };
      case "until_date":
        return { mode: p.mode, at: p.at };
      case "event":
        if (p.timeout === undefined) {
          ctx.error(
            "wait_without_timeout",
            "timeout",
            `waiting for "${p.event}" needs a timeout, or people who never send it wait forever`,
          );
        }
        return {
          mode: p.mode,
          event: p.event,
          filter: ctx.rule(p.filter, "filter", "run", p.event),
          correlate: p.correlate ?? null,
          timeoutMs: p.timeout === undefined ? null : ms(p.timeout),
        };
      case "coupon":
        return { mode: p.mode, timeoutMs: ms(p.timeout) };
    }
  },
  rules: (c) => (c.mode === "event" ? [{ key: "main", rule: c.filter, field: "filter" }] : []),
  pauses: {
    always: () => true,
    // Until a local time or date: at most a week and a day away (a weekday, or a date in range).
    longestMs: (c) =>
      c.mode === "duration" ? c.ms : c.mode === "event" || c.mode === "coupon" ? (c.timeoutMs ?? 0) : 8 * DAY,
  },
  // A coupon's redemption is matched by the coupon itself (its grant key on the run's wait).
  resumesOn: (c) =>
    c.mode === "event"
      ? { correlate: c.correlate, filter: "main" }
      : c.mode === "coupon"
        ? { correlate: null, filter: null }
        : null,
  report: {
    winBackWindowMs: (c) => (c.mode === "duration" && c.ms > 0 ? c.ms : null),
  },
});
