/**
 * GET /v1/observed/events: the event types in the engine's log with the properties seen on them,
 * read from the newest events only (bounded), so the editor offers them with no setup.
 */
import { OBSERVED_LIMITS, observedEvents } from "@lifeloop/shared";
import type { Hono } from "hono";
import type { SidecarStore } from "../store/port.ts";

export function observedRoute(app: Hono, store: Pick<SidecarStore, "recentEvents">): void {
  app.get("/v1/observed/events", async (c) => {
    const asked = Number(c.req.query("limit") ?? OBSERVED_LIMITS.events);
    const limit =
      Number.isInteger(asked) && asked > 0 ? Math.min(asked, OBSERVED_LIMITS.events) : OBSERVED_LIMITS.events;
    // One row past the bound says whether older events were left unread.
    const rows = await store.recentEvents(limit + 1);
    return c.json(observedEvents(rows.slice(0, limit), rows.length > limit));
  });
}
