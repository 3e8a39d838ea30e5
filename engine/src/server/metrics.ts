import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CircuitSnapshot } from "../channels/circuit.ts";
import type { Effect } from "../core/index.ts";
import type { ApplyLag, SidecarStore } from "../store/port.ts";
import { SqliteStore } from "../store/sqlite/store.ts";

/**
 * prom-client's default metrics that break the naming convention: gauges named `…_total` (promtool:
 * "non-counter metrics should not have _total suffix"). Their per-type twins (`nodejs_active_handles{type}`
 * and so on) stay, and sum() over them gives the same number.
 */
const NONCONFORMING_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/** Commit and ack times: sub-millisecond on SQLite, up to seconds on a loaded or recovering PostgreSQL. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of one sidecar, by convention (`promtool check metrics` is clean, see
 * metrics.test.ts): prom-client's default process and Node.js metrics under their own names
 * (`process_…`, `nodejs_…`, so stock dashboards work), ours under `lifeloop_`; counters end in
 * `_total`, units are in the name. Gauges that need the database are read at scrape time.
 */
export function createMetrics(
  store: SidecarStore,
  now: () => number,
  sources: { circuits?: () => CircuitSnapshot[] } = {},
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of NONCONFORMING_DEFAULTS) registry.removeSingleMetric(name);
  const events = new Counter({
    name: "lifeloop_events_ingested_total",
    help: "Events accepted into the log (answered 202)",
    registers: [registry],
  });
  const applied = new Counter({
    name: "lifeloop_events_applied_total",
    help: "Events the applier stepped and committed",
    registers: [registry],
  });
  const duplicates = new Counter({
    name: "lifeloop_events_duplicate_total",
    help: "Events refused as already seen (same id)",
    registers: [registry],
  });
  const rejected = new Counter({
    name: "lifeloop_requests_rejected_total",
    help: "Ingest requests refused before storage",
    labelNames: ["reason"],
    registers: [registry],
  });
  const ticks = new Counter({
    name: "lifeloop_timer_fires_total",
    help: "People whose timers fired",
    registers: [registry],
  });
  const grants = new Counter({
    name: "lifeloop_grants_total",
    help: "Rewards granted",
    labelNames: ["journey", "unit"],
    registers: [registry],
  });
  const refusals = new Counter({
    name: "lifeloop_refusals_total",
    help: "Rewards refused",
    labelNames: ["journey", "reason"],
    registers: [registry],
  });
  const messages = new Counter({
    name: "lifeloop_messages_total",
    help: "Messages queued",
    labelNames: ["journey", "channel"],
    registers: [registry],
  });
  const commit = new Histogram({
    name: "lifeloop_commit_seconds",
    help: "Seconds to apply and commit one applier, timer or schedule batch",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const append = new Histogram({
    name: "lifeloop_append_seconds",
    help: "Seconds to append one group of requests to the event log and commit",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  // Both read the log and the applier's cursor(s) in one query per scrape.
  let lagRead: { at: number; value: Promise<ApplyLag> } | null = null;
  const lag = () => {
    if (!lagRead || lagRead.at !== now()) lagRead = { at: now(), value: store.applyLag() };
    return lagRead.value;
  };
  new Gauge({
    name: "lifeloop_apply_lag_seconds",
    help: "Seconds the oldest event acknowledged but not yet applied has waited (0 when the applier is caught up)",
    registers: [registry],
    async collect() {
      const l = await lag();
      this.set(l.oldestReceivedAt === null ? 0 : Math.max(0, (now() - l.oldestReceivedAt) / 1000));
    },
  });
  new Gauge({
    name: "lifeloop_events_pending",
    help: "Events acknowledged (in the log) and not yet applied",
    registers: [registry],
    async collect() {
      this.set((await lag()).pending);
    },
  });
  const ack = new Histogram({
    name: "lifeloop_ingest_ack_seconds",
    help: "Seconds from an ingest request received to its 202",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  let lastEventAt: number | null = null;
  new Gauge({
    name: "lifeloop_ingest_lag_seconds",
    help: "Seconds between the clock and the newest applied event's time",
    registers: [registry],
    collect() {
      this.set(lastEventAt === null ? 0 : Math.max(0, (now() - lastEventAt) / 1000));
    },
  });
  // SQLite only for now: on PostgreSQL the low-water mark trails the folded rows by design (report/pg.ts), so lag needs
  // report_folded too.
  if (store instanceof SqliteStore)
    new Gauge({
      name: "lifeloop_report_lag_rows",
      help: "Timeline rows and events committed but not yet folded into the report facts",
      registers: [registry],
      collect() {
        // On the facts connection: the cursors are in the facts file, the engine's file attached.
        const lag = store.facts
          .prepare(
            "SELECT (SELECT coalesce(max(seq), 0) FROM timeline) - coalesce((SELECT seq FROM report_cursors " +
              "WHERE source = 'timeline'), 0) + (SELECT coalesce(max(seq), 0) FROM events) - coalesce((SELECT " +
              "seq FROM report_cursors WHERE source = 'events'), 0)",
          )
          .pluck()
          .get() as number;
        this.set(lag);
      },
    });
  new Gauge({
    name: "lifeloop_timers_pending",
    help: "Timer rows waiting to fire",
    registers: [registry],
    async collect() {
      this.set((await store.timerStats()).pending);
    },
  });
  new Gauge({
    name: "lifeloop_timer_lag_seconds",
    help: "Seconds the oldest due timer is overdue",
    registers: [registry],
    async collect() {
      const { oldest } = await store.timerStats();
      this.set(oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
  // The store counts retries itself (it has no registry); the counter catches up with it at each scrape.
  let retriesSeen = 0;
  new Counter({
    name: "lifeloop_transaction_retries_total",
    help:
      "Transactions this process ran again after a deadlock, serialization failure or spend conflict " +
      "(PostgreSQL; 0 on SQLite)",
    registers: [registry],
    collect() {
      const retries = store.retries;
      if (retries > retriesSeen) this.inc(retries - retriesSeen);
      retriesSeen = retries;
    },
  });
  new Gauge({
    name: "lifeloop_outbox_depth",
    help: "Outbox rows by status (pending, delivered, dead)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const rows = await store.outboxDepth();
      this.reset();
      for (const r of rows) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: "lifeloop_coupon_pool_remaining",
    help: "Codes of a coupon pool not handed out yet (imported less granted), by pool",
    labelNames: ["pool"],
    registers: [registry],
    async collect() {
      const pools = await store.couponPools();
      this.reset();
      for (const p of pools) this.set({ pool: p.pool }, Math.max(0, p.codes - p.handed));
    },
  });

  const circuits = sources.circuits;
  if (circuits) {
    new Gauge({
      name: "lifeloop_delivery_circuit_open",
      help:
        "1 while deliveries to the receiver are held back by its circuit (open, or waiting for its probe), 0 " +
        "when closed",
      labelNames: ["receiver"],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of circuits()) this.set({ receiver: c.receiver }, c.state === "closed" ? 0 : 1);
      },
    });
    new Gauge({
      name: "lifeloop_delivery_consecutive_failures",
      help: "Consecutive failed deliveries to the receiver (the circuit opens at its threshold)",
      labelNames: ["receiver"],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of circuits()) this.set({ receiver: c.receiver }, c.failures);
      },
    });
  }

  return {
    registry,
    rejected,
    ack,
    accepted(info: { accepted: number; duplicates: number; ms: number }) {
      events.inc(info.accepted);
      duplicates.inc(info.duplicates);
      append.observe(info.ms / 1000);
    },
    committed(info: { events: number; duplicates: number; ticks: number; effects: Effect[]; ms: number }) {
      applied.inc(info.events);
      ticks.inc(info.ticks);
      commit.observe(info.ms / 1000);
      for (const e of info.effects) {
        if (e.kind === "reward") grants.inc({ journey: e.journeyId, unit: e.reward.unit });
        else if (e.kind === "refuse") refusals.inc({ journey: e.journeyId, reason: e.reason });
        else if (e.kind === "message") messages.inc({ journey: e.journeyId, channel: e.channel });
      }
    },
    sawEvent(at: number) {
      lastEventAt = lastEventAt === null ? at : Math.max(lastEventAt, at);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
