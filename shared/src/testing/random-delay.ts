/**
 * A node kind that exists only in tests, built exactly as CONTRIBUTING.md ("Adding a node kind")
 * says a real one is: this file is what `shared/src/kinds/<name>.ts` would hold. The recipe test
 * registers it (instead of listing it in KINDS) and takes it through validation, compilation,
 * simulate, reports and the palette.
 */
import { parseDuration } from "../duration.ts";
import { Duration } from "../schema/common.ts";
import { strictObject } from "../schema/strict.ts";
import { defineKind, NEXT, pick, text } from "../kinds/types.ts";

const RandomDelayParams = strictObject({
  /** Shortest and longest wait; each person gets a stable time in between. */
  min: Duration,
  max: Duration,
}).refine((p) => (parseDuration(p.min) ?? 0) <= (parseDuration(p.max) ?? 0), {
  message: "max must be at least min",
  path: ["max"],
});

// The schema checked both durations, so they parse.
const ms = (d: string) => parseDuration(d) ?? 0;

export const randomDelay = defineKind({
  kind: "random-delay",
  params: RandomDelayParams,
  meta: {
    label: text("Random delay", "随机延迟"),
    description: text("Wait a random but stable time between two durations", "在两个时长之间等待一段随机但固定的时间"),
    icon: "🎲",
    color: "#a16207",
    category: "timing",
  },
  defaults: () => ({ min: "1h", max: "2d" }),
  handles: () => [NEXT],
  summary: (p, lang) => pick(lang, `Wait ${p.min} to ${p.max}`, `等待 ${p.min} 至 ${p.max}`),
  compile: (p) => ({ minMs: ms(p.min), maxMs: ms(p.max) }),
  pauses: { always: () => true, longestMs: (c) => c.maxMs },
  report: { winBackWindowMs: (c) => c.maxMs },
});
