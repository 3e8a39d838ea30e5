import { z } from "zod";
import { strictObject } from "./strict.ts";
import { DURATION_PATTERN, WINDOW_PATTERN } from "../duration.ts";
import { EVENT_TYPE_PATTERN, PROP_PATH_PATTERN } from "../aggregate.ts";
import { isValidTimeZone } from "../time.ts";
import { LIMITS } from "../limits.ts";

/** Identifiers people type on the canvas and in files: short, URL- and key-safe. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const idMessage = "use 1-64 letters, digits, '_' or '-', starting with a letter or digit";
const id = () => z.string().regex(ID_PATTERN, idMessage);

export const JourneyId = id().brand<"JourneyId">();
export type JourneyId = z.infer<typeof JourneyId>;
export const NodeId = id().brand<"NodeId">();
export type NodeId = z.infer<typeof NodeId>;
export const EdgeId = id().brand<"EdgeId">();
export type EdgeId = z.infer<typeof EdgeId>;
export const SegmentId = id().brand<"SegmentId">();
export type SegmentId = z.infer<typeof SegmentId>;
export const BudgetId = id().brand<"BudgetId">();
export type BudgetId = z.infer<typeof BudgetId>;
/** An outgoing branch of a node: "next", "yes", "timeout", an arm id, a split branch id. */
export const HandleId = id().brand<"HandleId">();
export type HandleId = z.infer<typeof HandleId>;

/** Names people type for codes, reasons, experiment keys: letters, digits, '_' and '-'. */
export const Slug = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, '_' or '-'");

/**
 * Flags ids used twice, or reserved for a built-in branch, in a list of branches or arms, at the
 * offending item's id, so the editor can point at it.
 */
export function checkBranchIds(
  items: ReadonlyArray<{ id: string }>,
  listField: string,
  reserved: string,
  ctx: z.RefinementCtx,
  noun: string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.id === reserved)
      ctx.addIssue({
        code: "custom",
        path: [listField, i, "id"],
        message: `"${reserved}" is reserved for the ${reserved === "else" ? "fallback branch" : "holdout"}`,
      });
    if (seen.has(item.id))
      ctx.addIssue({ code: "custom", path: [listField, i, "id"], message: `${noun} id "${item.id}" is used twice` });
    seen.add(item.id);
  });
}

export const Text = (max: number = LIMITS.maxTextLength) => z.string().max(max);
export const Name = z.string().trim().min(1, "must not be empty").max(200);

export const EventType = z
  .string()
  .regex(EVENT_TYPE_PATTERN, "an event type: a letter, then up to 63 letters, digits, '_', '.', ':' or '-'");
export const PropPath = z
  .string()
  .regex(PROP_PATH_PATTERN, "a property name (letters, digits, '_'; dotted for nested)");

export const Duration = z
  .string()
  .regex(DURATION_PATTERN, 'a duration such as "30m", "24h", "15d" or "2w"')
  .meta({ ui: { unit: "duration" } });
export const WindowText = z
  .string()
  .regex(WINDOW_PATTERN, 'a window such as "7d", "30d", "prev_30d", "day", "week", "month", "prev_month" or "lifetime"')
  .meta({ ui: { unit: "window" } });

export const TimeZone = z.string().refine(isValidTimeZone, "an IANA time zone such as Asia/Shanghai or UTC");
export const TimeOfDay = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a local time "HH:MM" (24 h)')
  .meta({ ui: { widget: "time" } });
/** A wall-clock date-time in the journey's time zone, without offset: "2026-12-12T10:00". */
export const LocalDateTime = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]$/,
    'a local date-time "YYYY-MM-DDTHH:MM"',
  )
  .meta({ ui: { widget: "datetime" } });

export const Period = z.enum(["day", "week", "month"]);
export type Period = z.infer<typeof Period>;
export const CapPeriod = z.enum(["day", "week", "month", "lifetime"]);
export type CapPeriod = z.infer<typeof CapPeriod>;

/** Money and points: integers in minor units (fen, cents, points). Never floats. */
export const MinorUnits = z.number().int("must be a whole number of minor units").min(0).max(Number.MAX_SAFE_INTEGER);
export const PositiveMinor = z
  .number()
  .int("must be a whole number of minor units")
  .min(1)
  .max(Number.MAX_SAFE_INTEGER);
export const Currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as CNY or USD");

/**
 * Any JSON value. One schema instance for every place that holds free JSON (rules, event props,
 * unchecked node params, diff values): the OpenAPI document then has one named recursive schema,
 * not a copy per use (generated clients failed to compile on the copies).
 */
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

/**
 * A JSON-logic rule. Any JSON value is structurally a rule; operators, variables and limits are
 * checked by the compiler, which can say where inside the rule something is wrong. The same
 * instance as JsonValue on purpose (see above); knip.json allows this one export under two names.
 */
export const Rule = JsonValue;
export type Rule = JsonValue;

export const Position = strictObject({ x: z.number().finite(), y: z.number().finite() });

/** Text in the two languages the editor ships. */
export type Localized = { en: string; "zh-CN": string };
export type Lang = keyof Localized;
