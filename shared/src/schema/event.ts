import { z } from "zod";
import { strictObject } from "./strict.ts";
import { EventType, JsonValue } from "./common.ts";
import { WALLET_EVENTS } from "../wallet.ts";
import { ISO_INSTANT_PATTERN, instantProblem } from "../time.ts";
import { LEVEL_CHANGED_EVENT } from "./levels.ts";

/**
 * The reserved event type that sets profile attributes: its props are merged into the person's
 * profile (nickname, registeredAt, tier…) before anything else sees the person.
 */
export const IDENTIFY_EVENT = "identify";

/**
 * U+0000 is garbage in an event: PostgreSQL cannot store it in text or jsonb (the whole insert
 * fails), so it is refused here, on every store alike, with where it was.
 */
const NUL_MESSAGE = "contains the NUL character (\\u0000), which no store can keep";
function noNul(text: string): boolean {
  return !text.includes("\u0000");
}
/** The path of the first key or string holding U+0000, or null. Depth is bounded by the JSON parser's limit. */
function nulAt(value: unknown, path: Array<string | number>): Array<string | number> | null {
  if (typeof value === "string") return noNul(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulAt(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (!noNul(k)) return [...path, k];
      const found = nulAt(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Ids the host platform chooses: a person and an event. Opaque text (1-128 characters, no NUL),
 * branded so the engine cannot take one for the other, or for a journey id: a `UserId` comes only
 * from parsing (an event envelope, a route's path, a stored row), never from a cast.
 */
export const UserId = z.string().min(1).max(128).refine(noNul, NUL_MESSAGE).brand<"UserId">();
export type UserId = z.infer<typeof UserId>;
export const EventId = z.string().min(1).max(128).refine(noNul, NUL_MESSAGE).brand<"EventId">();
export type EventId = z.infer<typeof EventId>;

export type EventEnvelope = z.infer<typeof EventEnvelope>;
/** An envelope before it is parsed: what a host platform (or a test) writes. */
export type EventEnvelopeInput = z.input<typeof EventEnvelope>;

/** What a host platform sends: one user event. `id` makes ingest idempotent; `at` is when it happened. */
export const EventEnvelope = strictObject({
  id: EventId,
  userId: UserId,
  // The wallet's own events and level_changed are the engine's to make (a sent one would fake a
  // redemption or a level).
  type: EventType.refine(
    (t) => !WALLET_EVENTS.includes(t),
    "points_redeemed and points_expiring come from the wallet",
  ).refine((t) => t !== LEVEL_CHANGED_EVENT, `"${LEVEL_CHANGED_EVENT}" is raised by the engine`),
  // A real instant: well-formed and on the calendar (no 2026-02-30, no hour 25), so nothing
  // impossible ever reaches the store.
  at: z
    .string()
    .regex(ISO_INSTANT_PATTERN, "an ISO-8601 instant with offset, e.g. 2026-11-23T08:00:00Z")
    .superRefine((text, ctx) => {
      // The shape is the regex's to report; this names what is off the calendar.
      if (!ISO_INSTANT_PATTERN.test(text)) return;
      const problem = instantProblem(text);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    }),
  props: z
    .record(z.string().max(64), JsonValue)
    .superRefine((props, ctx) => {
      const at = nulAt(props, []);
      if (at !== null) ctx.addIssue({ code: "custom", path: at, message: NUL_MESSAGE });
    })
    .default({}),
  test: z
    .boolean()
    .optional()
    .meta({
      description:
        "Sent for a test person (the editor's test event): it runs like any event and the person's timeline shows " +
        "it, but from then on the person is a test person, left out of every report, stat and experiment figure.",
    }),
});
