/**
 * GET /v1/events/log: the events the engine recorded with `at` in a window, in the order it applies
 * them, a bounded page at a time (a count and a byte size), for a backtest to replay against a draft.
 * Read-only: it reads the durable log and writes nothing, so it is safe beside the appliers.
 */
import { instantProblem, parseInstant, type EventLogPage } from "@lifeloop/shared";
import type { Context, Hono } from "hono";
import type { SidecarStore } from "../store/port.ts";

/** Events per page by default, and at most. */
const DEFAULT_LIMIT = 1000;
const MAX_LOG_EVENTS = 10_000;
/** A page's events as JSON stay under this: with props of up to 64 KiB each, the count alone does not bound memory. */
export const MAX_LOG_BYTES = 4 * 1024 * 1024;
/** A window longer than this is refused: a backtest looks back days, not years. */
const MAX_WINDOW_MS = 92 * 86_400_000;
/** Rows read from the store at a time, so a page never holds more than one chunk past its byte bound. */
const CHUNK = 500;
const CURSOR = /^(\d{1,15})-(\d{1,15})$/;

type Issue = { path: string; message: string };

function invalid(c: Context, message: string, issues: Issue[]) {
  return c.json({ error: { code: "invalid_request", message, issues } }, 400);
}

/** An instant from the query, or the issue naming it. */
function instantOf(name: string, text: string | undefined, fallback: number | null): number | Issue {
  if (text === undefined || text === "") {
    return fallback ?? { path: `query.${name}`, message: "required: an ISO-8601 instant with offset" };
  }
  const at = parseInstant(text);
  return at ?? { path: `query.${name}`, message: instantProblem(text) ?? "not an instant" };
}

export function eventLogRoute(app: Hono, store: SidecarStore, now: () => number): void {
  app.get("/v1/events/log", async (c) => {
    const q = c.req.query();
    const until = instantOf("until", q.until, now());
    const since = instantOf("since", q.since, null);
    const issues = [until, since].filter((v): v is Issue => typeof v === "object");
    if (issues.length > 0) return invalid(c, "the window is not valid", issues);
    const [from, to] = [since as number, until as number];
    if (from >= to) return invalid(c, "since must be before until", [{ path: "query.since", message: "after until" }]);
    if (to - from > MAX_WINDOW_MS)
      return invalid(c, "the window is longer than 92 days", [{ path: "query.since", message: "at most 92 days" }]);
    const limit = q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_EVENTS)
      return invalid(c, `limit is 1 to ${MAX_LOG_EVENTS}`, [{ path: "query.limit", message: "out of range" }]);
    const cursor = q.after === undefined ? ["", "0", "0"] : CURSOR.exec(q.after);
    if (!cursor)
      return invalid(c, "after is the `next` of a previous page", [{ path: "query.after", message: "not a cursor" }]);
    let after = { xid: Number(cursor[1]), seq: Number(cursor[2]) };

    const events: EventLogPage["events"] = [];
    let bytes = 0;
    let full = false;
    while (!full && events.length < limit) {
      const asked = Math.min(CHUNK, limit - events.length);
      const rows = await store.eventLog({ since: from, until: to, after, limit: asked });
      for (const r of rows) {
        const event = { id: r.id, userId: r.userId, type: r.type, at: new Date(r.at).toISOString(), props: r.props };
        const size = Buffer.byteLength(JSON.stringify(event));
        if (bytes + size > MAX_LOG_BYTES) {
          full = true;
          break;
        }
        // A cast, not a parse: the log holds only envelopes that were parsed (ids branded) when they came in.
        events.push(event as EventLogPage["events"][number]);
        bytes += size;
        after = { xid: r.xid, seq: r.seq };
      }
      if (rows.length < asked) break;
    }
    // Cut short when a bound stopped the page and one more event is there to read.
    const more =
      (full || events.length === limit) && (await store.eventLog({ since: from, until: to, after, limit: 1 }));
    const truncated = more !== false && more.length > 0;
    const page: EventLogPage = {
      since: new Date(from).toISOString(),
      until: new Date(to).toISOString(),
      events,
      next: truncated ? `${after.xid}-${after.seq}` : null,
      truncated,
    };
    return c.json(page);
  });
}
