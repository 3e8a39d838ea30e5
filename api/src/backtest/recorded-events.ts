/**
 * Reads a window of the engine's recorded events (GET /v1/events/log on the sidecar), page after
 * page, in the order the engine applied them, until the window ends or the API's replay bounds
 * (events and bytes, the same as for an uploaded stream) are reached. Read-only on the engine.
 */
import { EventLogPage, type EventEnvelope } from "@lifeloop/shared";
import type { EngineConnection } from "../context.ts";
import { ApiError } from "../errors.ts";

/** The engine's own bound on a page (engine/src/server/event-log.ts). */
const PAGE_EVENTS = 10_000;
const RETRY_AFTER_SECONDS = 5;

export interface RecordedWindow {
  events: EventEnvelope[];
  /** The engine had more events in the window than the bounds let this read. */
  truncated: boolean;
}

export async function recordedEvents(
  engine: EngineConnection | null,
  window: { from: number; until: number },
  bounds: { maxEvents: number; maxBytes: number },
): Promise<RecordedWindow> {
  if (!engine)
    throw new ApiError(
      503,
      "engine_not_configured",
      "no engine is configured: start the API with LIFELOOP_ENGINE_URL set to the engine sidecar's address",
    );
  const events: EventEnvelope[] = [];
  let bytes = 0;
  let after: string | null = null;
  for (;;) {
    const qs = new URLSearchParams({
      since: new Date(window.from).toISOString(),
      until: new Date(window.until).toISOString(),
      limit: String(Math.min(PAGE_EVENTS, bounds.maxEvents - events.length)),
      ...(after ? { after } : {}),
    });
    const page = await fetchPage(engine, `/v1/events/log?${qs}`);
    for (const e of page.events) {
      const size = Buffer.byteLength(JSON.stringify(e));
      if (bytes + size > bounds.maxBytes) return { events, truncated: true };
      events.push(e);
      bytes += size;
    }
    after = page.next;
    if (after === null) return { events, truncated: false };
    if (events.length >= bounds.maxEvents) return { events, truncated: true };
  }
}

async function fetchPage(engine: EngineConnection, path: string): Promise<EventLogPage> {
  let res: Response;
  try {
    res = await fetch(`${engine.url}${path}`, {
      // Least privilege: the read-only token when there is one; a backtest changes nothing on the engine.
      headers:
        (engine.readToken ?? engine.token) ? { authorization: `Bearer ${engine.readToken ?? engine.token}` } : {},
      signal: AbortSignal.timeout(engine.timeoutMs ?? 10_000),
    });
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw unreachable(`the engine at ${engine.url} did not answer (${cause})`, RETRY_AFTER_SECONDS);
  }
  const text = await res.text();
  if (res.status === 503)
    throw unreachable(
      `the engine at ${engine.url} cannot read its log right now`,
      Number(res.headers.get("retry-after")) || RETRY_AFTER_SECONDS,
    );
  if (res.status !== 200)
    throw new ApiError(
      502,
      "engine_error",
      `the engine at ${engine.url} answered ${res.status}` +
        (res.status === 401 ? " (set LIFELOOP_SIDECAR_READ_TOKEN or _TOKEN to the one it was started with)" : "") +
        `: ${text.slice(0, 200)}`,
    );
  // The engine is ours, but what crosses the wire is checked like any input before it is replayed.
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined; // not JSON: refused just below, like any other answer that is not a page
  }
  const parsed = EventLogPage.safeParse(body);
  if (!parsed.success)
    throw new ApiError(502, "engine_error", `the engine at ${engine.url} answered a page that is not an event log`);
  return parsed.data;
}

/** 503 with Retry-After: the events live on the engine, and it is not answering now. */
function unreachable(message: string, retryAfter: number): ApiError {
  return new ApiError(503, "engine_unreachable", `${message}; a backtest replays its recorded events, retry soon`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}
