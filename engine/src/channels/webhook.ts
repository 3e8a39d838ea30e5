import { createHmac } from "node:crypto";
import type { OutboxRecord } from "../store/port.ts";
import type { Channel, Delivery } from "./types.ts";

export interface WebhookOptions {
  url: string;
  /** When set, each body is signed: `X-Lifeloop-Signature: sha256=<hex HMAC of the body>`. */
  secret?: string;
  timeoutMs?: number;
}

/**
 * POSTs each outbox row to the host platform. The `Idempotency-Key` header is the outbox key, the
 * same on every retry, so a host that remembers keys applies each message and grant once even
 * though delivery is at-least-once. 2xx delivers; 408, 429 and 5xx are retried; other 4xx are
 * dead-lettered at once (the host said the request itself is wrong).
 */
export function webhookChannel(options: WebhookOptions): Channel {
  // The host alone names the receiver in metrics and health: a URL's path or query may hold a token.
  const receiver = new URL(options.url).host;
  return {
    name: "webhook",
    receiver,
    async deliver(row: OutboxRecord): Promise<Delivery> {
      const body = JSON.stringify({
        key: row.key,
        kind: row.kind,
        channel: row.channel,
        userId: row.userId,
        journeyId: row.journeyId,
        nodeId: row.nodeId,
        effect: JSON.parse(row.payload) as unknown,
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "idempotency-key": row.key,
        "user-agent": "lifeloop-engine",
      };
      if (options.secret)
        headers["x-lifeloop-signature"] = `sha256=${createHmac("sha256", options.secret).update(body).digest("hex")}`;
      try {
        const res = await fetch(options.url, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await res.body?.cancel();
        if (res.ok) return { ok: true };
        const retry = res.status === 408 || res.status === 429 || res.status >= 500;
        return { ok: false, retry, error: `HTTP ${res.status}` };
      } catch (e) {
        return { ok: false, retry: true, error: transportError(e, options.timeoutMs ?? 10_000) };
      }
    },
  };
}

/**
 * What went wrong below HTTP, in a line an operator can act on. fetch says only "fetch failed";
 * the reason (ECONNREFUSED, ECONNRESET, ENOTFOUND…) is in its cause.
 */
function transportError(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === "string") return `${cause.code} (${e.message})`;
  if (cause && typeof cause.message === "string") return `${e.message}: ${cause.message}`;
  return e.message;
}
