/**
 * The sidecar's delivery routes:
 *   GET  /v1/messages[?userId=&journeyId=&status=pending|delivered|dead&kind=&after=&limit=]
 *   POST /v1/messages/redrive   {"all": true} | {"journeyId": "…"} | {"ids": [seq, …]}
 * and what /healthz says about the receiver. A re-drive moves dead deliveries back to pending with
 * a fresh retry window and notes it in each person's timeline.
 */
import {
  DeliveryStatus,
  InputError,
  MAX_REDRIVE_IDS,
  parseUntrustedJson,
  RedriveRequest,
  toJsonPath,
  UserId,
  JourneyId,
  type RedrivenDelivery,
  type RedriveResult,
} from "@lifeloop/shared";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { CircuitSnapshot } from "../channels/circuit.ts";
import { idFilter } from "./id-filter.ts";
import type { DeadDelivery, MessageQuery, RedriveSelector, SidecarStore } from "../store/port.ts";

export interface DeliveryDeps {
  /** How long a delivery is retried from its creation or re-drive (to show when its window ends). */
  retryWindowMs: number;
  /** The receiver's circuit as it stands. */
  status: () => CircuitSnapshot;
  /** Called after a re-drive moved at least one delivery (the sidecar probes the receiver at once). */
  onRedrive: () => void;
}

const MAX_BODY = 64 * 1024;
/** Rows per re-drive transaction, and per request: a larger backlog takes several requests (`more`). */
const REDRIVE_BATCH = 1000;
const REDRIVE_MAX = 10_000;
const LISTED = 100;

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

type Issue = { path: string; message: string };
const invalid = (c: Context, message: string, issues: Issue[]) =>
  c.json({ error: { code: "invalid_request", message, issues } }, 400);

/**
 * The timeline entry a re-drive leaves for the person: what was re-driven and what it had failed
 * with. `nodeId` is null on purpose — the report projector reads a record at a node as the run
 * arriving there, and a re-drive moves no run; the delivery's node is in `deliveryNodeId`.
 */
function redriveRecord(row: DeadDelivery, at: number): string {
  return JSON.stringify([
    {
      at: iso(at),
      userId: row.userId,
      journeyId: row.journeyId,
      nodeId: null,
      kind: "redrive",
      key: row.key,
      seq: row.seq,
      delivery: row.kind,
      deliveryNodeId: row.nodeId,
      previousAttempts: row.attempts,
      previousError: row.lastError,
    },
  ]);
}

/**
 * What /healthz says about deliveries: the receiver's circuit, with times as ISO instants. No
 * receiver address and no error text: /healthz answers without a token (errors are in
 * GET /v1/messages, the receiver in /metrics).
 */
export function deliveryHealth(s: CircuitSnapshot) {
  return { circuit: s.state, failuresInARow: s.failures, failingSince: iso(s.openedAt), nextProbeAt: iso(s.probeAt) };
}

export function deliveryRoutes(app: Hono, store: SidecarStore, now: () => number, deps: DeliveryDeps): void {
  app.get("/v1/messages", async (c) => {
    const q = c.req.query();
    if (q.status && !DeliveryStatus.safeParse(q.status).success)
      return invalid(c, `status is one of ${DeliveryStatus.options.join(", ")}`, [
        { path: "query.status", message: `not "${q.status}"` },
      ]);
    const limit = Math.min(Number(q.limit ?? 100) || 100, 1000);
    const query: MessageQuery = { limit };
    if (q.userId) {
      // Parsed at the edge, like an envelope's userId.
      const userId = UserId.safeParse(q.userId);
      if (!userId.success)
        return invalid(c, "userId is not a user id", [{ path: "query.userId", message: "1-128 characters, no NUL" }]);
      query.userId = userId.data;
    }
    const journeyId = idFilter(JourneyId, q.journeyId);
    if (journeyId) query.journeyId = journeyId;
    if (q.status) query.status = q.status;
    if (q.kind) query.kind = q.kind;
    if (q.after) query.after = Number(q.after) || 0;
    const rows = journeyId === null ? [] : await store.messages(query);
    const messages = rows.map(({ payload, ...r }) => {
      const pending = r.status === "pending";
      return {
        ...r,
        effect: JSON.parse(payload) as unknown,
        createdAt: iso(r.createdAt),
        deliveredAt: iso(r.deliveredAt),
        redrivenAt: iso(r.redrivenAt),
        // Only a pending delivery has a next attempt and a window still running.
        nextAttemptAt: pending ? iso(r.nextAttemptAt) : null,
        retryUntil: pending ? iso((r.redrivenAt ?? r.createdAt) + deps.retryWindowMs) : null,
      };
    });
    return c.json({ messages, next: rows.length === limit ? rows[rows.length - 1]!.seq : null });
  });

  app.post(
    "/v1/messages/redrive",
    bodyLimit({
      maxSize: MAX_BODY,
      onError: (c) =>
        c.json(
          { error: { code: "too_large", message: `a re-drive request may carry at most ${MAX_BODY} bytes` } },
          413,
        ),
    }),
    async (c) => {
      if (!/^application\/json\b/i.test(c.req.header("content-type") ?? ""))
        return c.json(
          {
            error: {
              code: "unsupported_media_type",
              message: 'send application/json: {"all": true}, {"journeyId": "…"} or {"ids": [seq, …]}',
            },
          },
          415,
        );
      let body: unknown;
      try {
        body = parseUntrustedJson(await c.req.text(), { maxBytes: MAX_BODY, maxDepth: 8 });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return invalid(c, e.message, [{ path: e.path, message: e.message }]);
      }
      const parsed = RedriveRequest.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((z) => ({ path: toJsonPath(z.path, "$"), message: z.message }));
        return invalid(c, `${issues.length} problem(s); nothing was re-driven`, issues.slice(0, 20));
      }
      const request = parsed.data;
      const journeyId = idFilter(JourneyId, request.journeyId);
      const selector: RedriveSelector = request.ids
        ? { ids: [...new Set(request.ids)] }
        : journeyId
          ? { journeyId }
          : { all: true };
      const at = now();
      const moved: DeadDelivery[] = [];
      let more = false;
      // A bounded request: batches of rows, each in its own transaction, up to REDRIVE_MAX.
      for (;;) {
        const limit = "ids" in selector ? MAX_REDRIVE_IDS : REDRIVE_BATCH;
        // A journeyId that is no journey id names no stored row: nothing to re-drive.
        const rows =
          journeyId === null ? [] : await store.redriveOutbox(selector, at, limit, (row) => redriveRecord(row, at));
        moved.push(...rows);
        if ("ids" in selector || rows.length < limit) break;
        if (moved.length >= REDRIVE_MAX) {
          more = true;
          break;
        }
      }
      if (moved.length > 0) deps.onRedrive();
      const found = new Set(moved.map((r) => r.seq));
      const deliveries: RedrivenDelivery[] = moved.slice(0, LISTED).map((r) => ({
        seq: r.seq,
        key: r.key,
        kind: r.kind,
        userId: r.userId,
        journeyId: r.journeyId,
        previousAttempts: r.attempts,
        previousError: r.lastError,
      }));
      const result: RedriveResult = {
        redriven: moved.length,
        more,
        deliveries,
        skipped: "ids" in selector ? selector.ids.filter((id) => !found.has(id)) : [],
        retryUntil: new Date(at + deps.retryWindowMs).toISOString(),
      };
      return c.json(result);
    },
  );
}
