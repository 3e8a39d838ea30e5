import { z } from "zod";
import { EventEnvelope } from "../schema/event.ts";

/**
 * GET /v1/events/log on the engine: the events it recorded in a window, in the order it applied
 * them, a bounded page at a time. What a backtest replays (POST /v1/journeys/{id}/backtest on the API).
 */
const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });

export const EventLogPage = z.object({
  since: Instant.meta({ description: "The window's start: events with `at` at or after it." }),
  until: Instant.meta({ description: "The window's end: events with `at` before it." }),
  events: z.array(EventEnvelope).meta({ description: "In the order the engine applied them (its log's order)." }),
  next: z.string().nullable().meta({
    description: "Send as `after` for the rest of the window; null when this page holds the window's last event.",
  }),
  truncated: z.boolean().meta({
    description: "True when the page was cut short by `limit` or by its byte bound: more events follow (see `next`).",
  }),
});
export type EventLogPage = z.infer<typeof EventLogPage>;
