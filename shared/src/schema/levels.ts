import { z } from "zod";
import { parseUntrustedJson, toJsonPath } from "../json.ts";
import { isValidTimeZone } from "../time.ts";

/**
 * Growth levels (成长体系), a workspace-wide definition the engine feed carries like the holdout:
 * experience (xp) earned from events by one rule per event type, capped per period, and levels
 * with xp thresholds and benefits. The engine keeps each person's xp and level
 * (engine/src/core/levels.ts); the rule, in short:
 *
 * - a person's xp is what they earned on the last `windowDays` local days (today included);
 * - their level is the highest whose threshold that xp reaches, going **up at once** when xp is earned;
 * - going **down only at a review**, the start of each `review` period (local midnight), to the level the
 *   xp at that instant gives: so at most one move down per period.
 *
 * A change emits a `level` effect and the `level_changed` event (props from, to, from_rank, to_rank, xp)
 * that journeys can trigger on; rules and segments read `level.id`, `level.rank` and `level.xp`.
 */

/** The event the engine raises when a person's level changes; a platform cannot send it. */
export const LEVEL_CHANGED_EVENT = "level_changed";
/** What rules, segments and templates read as `level.<field>`. */
export const LEVEL_FIELDS: readonly string[] = ["id", "rank", "xp"];

const Text = z.strictObject({
  en: z.string().min(1).max(120),
  "zh-CN": z.string().min(1).max(120),
});

const XpRule = z
  .strictObject({
    event: z.string().min(1).max(100).meta({ description: "The event type that earns xp." }),
    xp: z.number().int().min(1).max(1_000_000).meta({ description: "Xp per event, or per `per` units of `prop`." }),
    prop: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "A numeric (integer) property: xp = floor(prop / per) × xp, e.g. 1 xp per ¥1." }),
    per: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .meta({ description: "Units of `prop` per `xp` (100 fen = ¥1); 1 when not given." }),
    cap: z
      .strictObject({
        max: z.number().int().min(1).max(1_000_000_000),
        per: z.enum(["day", "week", "month"]),
      })
      .optional()
      .meta({ description: "At most `max` xp from this rule per local day, week (ISO) or month." }),
  })
  .meta({ description: "How one event type earns experience." });

const Level = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/)
    .meta({ description: "What rules compare `level.id` with, e.g. gold." }),
  name: Text,
  threshold: z.number().int().min(0).max(1_000_000_000).meta({ description: "The xp this level needs." }),
  benefits: z.array(Text).max(20).default([]),
});

export const WorkspaceLevels = z
  .strictObject({
    timeZone: z.string().refine(isValidTimeZone, "an IANA time zone").meta({
      description: "Where days, caps and reviews are counted, e.g. Asia/Shanghai.",
    }),
    windowDays: z.number().int().min(1).max(400).meta({ description: "Xp counts for this many local days." }),
    review: z.enum(["week", "month"]).meta({ description: "Levels go down at most once per this period." }),
    rules: z.array(XpRule).min(1).max(50),
    levels: z.array(Level).min(1).max(20),
  })
  .superRefine((def, ctx) => {
    const events = new Set<string>();
    def.rules.forEach((r, i) => {
      if (events.has(r.event))
        ctx.addIssue({ code: "custom", path: ["rules", i, "event"], message: "one rule per event type" });
      events.add(r.event);
      if (r.event === LEVEL_CHANGED_EVENT)
        ctx.addIssue({ code: "custom", path: ["rules", i, "event"], message: "level changes earn no xp" });
      if (r.per !== undefined && r.prop === undefined)
        ctx.addIssue({ code: "custom", path: ["rules", i, "per"], message: "`per` needs a `prop`" });
    });
    if (def.levels[0]!.threshold !== 0)
      ctx.addIssue({ code: "custom", path: ["levels", 0, "threshold"], message: "the first level starts at 0 xp" });
    const ids = new Set<string>();
    def.levels.forEach((l, i) => {
      if (ids.has(l.id)) ctx.addIssue({ code: "custom", path: ["levels", i, "id"], message: "a level id is unique" });
      ids.add(l.id);
      if (i > 0 && l.threshold <= def.levels[i - 1]!.threshold)
        ctx.addIssue({ code: "custom", path: ["levels", i, "threshold"], message: "thresholds rise level by level" });
    });
  })
  .meta({ description: "Growth levels: how people earn experience and which levels it reaches." });
export type WorkspaceLevels = z.infer<typeof WorkspaceLevels>;
export type XpRule = z.infer<typeof XpRule>;

/**
 * The levels from a setting's text (LIFELOOP_LEVELS on the API, or on an engine run from journey
 * files): JSON in the shape above. Throws an Error naming the path of what is wrong.
 */
export function parseLevelsSetting(text: string): WorkspaceLevels {
  const parsed = WorkspaceLevels.safeParse(parseUntrustedJson(text, { maxBytes: 256 * 1024 }));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`the levels setting at ${toJsonPath(issue.path)}: ${issue.message}`);
}
