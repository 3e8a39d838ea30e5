import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { availableParallelism } from "node:os";
import { serve, type ServerType } from "@hono/node-server";
import { EngineFeed, parseCouponFile, type WorkspaceHoldout, type WorkspaceLevels } from "@lifeloop/shared";
import { Circuit, DEFAULT_CIRCUIT, type CircuitOptions } from "../channels/circuit.ts";
import { drainOutbox, type DrainOptions } from "../channels/drain.ts";
import { DEFAULT_RETRY } from "../channels/retry.ts";
import { logChannel } from "../channels/log.ts";
import type { Channel } from "../channels/types.ts";
import { webhookChannel } from "../channels/webhook.ts";
import type { ChannelCap } from "../core/gates/channel-cap.ts";
import { World } from "../core/index.ts";
import { DurableEngine } from "../runtime/durable.ts";
import { fetchFeed, feedFromFiles, worldFromFeed, type FeedSource } from "../runtime/feed.ts";
import { yieldToRequests } from "../runtime/turns.ts";
import { openStore } from "../store/open.ts";
import { Outage } from "../store/outage.ts";
import type { SidecarStore } from "../store/port.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { createApp } from "./app.ts";
import { refuseUnguardedListen } from "./exposure.ts";
import { createMetrics } from "./metrics.ts";
import { Reports } from "../report/index.ts";
import { ProjectorThread } from "../report/thread/projector-thread.ts";
import { reportsAfter } from "../report/routes.ts";
import { BacklogRows, catchUpYielding } from "../report/yielding.ts";
import { PgReports } from "../report/pg.ts";
import { PgStore } from "../store/pg/store.ts";
import { RETRY_AFTER_SECONDS, unavailableReason } from "../store/unavailable.ts";
import { WriteFault } from "./write-fault.ts";

export interface SidecarConfig {
  /** A SQLite file path, or a `postgres://…` URL (several sidecars can share one PostgreSQL database). */
  db: string;
  /** PostgreSQL: how long a worker's partition leases last without renewal (default 10 s). */
  leaseTtlMs?: number;
  /** PostgreSQL: how long start-up waits for a server that is not up yet (default 5 min). */
  dbStartWaitMs?: number;
  host: string;
  port: number;
  /** Where published journeys come from: the API's feed, or journey files run as version 1. */
  api?: FeedSource;
  journeyFiles?: string[];
  /**
   * Coupon pool files imported at start (samples/pools with `npm start`): each file's name without its
   * extension is the pool. Codes the pool has are skipped, so a restart imports nothing twice.
   */
  poolFiles?: string[];
  /** With journey files: the workspace holdout (from the API, the feed carries it). */
  holdout?: WorkspaceHoldout | null;
  /** With journey files: the workspace's growth levels (from the API, the feed carries them). */
  levels?: WorkspaceLevels | null;
  webhook?: { url: string; secret?: string /** Per delivery (default 10 s). */; timeoutMs?: number };
  /** A failed delivery is retried until this long after its row was created or re-driven (default 72 h). */
  retryWindowMs?: number;
  /** Backoff, batch and concurrency of delivery passes, and the receiver's circuit (defaults in channels/). */
  delivery?: Pick<DrainOptions, "backoffMs" | "maxBackoffMs" | "batch" | "concurrency"> & {
    circuit?: Partial<Omit<CircuitOptions, "random">>;
  };
  /** Jitter source for retries and circuit cool-offs, a fraction in [0, 1) (default Math.random). */
  random?: () => number;
  token?: string;
  /** With token: one that may only read (GET routes), e.g. for the API's backtests and reports. */
  readToken?: string;
  feedIntervalMs: number;
  /** How long a person's timeline keeps what happened (default 90 days). */
  timelineDays?: number;
  timerIntervalMs: number;
  outboxIntervalMs: number;
  now?: () => number;
  /** How long a journey's stats may be reused while steps happen (default 2 s). */
  statsCacheMs?: number;
  /** How long after a commit the report projector runs (default 250 ms). */
  reportDelayMs?: number;
  /** How far ahead of `now` an event's `at` may be; later ones are refused with 400 (default 24 h). */
  maxFutureMs?: number;
  log?: (line: string) => void;
  /** /readyz answers 503 while the oldest event waiting for the applier is older than this (default 60 s). */
  maxApplyLagMs?: number;
  /** How long `?wait=applied` waits before answering 202 with `applied: false` (default 10 s). */
  waitAppliedMs?: number;
  /** Events per applier batch (default 500). */
  applyBatch?: number;
  /** How long after a commit the applier waits for more events to batch (default 25 ms; see DurableOptions). */
  applyDelayMs?: number;
  /** Most people a timer pass (and a scheduled trigger's batch) takes a transaction (SQLite 250, PostgreSQL 1,000). */
  timerBatch?: number;
  /**
   * How often the applier looks at the log besides after each local commit (default 1 s on SQLite,
   * 100 ms on PostgreSQL, where other workers append to the partitions this one applies).
   */
  applyIntervalMs?: number;
  /** Frequency caps across every journey, per channel (LIFELOOP_CHANNEL_CAPS); none by default. */
  channelCaps?: ChannelCap[];
  /**
   * Where a SQLite file's report projector runs (LIFELOOP_REPORT_THREAD): "thread", a worker thread of
   * its own (report/thread); "loop", the event loop; "auto" (the default), a thread when the machine
   * has a second core (see reportThreadWanted).
   */
  reportThread?: "thread" | "loop" | "auto";
}

/**
 * The projector's thread writes the facts' own file (store/sqlite/facts.ts), so it never waits for
 * the engine's write lock nor makes the main thread wait for it. Measured on 2 cores with the load
 * client beside it (pnpm bench, 2026-12-07): single-event POSTs 3,082 against 2,414 acknowledged a
 * second on the loop, ack p99 at an even 1,000/s 13.7 against 27.0 ms; the main thread spends ~0.7x
 * the CPU per event. Before the facts had a file of their own the thread made acknowledgements ~10 %
 * slower (the two took turns at one lock), and "auto" wanted 4 cores; one core has nothing to spare.
 */
export function reportThreadWanted(
  setting: "thread" | "loop" | "auto" = "auto",
  cores = availableParallelism(),
): boolean {
  return setting === "thread" || (setting === "auto" && cores >= 2);
}

export interface Sidecar {
  url: string;
  port: number;
  engine: DurableEngine;
  store: SidecarStore;
  close(): Promise<void>;
  /** One timer pass and one outbox pass now (tests, and shutdown). */
  pump(): Promise<void>;
  refreshFeed(): Promise<void>;
  /** What the HTTP app serves, `GET /v1/users/:id` style (the OpenAPI document's test compares them). */
  routes: Array<{ method: string; path: string }>;
}

/**
 * People per timer pass (and per batch of a scheduled trigger's audience) on SQLite, where a pass holds
 * the event loop. When 100,000 people's waits ended together under 500 requests/s, passes of 1,000 (the
 * engine's default, kept on PostgreSQL, whose passes wait on the network) put the acknowledgements' p99
 * at 104-520 ms for the 4 s the firing took; passes of 250 at 38-42 ms, the firing ~1.2 s longer.
 */
const TIMER_BATCH = 250;

/**
 * Timeline rows (or events) per report projector transaction on SQLite: on the projector's own thread, and on the
 * event loop once behind (below) and when a report catches up before it is read.
 */
const PROJECT_BATCH = 100;
/**
 * On the event loop, where a request waits behind a batch (~80-110 µs a row): 30 rows a batch while the
 * projector is nearly caught up, PROJECT_BATCH once a backlog has outlasted LOOP_BACKLOG_BATCHES of
 * them. 30 alone fell 25,000 rows behind during a flat-out load (a batch a turn of the loop is too
 * little then); 100 alone held the loop ~10 ms a batch. Ack p99 at an even 1,000 requests/s 15-22 ms
 * against 25-35 ms with 100, at 500/s and flat out within the noise (three alternating runs each).
 */
const LOOP_PROJECT_BATCH = 30;
const LOOP_BACKLOG_BATCHES = 8;
/**
 * Batches a background pass asks of the projector's thread (~10 ms each, none of it on the loop). One
 * a pass left the thread idle between the loop's turns: under flat-out ingest the event log's side
 * (folded once the timeline is caught up) ended 27,000-30,000 events behind; 10 ended 500-2,200 behind.
 */
const THREAD_PASS_BATCHES = 10;

/** Wires the durable engine to HTTP, the feed, the timer loop and the outbox channel. */
export async function startSidecar(config: SidecarConfig): Promise<Sidecar> {
  refuseUnguardedListen(config.host, config.token);
  const now = config.now ?? Date.now;
  const log = config.log ?? ((line: string) => console.log(line));
  const store = await openStore(config.db, {
    log,
    now,
    ...(config.leaseTtlMs ? { leaseTtlMs: config.leaseTtlMs } : {}),
    ...(config.dbStartWaitMs !== undefined ? { startWaitMs: config.dbStartWaitMs } : {}),
  });
  const random = config.random ?? Math.random;
  const channel: Channel = config.webhook ? webhookChannel(config.webhook) : logChannel;
  const circuit = new Circuit(channel.receiver, { ...DEFAULT_CIRCUIT, ...config.delivery?.circuit, random });
  const retryWindowMs = config.retryWindowMs ?? DEFAULT_RETRY.windowMs;
  const metrics = createMetrics(store, now, { circuits: () => [circuit.snapshot(now())] });
  const feedState = {
    etag: null as string | null,
    fetchedAt: null as number | null,
    source: "none",
    lastError: null as string | null,
  };

  let world = new World([]);
  const saved = await store.loadFeed();
  if (saved) {
    const parsed = EngineFeed.safeParse(JSON.parse(saved.body));
    if (parsed.success) {
      world = worldFromFeed(parsed.data);
      Object.assign(feedState, { etag: saved.etag, fetchedAt: saved.fetchedAt, source: "stored" });
    } else {
      log(
        `lifeloop engine: the stored journey feed is unreadable (${parsed.error.issues[0]?.message}); ` +
          `waiting for a new one`,
      );
    }
  }
  for (const file of config.poolFiles ?? []) {
    const pool = basename(file).replace(/\.[^.]*$/, "");
    const read = parseCouponFile(readFileSync(file, "utf8"));
    if ("issues" in read)
      throw new Error(`coupon pool file ${file}: ${read.issues[0]!.path}: ${read.issues[0]!.message}`);
    const done = await store.importPoolCodes(pool, read.codes, now());
    log(`lifeloop engine: coupon pool ${pool}: ${done.added} codes added from ${file} (${done.codes} in all)`);
  }
  if (config.journeyFiles?.length) {
    const feed = feedFromFiles(config.journeyFiles, config.holdout ?? null, config.levels ?? null);
    world = worldFromFeed(feed);
    await store.saveFeed(feed.etag, JSON.stringify(feed), now());
    Object.assign(feedState, { etag: feed.etag, fetchedAt: now(), source: "files" });
  }

  // Reports: the projector folds committed steps into the fact tables after commits, off the
  // ingest path (a timer after the commit that asked for it), and before each report is answered.
  // On PostgreSQL every worker runs it; a transaction-scoped advisory lock lets one fold at a time
  // (the others skip), and out-of-order commits are handled by the projector's fence (report/pg.ts).
  // A SQLite file may be folded on a thread of its own (report/thread, reportThreadWanted), off the
  // event loop that answers requests and applies. In small batches: on the event loop a request waits
  // behind one (2,000, the projector's default, held it over 300 ms under ingest load; 250, ~25 ms: ack
  // p99 57-59 ms against 45 ms with 100; 30 rows, ~3 ms, see LOOP_PROJECT_BATCH). An in-memory database
  // (nothing another connection can open) always folds on the loop.
  const sqliteReports =
    store instanceof SqliteStore
      ? new Reports(store.facts, () => engine.currentWorld, now, "live", { batch: PROJECT_BATCH })
      : null;
  const projectorThread =
    store instanceof SqliteStore && !store.db.memory && reportThreadWanted(config.reportThread)
      ? new ProjectorThread({ path: store.db.name, batch: PROJECT_BATCH, world: () => engine.currentWorld, log })
      : null;
  const pgReports = store instanceof PgStore ? new PgReports(store.pool, () => engine.currentWorld, now) : null;
  // On the loop, a report's catch-up goes in 20 ms slices (report/yielding.ts): a backlog of
  // 25,000 rows folded in one go would hold every request ~3 s.
  const reports =
    sqliteReports && projectorThread
      ? reportsAfter(sqliteReports, () => projectorThread.catchUp())
      : sqliteReports
        ? reportsAfter(sqliteReports, () => catchUpYielding(sqliteReports.projector, { rows: PROJECT_BATCH }))
        : pgReports;
  if (!reports) throw new Error(`reports: no projector for a store of kind "${store.kind}"`);
  const loopRows = new BacklogRows({
    small: LOOP_PROJECT_BATCH,
    large: PROJECT_BATCH,
    afterBatches: LOOP_BACKLOG_BATCHES,
  });
  /** One batch: on its thread, or on this one (in memory); PostgreSQL skips when another worker holds the lock. */
  const projectBatch = async (): Promise<boolean> => {
    if (projectorThread) return (await projectorThread.catchUp({ maxBatches: THREAD_PASS_BATCHES })).more;
    if (sqliteReports) {
      // Small batches while nearly caught up; the thread's size once a backlog outlasts a few of them.
      const { more } = sqliteReports.projector.catchUp({ maxBatches: 1, rows: loopRows.rows });
      loopRows.saw(more);
      return more;
    }
    return (await pgReports!.projector.catchUp({ maxBatches: 1 })).more;
  };
  let projectTimer: NodeJS.Timeout | null = null;
  let projecting: Promise<void> | null = null;
  // Background work goes on while the store is unavailable (a database restart): each loop keeps
  // trying with capped backoff, logs one line when an outage starts and one when it is over, and
  // picks up where it left off by itself (cursors, leases and rows are all in the database).
  const projection = new Outage("report projection", log, {
    now,
    meanwhile: "retrying with backoff (at most 5 s apart) from its cursor",
  });
  const background = new Outage("background work (timers, schedules, timeline trim)", log, { now });
  const delivery = new Outage("the delivery pass (reading and recording the outbox)", log, { now });
  const feedSave = new Outage("storing the journey feed", log, {
    now,
    meanwhile: "its journeys run meanwhile; storing it again on each background pass",
  });
  const ingestion = new Outage("ingest", log, {
    now,
    meanwhile: "requests are answered 503 with Retry-After and nothing of them is acknowledged",
  });
  // Readiness holds a real write's failure for five Retry-Afters (see write-fault.ts).
  const writeFault = new WriteFault(now, 5 * RETRY_AFTER_SECONDS * 1000);
  const applying = new Outage("the applier", log, {
    now,
    meanwhile: "acknowledged events wait in the log; applying them again with backoff from the cursor",
  });
  // One batch at a time, the loop's turns between them, so a backlog (a first start on an old database) never
  // holds up ingest for long. A failed batch is tried again after a backoff, not only at the next commit.
  const projectSoon = () => {
    if (projectTimer || projecting) return;
    projectTimer = setTimeout(function pass() {
      projectTimer = null;
      if (stopping) return;
      projecting = projectBatch()
        .then((more): number | null => {
          projection.ok();
          return more ? (pgReports ? 50 : 0) : null;
        })
        .catch((e: unknown) => projection.failed(e))
        .then((next) => {
          projecting = null;
          if (next !== null && !stopping) projectTimer = setTimeout(() => void yieldToRequests().then(pass), next);
        });
    }, config.reportDelayMs ?? 250);
  };

  const engine = new DurableEngine(
    store,
    world,
    {
      now,
      autoApply: true,
      ...(config.applyBatch ? { applyBatch: config.applyBatch } : {}),
      ...(config.timerBatch || store instanceof SqliteStore ? { timerBatch: config.timerBatch ?? TIMER_BATCH } : {}),
      ...(config.applyDelayMs !== undefined ? { applyDelayMs: config.applyDelayMs } : {}),
      ...(config.channelCaps ? { channelCaps: config.channelCaps } : {}),
    },
    {
      onAccept: (info) => {
        metrics.accepted(info);
        ingestion.ok();
        writeFault.ok();
      },
      onCommit: (info) => {
        metrics.committed(info);
        if (info.events > 0) {
          applying.ok();
          writeFault.ok();
        }
        if (info.effects.length > 0 || info.events > 0) projectSoon();
      },
      onError: (e, context) => {
        // Every batch fails alike while the store is away: one line per outage, not one per batch.
        const reason = unavailableReason(e);
        if (reason !== null) {
          (context === "applier batch" ? applying : ingestion).failed(e);
          writeFault.failed(reason);
        } else log(`lifeloop engine: ${context}: ${(e as Error).message}`);
      },
    },
  );

  /**
   * The last feed from the API, if it could not be stored yet (the database was away): the next background pass stores
   * it.
   */
  let unsavedFeed: { etag: string; body: string; at: number } | null = null;
  const saveFeed = async (): Promise<void> => {
    const f = unsavedFeed;
    if (!f) return;
    try {
      await store.saveFeed(f.etag, f.body, f.at);
      if (unsavedFeed === f) unsavedFeed = null;
      feedSave.ok();
    } catch (e) {
      feedSave.failed(e);
    }
  };
  const refreshFeed = async (): Promise<void> => {
    if (!config.api) return;
    try {
      const r = await fetchFeed(config.api, feedState.etag);
      feedState.lastError = null;
      if (!r.changed) return;
      const next = worldFromFeed(r.feed);
      engine.setWorld(next);
      Object.assign(feedState, { etag: r.feed.etag, fetchedAt: now(), source: "api" });
      log(`lifeloop engine: running ${next.live.length} journey(s) from the API (feed ${r.feed.etag})`);
      // Stored so that a restart runs these journeys even while the API is down.
      unsavedFeed = { etag: r.feed.etag, body: r.body, at: now() };
    } catch (e) {
      // The API being down is not the engine's problem: keep running the last journeys seen.
      const message = (e as Error).message;
      if (feedState.lastError !== message)
        log(`lifeloop engine: cannot refresh journeys from ${config.api.url}: ${message}; keeping the last set`);
      feedState.lastError = message;
    }
    await saveFeed();
  };
  await refreshFeed();

  let stopping = false;
  let pumping: Promise<void> | null = null;
  let delivering: Promise<void> | null = null;
  let lastTrim = 0;
  const d = config.delivery ?? {};
  const batch = d.batch ?? 100;
  const drainOptions: DrainOptions = {
    now,
    random,
    retryWindowMs,
    circuit,
    batch,
    ...(d.backoffMs ? { backoffMs: d.backoffMs } : {}),
    ...(d.maxBackoffMs ? { maxBackoffMs: d.maxBackoffMs } : {}),
    ...(d.concurrency ? { concurrency: d.concurrency } : {}),
  };
  /**
   * Delivery runs on its own, not inside the timer pass: a receiver that hangs holds up deliveries
   * (a few at a time, until its circuit opens), never timers, schedules or trimming.
   */
  const deliver = async (): Promise<void> => {
    if (delivering) return delivering;
    delivering = (async () => {
      try {
        // Another pass only after one that made progress through a full batch (or closed the
        // circuit with a probe): a failing pass never spins.
        for (let passes = 0; !stopping && passes < 1000; passes++) {
          const r = await drainOutbox(store, channel, drainOptions);
          if (!r.more) break;
          await yieldToRequests();
        }
        delivery.ok();
      } catch (e) {
        delivery.failed(e);
      } finally {
        delivering = null;
      }
    })();
    return delivering;
  };
  const runTimers = async (): Promise<void> => {
    if (pumping) return pumping;
    pumping = (async () => {
      await saveFeed();
      try {
        // Yield between passes so requests keep being answered while a backlog drains.
        while (!stopping && (await engine.runDueTimers()) > 0) await yieldToRequests();
        if (!stopping) await engine.runSchedules();
        if (!stopping && now() - lastTrim > 3_600_000) {
          lastTrim = now();
          // Reports are folded from the timeline: project what is there before any of it is trimmed.
          if (projectorThread) await projectorThread.catchUp();
          else if (sqliteReports) await catchUpYielding(sqliteReports.projector, { rows: PROJECT_BATCH });
          else await pgReports!.projector.catchUp();
          // 10,000 rows a statement, a turn of the loop between them.
          while (!stopping && (await store.trimTimeline(now() - (config.timelineDays ?? 90) * 86_400_000)) > 0)
            await yieldToRequests();
        }
        background.ok();
      } catch (e) {
        background.failed(e);
      } finally {
        pumping = null;
      }
    })();
    return pumping;
  };
  /** Passes that start now: one already under way may have begun before what the caller just did. */
  const pump = async (): Promise<void> => {
    if (pumping) await pumping;
    await runTimers();
    if (delivering) await delivering;
    await deliver();
  };

  const deliveries = {
    retryWindowMs,
    status: () => circuit.snapshot(now()),
    // An operator re-drove deliveries: try the receiver at once instead of waiting out a cool-off.
    onRedrive: () => {
      circuit.probeNow(now());
      void deliver();
    },
  };
  const app = createApp({
    engine,
    store,
    metrics,
    now,
    reports,
    deliveries,
    ...(config.maxApplyLagMs !== undefined ? { maxApplyLagMs: config.maxApplyLagMs } : {}),
    ...(config.waitAppliedMs !== undefined ? { waitAppliedMs: config.waitAppliedMs } : {}),
    ...(config.statsCacheMs !== undefined ? { statsCacheMs: config.statsCacheMs } : {}),
    ...(config.token ? { token: config.token } : {}),
    ...(config.readToken ? { readToken: config.readToken } : {}),
    ...(config.maxFutureMs !== undefined ? { maxFutureMs: config.maxFutureMs } : {}),
    feedStatus: () => ({ ...feedState }),
    writeFault: () => writeFault.current(),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  // The timer pass every interval; after a failed one, after the outage's backoff instead. Delivery
  // has its own loop (above), which backs off the same way while the store is away.
  let pumpTimer: NodeJS.Timeout | null = null;
  const timersAfter = (ms: number) => {
    pumpTimer = setTimeout(() => {
      pumpTimer = null;
      void runTimers().then(() => {
        if (!stopping)
          timersAfter(background.down ? Math.max(config.timerIntervalMs, background.delay()) : config.timerIntervalMs);
      });
    }, ms);
  };
  timersAfter(config.timerIntervalMs);
  // The applier runs after every local group commit (DurableEngine autoApply) and on this beat:
  // events left in the log by a crash, or appended by another worker to a partition this one
  // holds. After a failed pass (the store away), after the outage's backoff instead.
  const applyEvery = config.applyIntervalMs ?? (store.kind === "postgres" ? 100 : 1000);
  let applyTimer: NodeJS.Timeout | null = null;
  let applyLoop: Promise<void> | null = null;
  const applyAfter = (ms: number) => {
    applyTimer = setTimeout(() => {
      applyTimer = null;
      applyLoop = engine
        .applyPending()
        .then(() => void applying.ok())
        .catch(() => {})
        .then(() => {
          applyLoop = null;
          if (!stopping) applyAfter(applying.down ? Math.max(applyEvery, applying.delay()) : applyEvery);
        });
    }, ms);
  };
  applyAfter(0);
  let deliverTimer: NodeJS.Timeout | null = null;
  const deliverAfter = (ms: number) => {
    deliverTimer = setTimeout(() => {
      deliverTimer = null;
      void deliver().then(() => {
        if (!stopping)
          deliverAfter(delivery.down ? Math.max(config.outboxIntervalMs, delivery.delay()) : config.outboxIntervalMs);
      });
    }, ms);
  };
  deliverAfter(config.outboxIntervalMs);
  const timers = config.api ? [setInterval(() => void refreshFeed(), config.feedIntervalMs)] : [];

  return {
    url: `http://${config.host}:${port}`,
    port,
    engine,
    store,
    pump,
    refreshFeed,
    // Middleware (the token check) is registered for every method; only the routes themselves count.
    routes: app.routes.filter((r) => r.method !== "ALL").map((r) => ({ method: r.method, path: r.path })),
    async close() {
      stopping = true;
      for (const t of timers) clearInterval(t);
      if (pumpTimer) clearTimeout(pumpTimer);
      if (deliverTimer) clearTimeout(deliverTimer);
      if (applyTimer) clearTimeout(applyTimer);
      if (projectTimer) clearTimeout(projectTimer);
      if (projecting) await projecting;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (pumping) await pumping;
      if (delivering) await delivering;
      await engine.flush();
      if (applyLoop) await applyLoop;
      // What is still in the log is applied by the next start (or by another worker): nothing is lost.
      await engine.stopApplying();
      if (projectTimer) clearTimeout(projectTimer);
      if (projecting) await projecting;
      await projectorThread?.stop();
      await store.close();
    },
  };
}
