import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DurableEngine } from "../runtime/durable.ts";
import { toCoreEvent } from "../simulate.ts";
import { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { sampleEvents, sampleWorld } from "../testing/samples.ts";
import { zonesOf } from "./index.ts";
import { LOCK_REPORT, PgReportProjector } from "./pg.ts";

/** The PostgreSQL projector: crash-safe batches, one folder at a time, and rows whose seq commits out of order. */
const FACTS = [
  "fact_entries",
  "fact_visits",
  "fact_node_days",
  "fact_arms",
  "fact_grants",
  "fact_spend",
  "fact_refusals",
  "fact_activity",
  "fact_segment_moves",
];
const world = sampleWorld("win-back");
const zones = zonesOf(() => world);

/** Every row of every fact table (the grants' own sequence aside), in a stable order. */
async function dump(pool: pg.Pool): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of FACTS)
    out[t] = (await pool.query(`SELECT * FROM ${t}`)).rows.map(({ seq: _seq, ...r }) => JSON.stringify(r)).sort();
  return out;
}
async function reset(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE ${[...FACTS, "report_cursors", "report_folded"].join(", ")}`);
}
/**
 * Passes until the low-water mark of `source` reaches `seq`: it moves once every transaction that
 * was running when its fence was set has ended — on a shared test server that includes other
 * files' transactions, so it can take a few passes.
 */
async function markReaches(p: PgReportProjector, source: "timeline" | "events", seq: number): Promise<number> {
  for (let i = 0; i < 200 && (await p.cursor(source)) < seq; i++) {
    await p.catchUp();
    await new Promise((r) => setTimeout(r, 10));
  }
  return p.cursor(source);
}
const enter = (userId: string, at: number) =>
  JSON.stringify([
    {
      at: new Date(at).toISOString(),
      userId,
      journeyId: "win-back",
      version: 1,
      nodeId: "login",
      kind: "enter",
      entry: 1,
      trigger: "login",
    },
  ]);

describePostgres("report projector on PostgreSQL", (db) => {
  let store: PgStore;
  beforeAll(async () => {
    store = await PgStore.open({ url: db(), poolSize: 6 });
  });
  afterAll(async () => {
    await store?.close();
  });

  it(
    "loses nothing and counts nothing twice when it dies " + "mid-batch, and skips while another worker folds",
    async () => {
      // The win-back sample through the durable runtime on PostgreSQL, timers run to the end of January.
      const clock = { now: Date.parse("2026-11-01T00:00:00Z") };
      const engine = new DurableEngine(store, world, { now: () => clock.now });
      const events = sampleEvents("win-back");
      for (const e of events) {
        const at = Date.parse(e.at);
        while (clock.now < at) {
          clock.now = Math.min(at, clock.now + 6 * 3_600_000);
          while ((await engine.runDueTimers()) > 0);
        }
        await engine.ingest([toCoreEvent(e)]);
      }
      for (const end = Date.parse("2027-01-31T00:00:00Z"); clock.now < end; ) {
        clock.now = Math.min(end, clock.now + 6 * 3_600_000);
        while ((await engine.runDueTimers()) > 0);
      }
      await engine.flush();

      await new PgReportProjector(store.pool, { ...zones, batch: 100_000 }).catchUp();
      const once = await dump(store.pool);
      expect(once.fact_entries!.length).toBe(5);
      await reset(store.pool);

      // Dies inside the third batch's transaction: nothing of that batch is kept.
      const crashing = new PgReportProjector(store.pool, {
        ...zones,
        batch: 2,
        beforeCommit: (_s, n) => {
          if (n === 2) throw new Error("killed");
        },
      });
      await expect(crashing.catchUp()).rejects.toThrow("killed");
      const folded =
        Number(
          (await store.pool.query("SELECT count(*) AS n FROM report_folded WHERE source = 'timeline'")).rows[0].n,
        ) + (await crashing.cursor("timeline"));
      expect(folded).toBeGreaterThan(0);
      expect(await dump(store.pool)).not.toEqual(once);

      // Another worker holding the projector's lock: this one skips and folds nothing.
      const holder = await store.pool.connect();
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT pg_advisory_xact_lock($1, 0)", [LOCK_REPORT]);
        const before = await dump(store.pool);
        const skipped = await new PgReportProjector(store.pool, { ...zones, batch: 3 }).catchUp();
        expect(skipped).toMatchObject({ busy: true, batches: 0 });
        expect(await dump(store.pool)).toEqual(before);
      } finally {
        await holder.query("ROLLBACK");
        holder.release();
      }

      // Resumed, by two workers at once: the same facts as one clean pass, nothing twice.
      const a = new PgReportProjector(store.pool, { ...zones, batch: 3 });
      const b = new PgReportProjector(store.pool, { ...zones, batch: 3 });
      const until = async (p: PgReportProjector) => {
        for (let i = 0; i < 500; i++) if (!(await p.catchUp()).busy) return;
        throw new Error("the other projector never let go");
      };
      await Promise.all([until(a), until(b)]);
      await until(a);
      expect(await dump(store.pool)).toEqual(once);
      // Running it again changes nothing; the low-water mark reaches the last row once nothing is in flight.
      for (let i = 0; i < 3; i++) await a.catchUp();
      expect(await dump(store.pool)).toEqual(once);
      const top = Number((await store.pool.query("SELECT max(seq) AS m FROM timeline")).rows[0].m);
      expect(await markReaches(a, "timeline", top)).toBe(top);
      expect(await dump(store.pool)).toEqual(once);
      expect(
        Number((await store.pool.query("SELECT count(*) AS n FROM report_folded WHERE source = 'timeline'")).rows[0].n),
      ).toBe(0);
    },
  );

  it("folds a row whose lower seq commits after a higher one (two concurrent writers), once", async () => {
    await reset(store.pool);
    await store.pool.query("TRUNCATE timeline, events");
    const projector = new PgReportProjector(store.pool, { ...zones, batch: 100 });
    const t0 = Date.parse("2026-11-01T02:00:00Z");
    const slow = await store.pool.connect();
    const fast = await store.pool.connect();
    try {
      // Writer 1 takes the lower seqs (a timeline row and an event) and stays open…
      await slow.query("BEGIN");
      const low = Number(
        (
          await slow.query("INSERT INTO timeline (user_id, at, record) VALUES ('late', $1, $2) RETURNING seq", [
            t0,
            enter("late", t0),
          ])
        ).rows[0].seq,
      );
      const lowEvent = Number(
        (
          await slow.query(
            "INSERT INTO events (id, user_id, type, at, props, received_at) VALUES ('e-late', 'late', " +
              "'login', $1, '{}', $1) RETURNING seq",
            [t0 + 86_400_000],
          )
        ).rows[0].seq,
      );
      // …writer 2 takes higher ones and commits first.
      await fast.query("BEGIN");
      const high = Number(
        (
          await fast.query("INSERT INTO timeline (user_id, at, record) VALUES ('early', $1, $2) RETURNING seq", [
            t0,
            enter("early", t0),
          ])
        ).rows[0].seq,
      );
      const highEvent = Number(
        (
          await fast.query(
            "INSERT INTO events (id, user_id, type, at, props, received_at) VALUES ('e-early', 'early', " +
              "'login', $1, '{}', $1) RETURNING seq",
            [t0 + 86_400_000],
          )
        ).rows[0].seq,
      );
      await fast.query("COMMIT");
      expect(low).toBeLessThan(high);
      expect(lowEvent).toBeLessThan(highEvent);

      // Passes while writer 1 is open: the higher timeline rows are folded, the mark stays below the
      // open ones. Events are folded once applied; the applier cannot pass writer 1 (its xmin fence),
      // so early's login waits too.
      for (let i = 0; i < 4; i++) await projector.catchUp();
      const users = async () =>
        (await store.pool.query("SELECT user_id AS u, active_d1 AS d1 FROM fact_entries ORDER BY 1")).rows;
      expect(await users()).toEqual([{ u: "early", d1: 0 }]);
      expect(await projector.cursor("timeline")).toBeLessThan(low);
      expect(await projector.cursor("events")).toBeLessThan(lowEvent);

      // Writer 1 commits its lower seqs, the applier's cursors pass both events: the next passes
      // fold them (a max-seq cursor would have skipped the lower ones).
      await slow.query("COMMIT");
      await store.pool.query(
        "UPDATE applier_cursors SET xid = (SELECT max(xid) FROM events), seq = (SELECT max(seq) FROM events)",
      );
      for (let i = 0; i < 4; i++) await projector.catchUp();
      expect(await users()).toEqual([
        { u: "early", d1: 1 },
        { u: "late", d1: 1 },
      ]);
      const days = (
        await store.pool.query("SELECT handle, day, n FROM fact_node_days WHERE node_id = 'login' AND handle = ''")
      ).rows;
      expect(days.map((d) => Number(d.n))).toEqual([2]);
      expect(Number((await store.pool.query("SELECT count(*) AS n FROM fact_activity")).rows[0].n)).toBe(2);
      expect(await markReaches(projector, "timeline", high)).toBe(high);
      expect(await markReaches(projector, "events", highEvent)).toBe(highEvent);
      expect(await users()).toEqual([
        { u: "early", d1: 1 },
        { u: "late", d1: 1 },
      ]);
    } finally {
      // A no-op (a warning) once committed; rolls back when an assertion above failed first.
      await slow.query("ROLLBACK");
      slow.release();
      fast.release();
    }
  });
});
