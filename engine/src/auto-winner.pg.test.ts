import { JourneyId, type JourneyReport } from "@lifeloop/shared";
import { afterAll, beforeAll, expect, it } from "vitest";
import { World } from "./core/index.ts";
import { Reports, simulationReport } from "./report/index.ts";
import { PgReports } from "./report/pg.ts";
import { PgStore } from "./store/pg/store.ts";
import { describePostgres } from "./store/pg/testing/suite.ts";
import { SqliteStore } from "./store/sqlite/store.ts";
import { replayDurable } from "./testing/replay.ts";
import { sampleEvents, sampleExecutable } from "./testing/samples.ts";

/**
 * The automatic winner's report (report/queries.ts, autoWinnerSteps) on PostgreSQL: the 8-arm sample
 * (auto-winner.test.ts works its decision out from the stream alone) replayed through the durable
 * runtime on a real PostgreSQL server and on SQLite, each store's facts folded by its own projector and
 * read by the same report statements. The experiments section must say the same on both, and what
 * the engine decided: copy "f" wins, decided at the first entry after 9 November 00:00 UTC.
 */
const ID = JourneyId.parse("ab-deposit-copy");
const executable = sampleExecutable("ab-deposit-copy");
const events = sampleEvents("ab-deposit-copy");
const world = new World([
  { journeyId: ID, status: "live", liveVersion: 1, versions: [{ version: 1, inFlight: "keep", executable }] },
]);
/** The report is read as of the stream's last event, on both stores: no wall clock. */
const until = Date.parse(events.at(-1)!.at);

type Experiment = JourneyReport["experiments"][number];
const copyOf = (r: JourneyReport | null): Experiment => r!.experiments.find((x) => x.nodeId === "copy")!;

describePostgres("automatic winner's report on PostgreSQL", (db) => {
  let store: PgStore;
  let lite: SqliteStore;
  /** The SQLite reference, read the same way: the sidecar's Reports over its own file's facts. */
  let liteReports: Reports;
  let sqlite: Experiment;
  beforeAll(async () => {
    store = await PgStore.open({ url: db() });
    lite = new SqliteStore({ path: ":memory:" });
    await replayDurable(lite, [executable], events, until);
    liteReports = new Reports(
      lite.facts,
      () => world,
      () => until,
    );
    sqlite = copyOf(liteReports.report(ID));
  }, 120_000);
  afterAll(async () => {
    await lite?.close();
    await store?.close();
  });

  it("the SQLite reference shows the engine's decision: copy f, from the figures as of the window's end", () => {
    const simulated = copyOf(simulationReport({ journey: executable, events }));
    expect(sqlite.autoWinner).toEqual(simulated.autoWinner);
    expect(sqlite.autoWinner).toMatchObject({
      windowEnd: "2026-11-09T00:00:00.000Z",
      reason: "winner",
      winner: "f",
      route: "f",
      fallback: "a",
      alpha: 0.05 / 8,
    });
    expect(sqlite.autoWinner!.decidedAt).not.toBeNull();
    expect(sqlite.autoWinner!.arms.map((a) => a.arm)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "control"]);
    expect(sqlite.autoWinner!.arms.reduce((n, a) => n + a.entered, 0)).toBe(720);
  });

  it("says the same on PostgreSQL: the decision, its tallies and p-values, and the arms' totals", async () => {
    await replayDurable(store, [executable], events, until);
    const pg = copyOf(
      await new PgReports(
        store.pool,
        () => world,
        () => until,
      ).report(ID),
    );
    expect(pg.autoWinner).toEqual(sqlite.autoWinner);
    expect(pg).toEqual(sqlite);
    // Not two empty answers agreeing: the winner's arm holds everyone after the decision too.
    expect(pg.arms.find((a) => a.arm === "f")!.entered).toBeGreaterThan(120);
  }, 120_000);

  it("read mid-window (5 November): both stores say nothing is decided yet, from the same tallies", async () => {
    const to = Date.parse("2026-11-05T00:00:00Z");
    const pg = copyOf(
      await new PgReports(
        store.pool,
        () => world,
        () => until,
      ).report(ID, { to }),
    );
    expect(pg.autoWinner).toEqual(copyOf(liteReports.report(ID, { to })).autoWinner);
    expect(pg.autoWinner).toMatchObject({ windowEnd: "2026-11-09T00:00:00.000Z", decidedAt: null, reason: null });
    const tallied = pg.autoWinner!.arms.reduce((n, a) => n + a.entered, 0);
    expect(tallied).toBeGreaterThan(0);
    expect(tallied).toBeLessThan(720);
  }, 120_000);
});
