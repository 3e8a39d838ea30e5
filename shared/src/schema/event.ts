import { z } from "zod";
import { strictObject } from "./strict.ts";
import { EventType } from "./common.ts";
import { ISO_INSTANT_PATTERN, instantProblem } from "../time.ts";

/**
 * The reserved event type that sets profile attributes: its props are merged into the person's
 * profile (nickname, registeredAt, tier…) before anything else sees the person.
 */
export const IDENTIFY_EVENT = "identify";

/** What a host platform sends: one user event. `id` makes ingest idempotent; `at` is when it happened. */
export const EventEnvelope = strictObject({
  id: z.string().min(1).max(128),
  userId: z.string().min(1).max(128),
  type: EventType,
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
  props: z.record(z.string().max(64), z.json()).default({}),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
