/**
 * Journey reports, live and simulated, through one code path: the projector (project.ts) folds
 * what the engine recorded into the fact tables, the queries (queries.ts) read them. A simulation
 * report runs the same two over an in-memory SQLite fed with simulate()'s effects and the stream's
 * events, written the way the durable runtime writes them.
 */
import type {
  EventEnvelope,
  ExecutableJourney,
  FunnelReport,
  IncrementalityReport,
  JourneyReport,
  UserId,
  JourneyId,
  WorkspaceHoldout,
} from "@lifeloop/shared";
import { poolKey, World, type InFlightPolicy } from "../core/index.ts";
import type { EffectRecord, TraceRecord } from "../effects/record.ts";
import { simulate, toCoreEvent } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import type Database from "better-sqlite3";
import { coveredJourneys } from "./incrementality.ts";
import { ReportProjector } from "./project.ts";
import { ReportQueries } from "./queries.ts";

export { ReportProjector } from "./project.ts";
export { ReportQueries } from "./queries.ts";

export interface ReportOptions {
  version?: number | null;
  from?: number | null;
  to?: number;
  cohort?: "day" | "week";
  /** A profile attribute to break the report down by. */
  by?: string;
}

/** Time zones from a world: per journey (any version), and all of them. */
export function zonesOf(world: () => World) {
  return {
    zoneOf(journeyId: JourneyId): string {
      const w = world();
      const live = w.liveVersion(journeyId);
      if (live) return live.exe.timeZone;
      for (let v = 1; v <= 1000; v++) {
        const j = w.version(journeyId, v);
        if (j) return j.exe.timeZone;
      }
      return "UTC";
    },
    zones(): string[] {
      const set = new Set(world().live.map((j) => j.exe.timeZone));
      return set.size > 0 ? [...set].sort() : ["UTC"];
    },
  };
}

/** What a report is about: the version asked for, or the live one standing for all versions. */
export function executableFor(world: World, journeyId: JourneyId, version: number | null): ExecutableJourney | null {
  const j = version === null ? world.liveVersion(journeyId) : world.version(journeyId, version);
  return j?.exe ?? null;
}

/** Reports over one database's facts (the sidecar's file, or a simulation's memory). */
export class Reports {
  readonly projector: ReportProjector;
  readonly queries: ReportQueries;

  constructor(
    db: Database.Database,
    private readonly world: () => World,
    private readonly now: () => number,
    private readonly source: "live" | "simulation" = "live",
    options: { batch?: number } = {},
  ) {
    this.projector = new ReportProjector(db, { ...zonesOf(world), ...(options.batch ? { batch: options.batch } : {}) });
    this.queries = new ReportQueries(db);
  }

  /** The journey's report, after projecting everything committed so far; null when no such journey or version runs. */
  report(journeyId: JourneyId, o: ReportOptions = {}): JourneyReport | null {
    this.projector.catchUp();
    return this.reportAsProjected(journeyId, o);
  }

  funnel(journeyId: JourneyId, path: string[], version: number | null): FunnelReport {
    this.projector.catchUp();
    return this.queries.funnel(journeyId, path, version);
  }

  /** Exposed against held-out people, per journey the workspace holdout covers and overall. */
  incrementality(o: { from?: number | null; to?: number } = {}): IncrementalityReport {
    this.projector.catchUp();
    return this.incrementalityAsProjected(o);
  }

  /** The report from the facts as they stand: for a caller that projected them some other way (a thread). */
  reportAsProjected(journeyId: JourneyId, o: ReportOptions = {}): JourneyReport | null {
    const exe = executableFor(this.world(), journeyId, o.version ?? null);
    if (!exe) return null;
    const now = this.now();
    return this.queries.report({
      journey: exe,
      version: o.version ?? null,
      source: this.source,
      from: o.from ?? null,
      to: o.to ?? now,
      generatedAt: now,
      ...(o.cohort ? { cohort: o.cohort } : {}),
      ...(o.by ? { by: o.by } : {}),
    });
  }

  incrementalityAsProjected(o: { from?: number | null; to?: number } = {}): IncrementalityReport {
    const world = this.world();
    const now = this.now();
    return this.queries.incrementality({
      holdout: world.holdout,
      journeys: coveredJourneys(world),
      source: this.source,
      from: o.from ?? null,
      to: o.to ?? now,
      generatedAt: now,
    });
  }
}

export interface SimulationReportInput {
  journey: ExecutableJourney;
  version?: number;
  inFlight?: InFlightPolicy;
  events: EventEnvelope[];
  until?: string | number;
  cohort?: "day" | "week";
  by?: string;
  holdout?: WorkspaceHoldout | null;
  /** Coupon pools' codes, as simulate takes them: without one, a pool is empty. */
  pools?: Record<string, readonly string[]>;
}

/**
 * A draft measured before it is published: simulate, then write the events and the effects into an
 * in-memory engine database the way the durable runtime does (one timeline row per step, no `move`
 * records), and report from it with the same projector and queries as live.
 */
export function simulationReport(input: SimulationReportInput): JourneyReport {
  const version = input.version ?? 1;
  const result = simulate({
    journeys: [{ executable: input.journey, version, ...(input.inFlight ? { inFlight: input.inFlight } : {}) }],
    events: input.events,
    holdout: input.holdout ?? null,
    ...(input.pools ? { pools: input.pools } : {}),
    ...(input.until !== undefined ? { until: input.until } : {}),
  });
  const store = new SqliteStore({ path: ":memory:" });
  try {
    writeSimulation(store, input.events, result.effects);
    if (input.pools) writePools(store, input.pools, result.effects);
    const world = new World([
      {
        journeyId: input.journey.journeyId,
        status: "live",
        liveVersion: version,
        versions: [{ version, inFlight: input.inFlight ?? "keep", executable: input.journey }],
      },
    ]);
    // An empty stream has no instant of its own: the report is read at the epoch, not at the wall clock.
    const until = result.stats.until === null ? 0 : Date.parse(result.stats.until);
    const reports = new Reports(
      store.db,
      () => world,
      () => until,
      "simulation",
    );
    return reports.report(input.journey.journeyId, {
      version: null,
      ...(input.cohort ? { cohort: input.cohort } : {}),
      ...(input.by ? { by: input.by } : {}),
    })!;
  } finally {
    store.close();
  }
}

export interface SimulationIncrementalityInput {
  journeys: ExecutableJourney[];
  holdout: WorkspaceHoldout;
  events: EventEnvelope[];
  until?: string | number;
  from?: number | null;
  to?: number;
  /** Coupon pools' codes, as simulate takes them: without one, a pool is empty. */
  pools?: Record<string, readonly string[]>;
}

/**
 * The incrementality report of journeys run over a stream with a workspace holdout, before any of
 * it is live: simulate, write what the durable runtime would have (the holdout notes included),
 * and report with the same projector and queries as live.
 */
export function simulationIncrementality(input: SimulationIncrementalityInput): IncrementalityReport {
  const result = simulate({
    journeys: input.journeys.map((executable) => ({ executable })),
    events: input.events,
    holdout: input.holdout,
    ...(input.pools ? { pools: input.pools } : {}),
    ...(input.until !== undefined ? { until: input.until } : {}),
  });
  const store = new SqliteStore({ path: ":memory:" });
  try {
    writeSimulation(store, input.events, result.effects, result.trace);
    const world = new World(
      input.journeys.map((executable) => ({
        journeyId: executable.journeyId,
        status: "live" as const,
        liveVersion: 1,
        versions: [{ version: 1, inFlight: "keep" as const, executable }],
      })),
      undefined,
      input.holdout,
    );
    const until = result.stats.until === null ? 0 : Date.parse(result.stats.until);
    const reports = new Reports(
      store.db,
      () => world,
      () => until,
      "simulation",
    );
    return reports.incrementality({ from: input.from ?? null, to: input.to ?? until });
  } finally {
    store.close();
  }
}

/**
 * Writes a simulation into an engine database as the durable runtime would have: the events into
 * the event log, the effects into the timeline, one row per step (consecutive records of one
 * person), without `move` records. Trace notes, when given, go first, a row each: the durable
 * runtime keeps them in the step's row, but nothing the projector folds from them depends on it.
 */
/**
 * The coupon pools as the simulation left them, for the report's pool lines: their codes, and each pool's
 * counter at how many of its codes were granted (live, a grant moves the counter past the code it took).
 */
function writePools(store: SqliteStore, pools: Record<string, readonly string[]>, effects: EffectRecord[]): void {
  const granted = new Set(
    effects.flatMap((e) => (e.kind === "reward" && e.reward.code !== null ? [e.reward.code] : [])),
  );
  const insert = store.db.prepare(
    "INSERT INTO coupon_pool_codes (pool, idx, code, added_at) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING",
  );
  const counter = store.db.prepare("INSERT INTO counters (key, used, cap) VALUES (?, ?, ?)");
  store.db.transaction(() => {
    for (const [pool, codes] of Object.entries(pools)) {
      // A code listed twice is one code, as an import and simulate count it.
      const unique = [...new Set(codes)];
      unique.forEach((code, idx) => insert.run(pool, idx, code));
      counter.run(poolKey(pool), unique.filter((c) => granted.has(c)).length, unique.length);
    }
  })();
}

export function writeSimulation(
  store: SqliteStore,
  events: EventEnvelope[],
  effects: EffectRecord[],
  trace: TraceRecord[] = [],
): void {
  store.transactionSync((tx) => {
    for (const t of trace) void tx.appendTimeline(t.userId, Date.parse(t.at), JSON.stringify([t]), Date.parse(t.at));
    void tx.insertEvents(events.map(toCoreEvent), 0);
    // Applied, as the effects below say: the applier's cursor is past them.
    store.db
      .prepare("UPDATE applier_cursors SET seq = (SELECT coalesce(max(seq), 0) FROM events) WHERE part = 0")
      .run();
    let row: object[] = [];
    let user: UserId | null = null;
    let at = 0;
    const flush = () => {
      if (row.length > 0 && user !== null) void tx.appendTimeline(user, at, JSON.stringify(row), at);
      row = [];
    };
    for (const r of effects) {
      if (r.kind === "move") continue;
      if (r.userId !== user) {
        flush();
        user = r.userId;
      }
      at = Date.parse(r.at);
      row.push(r);
    }
    flush();
  });
}
