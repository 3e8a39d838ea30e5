import { timingSafeEqual } from "node:crypto";
import {
  DISCARD_BODY_BYTES,
  EventEnvelope,
  InputError,
  parseUntrustedJson,
  schemaProblems,
  toJsonPath,
  UserId,
  JourneyId,
  NodeId,
} from "@lifeloop/shared";
import { Hono, type Context } from "hono";
import { readSeries } from "../core/aggregates.ts";
import { newUserState, type UserState } from "../core/index.ts";
import type { DurableEngine } from "../runtime/durable.ts";
import { EVENT_LIMITS, toCoreEvent } from "../simulate.ts";
import type { SidecarStore } from "../store/port.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import type { Metrics } from "./metrics.ts";
import { engineOpenApiDocument } from "./openapi.ts";
import { createStats } from "./stats.ts";
import { idFilter } from "./id-filter.ts";
import { deliveryHealth, deliveryRoutes, type DeliveryDeps } from "./deliveries.ts";
import { readRequestBody } from "./body.ts";
import { testSendRoute } from "./test-send.ts";
import { eventLogRoute } from "./event-log.ts";
import { walletRoutes, walletView } from "./wallet.ts";
import { poolRoutes } from "./pools.ts";
import { observedRoute } from "./observed.ts";
import { levelsRoute, personLevel } from "./levels.ts";
import { Reports } from "../report/index.ts";
import { PgReports } from "../report/pg.ts";
import { journeyParam, reportRoutes, type ReportSource } from "../report/routes.ts";
import { PgStore } from "../store/pg/store.ts";
import { RETRY_AFTER_SECONDS, unavailableReason } from "../store/unavailable.ts";

const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_BATCH_EVENTS = 1000;
/** Default for how far ahead of the engine's clock an event's `at` may be (clock skew, time zones done wrong). */
const DEFAULT_MAX_FUTURE_MS = 24 * 3_600_000;

export interface AppDeps {
  engine: DurableEngine;
  store: SidecarStore;
  metrics: Metrics;
  now: () => number;
  /** When set, every route but /healthz needs `Authorization: Bearer <token>`. */
  token?: string;
  /** With `token`: a second token that may only read (GET): what a backtest or a report needs, nothing more. */
  readToken?: string;
  /** How long a journey's stats may be reused while steps happen (default 2 s; see stats.ts). */
  statsCacheMs?: number;
  feedStatus: () => { etag: string | null; fetchedAt: number | null; source: string; lastError: string | null };
  /** Journey reports over the fact tables (made here when not given): Reports on SQLite, PgReports on PostgreSQL. */
  reports?: ReportSource;
  /** Events whose `at` is further ahead of the engine's clock than this are refused (400); default 24 h. */
  maxFutureMs?: number;
  /** The receiver's circuit and the retry window, for GET /v1/messages, the re-drive route and /healthz. */
  deliveries: DeliveryDeps;
  /** /readyz answers 503 while the oldest event waiting for the applier is older than this (default 60 s). */
  maxApplyLagMs?: number;
  /** How long `?wait=applied` waits before answering 202 with `applied: false` (default 10 s). */
  waitAppliedMs?: number;
  /** Why a recent real write failed for want of the store, while /readyz should still say so (write-fault.ts). */
  writeFault?: () => string | null;
}

const DEFAULT_MAX_APPLY_LAG_MS = 60_000;
const DEFAULT_WAIT_APPLIED_MS = 10_000;

/** Seconds the oldest unapplied event has waited (0 when none). */
function lagSeconds(lag: { oldestReceivedAt: number | null }, now: number): number {
  return lag.oldestReceivedAt === null ? 0 : Math.max(0, (now - lag.oldestReceivedAt) / 1000);
}

/** `?wait=applied` or `Prefer: wait=applied` (RFC 7240): answer after the events' effects commit. */
function wantsApplied(c: Context): boolean | "invalid" {
  const q = c.req.query("wait");
  if (q !== undefined) return q === "applied" ? true : "invalid";
  return /(^|[\s,;])wait=applied\b/i.test(c.req.header("prefer") ?? "");
}

type ErrorIssue = { path: string; message: string };

function fail(
  c: Context,
  status: 400 | 401 | 404 | 413 | 415 | 500 | 501 | 503,
  code: string,
  message: string,
  issues?: ErrorIssue[],
) {
  return c.json({ error: { code, message, ...(issues ? { issues } : {}) } }, status);
}

/** 503 with Retry-After: the store cannot commit now; nothing of the request was acknowledged. */
function unavailable(c: Context, reason: string) {
  c.header("retry-after", String(RETRY_AFTER_SECONDS));
  return fail(
    c,
    503,
    "unavailable",
    `the engine cannot store events right now: ${reason}; nothing was acknowledged, retry in a moment`,
  );
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The sidecar's HTTP face: ingest, a person's "why" timeline, the ledger, deliveries, health, metrics. */
export function createApp(deps: AppDeps): Hono {
  const { engine, store, metrics } = deps;
  const app = new Hono();

  app.onError((err, c) => {
    const reason = unavailableReason(err);
    if (reason !== null) {
      metrics.rejected.inc({ reason: "unavailable" });
      return unavailable(c, reason);
    }
    console.error(`lifeloop-engine: ${c.req.method} ${c.req.path}: ${err.message}`);
    return fail(c, 500, "internal", "the engine could not handle this request; nothing was acknowledged");
  });
  app.notFound((c) => fail(c, 404, "not_found", `no route ${c.req.method} ${c.req.path}`));

  app.get("/healthz", (c) => {
    const feed = deps.feedStatus();
    return c.json({
      ok: true,
      journeys: engine.currentWorld.live.length,
      feed,
      delivery: deliveryHealth(deps.deliveries.status()),
    });
  });

  // The routes the editor calls, described for @lifeloop/client (built once: it never changes while running).
  let openapi: Record<string, unknown> | null = null;
  app.get("/openapi.json", (c) => c.json((openapi ??= engineOpenApiDocument())));

  // Readiness, for load balancers and orchestrators: ready only while a write can commit (a full
  // disk, a database that is restarting or a lock held elsewhere take the engine out of rotation;
  // /healthz stays the liveness check, so nothing restarts a process that would recover by itself).
  app.get("/readyz", async (c) => {
    try {
      await withTimeout(store.probeWrite(deps.now()), 2_000, "the database did not answer within 2 s");
      const fault = deps.writeFault?.() ?? null;
      if (fault !== null) {
        c.header("retry-after", String(RETRY_AFTER_SECONDS));
        return c.json({ ready: false, reason: fault }, 503);
      }
      // Far behind the log: acknowledged events are safe, but their effects come late; let the
      // load balancer send traffic elsewhere until the applier is back under the bound.
      const lag = await withTimeout(store.applyLag(), 2_000, "the database did not answer within 2 s");
      const behind = lagSeconds(lag, deps.now());
      const bound = (deps.maxApplyLagMs ?? DEFAULT_MAX_APPLY_LAG_MS) / 1000;
      if (behind > bound) {
        c.header("retry-after", String(RETRY_AFTER_SECONDS));
        return c.json(
          {
            ready: false,
            reason:
              `the applier is ${behind.toFixed(1)} s behind the log (${lag.pending} events pending; ready ` +
              `again under ${bound} s)`,
            applier: { pending: lag.pending, lagSeconds: behind },
          },
          503,
        );
      }
      return c.json({ ready: true, applier: { pending: lag.pending, lagSeconds: behind } });
    } catch (e) {
      c.header("retry-after", String(RETRY_AFTER_SECONDS));
      return c.json({ ready: false, reason: unavailableReason(e) ?? (e as Error).message }, 503);
    }
  });

  if (deps.token) {
    const token = deps.token;
    const readToken = deps.readToken;
    app.use("*", async (c, next) => {
      const header = c.req.header("authorization") ?? "";
      const sent = header.startsWith("Bearer ") ? header.slice(7) : null;
      // Least privilege: the read token reads (a backtest's log, reports, people) and changes nothing.
      const reads = c.req.method === "GET" || c.req.method === "HEAD";
      const allowed = sent !== null && (sameToken(sent, token) || (reads && !!readToken && sameToken(sent, readToken)));
      if (!allowed) return fail(c, 401, "unauthorized", "send Authorization: Bearer <token>");
      await next();
    });
  }

  app.get("/metrics", async (c) => {
    c.header("content-type", metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  const maxFutureMs = deps.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS;
  app.post("/v1/events", async (c) => {
    const started = performance.now();
    const read = await readRequestBody(c.req.raw, c.env, MAX_BATCH_BYTES, DISCARD_BODY_BYTES);
    if (!read.ok) {
      metrics.rejected.inc({ reason: "too_large" });
      // Read to the end: the client can read this answer and keep the connection. Past the discard bound it is closed.
      if (!read.drained) c.header("connection", "close");
      return fail(
        c,
        413,
        "too_large",
        `a request may carry at most ${MAX_BATCH_BYTES} bytes (this one: ${read.size}); send smaller batches`,
      );
    }
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) {
      metrics.rejected.inc({ reason: "media_type" });
      return fail(
        c,
        415,
        "unsupported_media_type",
        'send application/json: one event, an array of events, or {"events": [...]}',
      );
    }
    let body: unknown;
    try {
      body = parseUntrustedJson(new TextDecoder().decode(read.bytes), { maxBytes: MAX_BATCH_BYTES, maxDepth: 32 });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      metrics.rejected.inc({ reason: e.code });
      return fail(c, e.code === "too_large" ? 413 : 400, e.code, e.message, [{ path: e.path, message: e.message }]);
    }
    const wrapped = body !== null && typeof body === "object" && !Array.isArray(body) && Object.hasOwn(body, "events");
    const list = Array.isArray(body) ? body : wrapped ? (body as { events: unknown }).events : [body];
    const base = Array.isArray(body) ? "$" : wrapped ? "$.events" : null;
    if (!Array.isArray(list))
      return fail(c, 400, "invalid_request", "events must be an array", [
        { path: "$.events", message: "expected an array" },
      ]);
    if (list.length === 0)
      return fail(c, 400, "invalid_request", "no events in the request", [{ path: base ?? "$", message: "empty" }]);
    if (list.length > MAX_BATCH_EVENTS)
      return fail(c, 413, "too_many_events", `at most ${MAX_BATCH_EVENTS} events per request`);
    const issues: ErrorIssue[] = [];
    const events = [];
    const latest = deps.now() + maxFutureMs;
    for (let i = 0; i < list.length; i++) {
      const parsed = EventEnvelope.safeParse(list[i]);
      if (!parsed.success) {
        // An unknown key is named at its own path ($[0].userid), with the field it is probably meant to be.
        for (const p of schemaProblems(parsed.error.issues))
          issues.push({ path: toJsonPath(p.path, base === null ? "$" : `${base}[${i}]`), message: p.message });
        continue;
      }
      const size = Buffer.byteLength(JSON.stringify(parsed.data.props));
      if (size > EVENT_LIMITS.maxBytes) {
        issues.push({
          path: toJsonPath(["props"], base === null ? "$" : `${base}[${i}]`),
          message: `props are ${size} bytes; one event may carry at most ${EVENT_LIMITS.maxBytes}`,
        });
        continue;
      }
      const event = toCoreEvent(parsed.data);
      // A person's clock never goes back: one event from the far future would stop every later
      // event of theirs from moving a journey. Late events keep the documented late-event rule.
      if (event.at > latest) {
        issues.push({
          path: toJsonPath(["at"], base === null ? "$" : `${base}[${i}]`),
          message:
            `${parsed.data.at} is more than ${maxFutureMs / 3_600_000} h after the engine's clock ` +
            `(${new Date(deps.now()).toISOString()}); send events when they happen`,
        });
        continue;
      }
      events.push(event);
    }
    if (issues.length > 0) {
      metrics.rejected.inc({ reason: "invalid" });
      return fail(c, 400, "invalid_event", `${issues.length} problem(s); nothing was stored`, issues.slice(0, 100));
    }
    const wait = wantsApplied(c);
    if (wait === "invalid")
      return fail(c, 400, "invalid_request", 'wait may only be "applied"', [
        { path: "$query.wait", message: 'expected "applied"' },
      ]);
    // 202 = durably accepted: in the log, to be applied exactly once, in order per person.
    const result = await engine.accept(events);
    for (const e of events) metrics.sawEvent(e.at);
    metrics.ack.observe((performance.now() - started) / 1000);
    const { accepted, duplicates } = result;
    if (!wait) return c.json({ accepted, duplicates, applied: false }, 202);
    let applied: { pending: number; failed: string[] } | null = null;
    try {
      applied = await engine.waitApplied(
        events.map((e) => e.id),
        deps.waitAppliedMs ?? DEFAULT_WAIT_APPLIED_MS,
      );
    } catch (e) {
      // Accepted all the same: the applier applies them when the store is back.
      console.error(`lifeloop-engine: waiting for application: ${(e as Error).message}`);
    }
    if (!applied || applied.pending > 0)
      return c.json({ accepted, duplicates, applied: false, pending: applied?.pending ?? events.length }, 202);
    c.header("preference-applied", "wait=applied");
    const fresh = new Set(result.fresh);
    return c.json(
      { accepted, duplicates, failed: applied.failed.filter((id) => fresh.has(id)).length, applied: true },
      202,
    );
  });

  app.get("/v1/users/:id", async (c) => {
    // Parsed at the edge: an id no envelope could carry belongs to no person the engine has seen.
    const parsedId = UserId.safeParse(c.req.param("id"));
    if (!parsedId.success) return fail(c, 404, "not_found", "no person with this id has been seen");
    const userId = parsedId.data;
    const stored: UserState | null = await store.userState(userId);
    const limit = Math.min(Number(c.req.query("limit") ?? 200) || 200, 1000);
    // Rows hold one step each (an array); the newest `limit` entries, oldest first.
    const rows = await store.timelineRows(userId, limit);
    // How far behind the applier is: this person's events in the log not applied yet, and how
    // long the oldest of all waiting events has waited.
    const [pendingEvents, lag] = await Promise.all([store.pendingFor(userId), store.applyLag()]);
    const applier = { pendingEvents, lagSeconds: lagSeconds(lag, deps.now()) };
    // A person whose every step failed has no saved state, only the step_failed entries saying why.
    if (stored === null && rows.length === 0 && pendingEvents === 0)
      return fail(c, 404, "not_found", `no person "${userId}" has been seen`);
    const state = stored ?? newUserState(userId);
    const world = engine.currentWorld;
    const now = deps.now();
    const aggregates: Record<string, number | null> = {};
    for (const j of world.live)
      for (const s of j.series) aggregates[s.spec.key] = readSeries(state.series[s.key], s, now);
    const timeline = rows.reverse().flat().slice(-limit);
    return c.json({
      userId,
      profile: state.profile,
      aggregates,
      segments: state.segments,
      runs: state.runs.map((r) => ({
        journeyId: r.journeyId,
        version: r.version,
        entry: r.entry,
        nodeId: r.nodeId,
        startedAt: new Date(r.startedAt).toISOString(),
        waiting: r.wait && { ...r.wait, until: r.wait.until === null ? null : new Date(r.wait.until).toISOString() },
      })),
      entries: state.entries,
      timeline,
      wallet: await walletView(store, userId, stored),
      level: personLevel(engine, state, now),
      applier,
    });
  });

  const stats = createStats(store, () => engine.currentWorld, deps.now, deps.statsCacheMs);
  app.get("/v1/journeys/:id/stats", async (c) => {
    const journeyId = c.req.param("id");
    const parsed = journeyParam(journeyId);
    const body = parsed === null ? null : await stats(parsed);
    if (body === null)
      return fail(c, 404, "not_found", `the engine runs no published version of journey "${journeyId}"`);
    return c.json(body);
  });
  const reports =
    deps.reports ??
    (store instanceof SqliteStore
      ? new Reports(store.facts, () => engine.currentWorld, deps.now)
      : store instanceof PgStore
        ? new PgReports(store.pool, () => engine.currentWorld, deps.now)
        : null);
  if (!reports) throw new Error(`no reports for a store of kind "${store.kind}": give deps.reports`);
  reportRoutes(app, reports, () => engine.currentWorld);

  const after = (v: string | undefined) => (v ? Number(v) || 0 : undefined);
  const dropUndefined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  app.get("/v1/ledger", async (c) => {
    const q = c.req.query();
    const limit = Math.min(Number(q.limit ?? 100) || 100, 1000);
    const userId = q.userId ? UserId.safeParse(q.userId) : null;
    if (userId && !userId.success)
      return fail(c, 400, "invalid_request", "userId is not a user id", [
        { path: "query.userId", message: "1-128 characters, no NUL" },
      ]);
    const journeyId = idFilter(JourneyId, q.journeyId);
    const nodeId = idFilter(NodeId, q.nodeId);
    const rows =
      journeyId === null || nodeId === null
        ? []
        : await store.ledger(dropUndefined({ userId: userId?.data, journeyId, nodeId, after: after(q.after), limit }));
    const grants = rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    return c.json({ grants, next: rows.length === limit ? rows[rows.length - 1]!.seq : null });
  });

  deliveryRoutes(app, store, deps.now, deps.deliveries);
  testSendRoute(app, store, deps.now);
  eventLogRoute(app, store, deps.now);
  walletRoutes(app, engine, store);
  poolRoutes(app, store, deps.now);
  observedRoute(app, store);
  levelsRoute(app, engine);

  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
