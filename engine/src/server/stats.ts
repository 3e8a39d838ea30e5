/**
 * Per-journey counts for the editor's stats overlay: `GET /v1/journeys/:id/stats`.
 *
 * INTERIM (until the measurement issue adds indexed fact tables): read-only queries over the
 * tables the engine already keeps, so the ingest path writes nothing more.
 *
 * - `at` and `active`: people whose active run is at the node now — from `users.state` (`$.runs`),
 *   read with the database's JSON functions (SQLite's json_each, PostgreSQL's jsonb), no
 *   JavaScript parse of whole states.
 * - `entered`: entries, from each person's entry memo (`$.entries."<journey>"`): exact, all time.
 * - `visits`, `converted`, `exited`: from the timeline (one row per step), so they cover what the
 *   timeline still holds (90 days by default; `since` says from when). A visit is one arrival of a
 *   run at the node; the step that ends a pause there (a wait resuming, a held message going out,
 *   an exit criterion taking a waiting person out) is not a second visit.
 *
 * Both scans are proportional to the people and the steps kept, so an answer is cached per journey
 * and reused while nothing new has been stepped (the timeline's first and last seq are unchanged) or
 * for `cacheMs` (default 2 s) whichever is longer — a busy engine computes each journey's stats at
 * most once per `cacheMs`.
 */
import { decodeTimelineRow } from "../effects/timeline-row.ts";
import type { JourneyStats, NodeStats, JourneyId, NodeId } from "@lifeloop/shared";
import type { World } from "../core/index.ts";
import { PgStore } from "../store/pg/store.ts";
import type { SidecarStore } from "../store/port.ts";
import { SqliteStore } from "../store/sqlite/store.ts";

// The answer's shape is shared's wire JourneyStats (the editor's client is generated from it).
export type { JourneyStats, NodeStats };

interface TimelineItem {
  kind: string;
  journeyId: JourneyId;
  nodeId: NodeId | null;
  reason?: string;
  test?: boolean;
}

const PAUSES = new Set(["wait", "hold"]);

/** The four reads stats need, per store: the same answers from SQLite's and PostgreSQL's JSON functions. */
interface StatsReads {
  bounds(): Promise<{ lo: number | null; hi: number | null; first: number | null }>;
  runsAt(journeyId: JourneyId): Promise<Array<{ nodeId: NodeId; version: number; n: number }>>;
  entries(journeyId: JourneyId): Promise<number>;
  steps(pattern: string): Promise<Iterable<{ userId: string; at: number | string; record: string }>>;
}

// Three subqueries, each answered from an index end (one query with three aggregates would scan).
const BOUNDS =
  'SELECT (SELECT min(seq) FROM timeline) AS "lo", (SELECT max(seq) FROM timeline) AS "hi", (SELECT min(at) ' +
  'FROM timeline) AS "first"';

function sqliteReads(store: SqliteStore): StatsReads {
  const db = store.db;
  const bounds = db.prepare(BOUNDS);
  const runsAt = db.prepare(
    `SELECT json_extract(r.value, '$.nodeId') AS nodeId, json_extract(r.value, '$.version') AS version, count(*) AS n
       FROM users, json_each(users.state, '$.runs') AS r
      WHERE json_extract(r.value, '$.journeyId') = ? AND json_extract(users.state, '$.test') IS NULL
      GROUP BY 1, 2`,
  );
  const entries = db
    .prepare("SELECT coalesce(sum(json_extract(state, ?)), 0) FROM users WHERE json_extract(state, '$.test') IS NULL")
    .pluck();
  const steps = db.prepare(
    "SELECT user_id AS userId, at, record FROM timeline WHERE record LIKE ? ESCAPE '\\' ORDER BY user_id, seq",
  );
  // runsAt's node ids are read from states the engine wrote from branded runs: typing them as NodeId is safe.
  return {
    bounds: async () => bounds.get() as { lo: number | null; hi: number | null; first: number | null },
    runsAt: async (journeyId) => runsAt.all(journeyId) as Array<{ nodeId: NodeId; version: number; n: number }>,
    entries: async (journeyId) => entries.get(`$.entries."${journeyId.replace(/["\\]/g, "")}".count`) as number,
    steps: async (pattern) => steps.iterate(pattern) as Iterable<{ userId: string; at: number; record: string }>,
  };
}

function pgReads(store: PgStore): StatsReads {
  const q = async <T>(text: string, values: unknown[] = []) => (await store.pool.query(text, values)).rows as T[];
  // As on SQLite: runsAt's node ids come from states the engine wrote, so typing them as NodeId is safe.
  return {
    bounds: async () => (await q<{ lo: number | null; hi: number | null; first: number | null }>(BOUNDS))[0]!,
    runsAt: (journeyId) =>
      q(
        `SELECT r ->> 'nodeId' AS "nodeId", (r ->> 'version')::int AS "version", count(*) AS "n"
           FROM users, jsonb_array_elements(users.state::jsonb -> 'runs') AS r
          WHERE r ->> 'journeyId' = $1 AND users.state::jsonb -> 'test' IS NULL
          GROUP BY 1, 2`,
        [journeyId],
      ),
    entries: async (journeyId) =>
      (
        await q<{ n: number }>(
          "SELECT coalesce(sum((state::jsonb -> 'entries' -> $1 ->> 'count')::bigint), 0)::bigint AS n FROM users " +
            "WHERE state::jsonb -> 'test' IS NULL",
          [journeyId],
        )
      )[0]!.n,
    steps: (pattern) =>
      q<{ userId: string; at: string; record: string }>(
        `SELECT user_id AS "userId", at, record FROM timeline WHERE record LIKE $1 ESCAPE '\\' ORDER BY user_id, seq`,
        [pattern],
      ),
  };
}

export function createStats(store: SidecarStore, world: () => World, now: () => number, cacheMs = 2000) {
  const reads = store instanceof SqliteStore ? sqliteReads(store) : store instanceof PgStore ? pgReads(store) : null;
  if (!reads) throw new Error(`journey stats: no reads for a store of kind "${store.kind}"`);
  const cache = new Map<string, { key: string; computedAt: number; stats: JourneyStats }>();

  function versionsOf(journeyId: JourneyId): Array<{ version: number; live: boolean }> | null {
    const w = world();
    const live = w.liveVersion(journeyId);
    const out: Array<{ version: number; live: boolean }> = [];
    // Versions are numbered from 1; the live one is the newest the engine runs.
    const newest = live?.version ?? 0;
    for (let v = 1; v <= newest; v++) if (w.version(journeyId, v)) out.push({ version: v, live: v === newest });
    return out.length > 0 ? out : null;
  }

  async function compute(
    journeyId: JourneyId,
    versions: Array<{ version: number; live: boolean }>,
    since: number | null,
  ): Promise<JourneyStats> {
    const w = world();
    const nodes: Record<string, NodeStats> = {};
    for (const v of versions)
      for (const id of Object.keys(w.version(journeyId, v.version)!.nodes)) nodes[id] ??= { visits: 0, at: 0 };
    const node = (id: string) => (nodes[id] ??= { visits: 0, at: 0 });

    const activeBy = new Map<number, number>();
    let active = 0;
    for (const row of await reads!.runsAt(journeyId)) {
      node(row.nodeId).at += row.n;
      active += row.n;
      activeBy.set(row.version, (activeBy.get(row.version) ?? 0) + row.n);
    }
    const entered = await reads!.entries(journeyId);

    // Walk each person's steps in order, for this journey only: a run is one at a time per person
    // and journey, so "where is it paused" and "which node did it last arrive at" are per person.
    let converted = 0;
    const exited: Record<string, number> = {};
    const pattern = `%"journeyId":${JSON.stringify(journeyId).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    let user: string | null = null;
    let last: string | null = null;
    for (const row of await reads!.steps(pattern)) {
      if (row.userId !== user) {
        user = row.userId;
        last = null;
      }
      for (const item of decodeTimelineRow<TimelineItem>(row.record, row.userId, Number(row.at))) {
        // A test person's records (the editor's test event) count in no stat.
        if (item.journeyId !== journeyId || item.test === true) continue;
        switch (item.kind) {
          case "trace":
          case "segment":
          case "migrate":
          case "step_failed": // abandoned: the person stayed as they were
            continue;
          case "convert":
            converted++;
            continue;
          case "enter":
            last = null;
            break;
        }
        const at = item.nodeId;
        if (at === null) continue;
        if (item.kind === "exit") exited[item.reason ?? "unknown"] = (exited[item.reason ?? "unknown"] ?? 0) + 1;
        // A new arrival, unless the run's previous record was at this same node: the rest of one
        // visit (a held message going out, an end-of-path exit, a wait resuming). A
        // pause record always is one (a run arriving again at a wait it just left, round a loop).
        if (at !== last || PAUSES.has(item.kind)) node(at).visits++;
        last = item.kind === "exit" ? null : at;
      }
    }
    return {
      journeyId,
      at: new Date(now()).toISOString(),
      since: since === null ? null : new Date(since).toISOString(),
      versions: versions.map((v) => ({ ...v, active: activeBy.get(v.version) ?? 0 })),
      entered,
      active,
      converted,
      exited: Object.fromEntries(Object.entries(exited).sort(([a], [b]) => (a < b ? -1 : 1))),
      nodes,
    };
  }

  /** The journey's stats, or null when the engine runs no version of it. */
  return async function stats(journeyId: JourneyId): Promise<JourneyStats | null> {
    const versions = versionsOf(journeyId);
    if (!versions) return null;
    const b = await reads!.bounds();
    const key = `${b.lo}:${b.hi}:${versions.map((v) => v.version).join(",")}`;
    const hit = cache.get(journeyId);
    const t = now();
    if (hit && (hit.key === key || t - hit.computedAt < cacheMs)) return hit.stats;
    const computed = await compute(journeyId, versions, b.first);
    cache.set(journeyId, { key, computedAt: t, stats: computed });
    return computed;
  };
}
