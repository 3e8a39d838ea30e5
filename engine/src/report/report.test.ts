import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EventEnvelope,
  type EventEnvelopeInput,
  type FunnelReport,
  JourneyReport,
  UserId,
  EventId,
  type JourneyId,
} from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { afterAll, describe, expect, inject, it } from "vitest";
import { bucketOf } from "../core/index.ts";
import { DurableEngine } from "../runtime/durable.ts";
import type { LoggedEvent } from "../store/port.ts";
import { toCoreEvent } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { sampleEvents, sampleExecutable, sampleWorld } from "../testing/samples.ts";
import { executableOf, worldOf } from "../testing/world.ts";
import { Reports, simulationReport } from "./index.ts";
import { ReportProjector } from "./project.ts";
import { zonesOf } from "./index.ts";
import { World } from "../core/index.ts";
import { PgStore } from "../store/pg/store.ts";
import { createDatabase } from "../store/pg/testing/server.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import type { SidecarStore } from "../store/port.ts";
import { PgReports } from "./pg.ts";
import type { ReportOptions } from "./index.ts";

/** Where the live runs happen: the same streams and expectations on SQLite and on PostgreSQL. */
interface Backend {
  name: string;
  open(world: World, now: () => number): Promise<{ store: SidecarStore; reports: LiveReports; close(): Promise<void> }>;
}
interface LiveReports {
  report(journeyId: JourneyId, o?: ReportOptions): Promise<JourneyReport | null>;
  funnel(journeyId: JourneyId, path: string[], version: number | null): Promise<FunnelReport>;
}
const sqlite: Backend = {
  name: "SQLite",
  async open(world, now) {
    const store = new SqliteStore({ path: tempDb() });
    const reports = new Reports(store.facts, () => world, now);
    return {
      store,
      reports: { report: async (id, o) => reports.report(id, o), funnel: async (id, p, v) => reports.funnel(id, p, v) },
      close: async () => store.close(),
    };
  },
};
const postgres: Backend = {
  name: "PostgreSQL",
  async open(world, now) {
    // A database per run: the streams share people's ids, and activity is per person.
    const db = await createDatabase(inject("pgUrl")!, "lifeloop_report");
    const store = await PgStore.open({ url: db.url, poolSize: 4 });
    const reports = new PgReports(store.pool, () => world, now);
    return {
      store,
      reports,
      close: async () => {
        await store.close();
        await db.drop();
      },
    };
  },
};
/**
 * The block once per backend: plainly on SQLite, on the run's PostgreSQL server (failing loudly under CI=true without
 * one).
 */
function forBackends(name: string, body: (backend: Backend) => void): void {
  describe(`${name} (SQLite)`, () => body(sqlite));
  describePostgres(`${name} (PostgreSQL)`, () => body(postgres));
}

const dir = mkdtempSync(join(tmpdir(), "lifeloop-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let dbs = 0;
const tempDb = () => join(dir, `engine-${++dbs}.sqlite`);

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const T0 = Date.parse("2026-11-02T01:00:00Z"); // 09:00 in Asia/Shanghai

/**
 * registered → experiment (a 40 %, b 40 %, control 20 %):
 *   a → 100 points (budget "pool" 1 000 000) → wait for login (2 days) → engaged | lapsed
 *   b → push → the same wait; control → nothing (end of path).
 * Goal: first_investment within 7 days.
 */
const doc = journey({
  id: "measured",
  goal: { event: "first_investment", window: "7d" },
  nodes: [
    trigger("start", "registered"),
    node("exp", "experiment", {
      key: "measure_q4",
      arms: [
        { id: "a", weight: 40 },
        { id: "b", weight: 40 },
      ],
      control: 20,
    }),
    node("bonus", "reward", { reward: { type: "points", amount: 100 }, budget: { id: "pool", amount: 1_000_000 } }),
    node("push", "message", { channel: "push", template: { body: "hello" } }),
    node("wait_login", "wait", { mode: "event", event: "login", timeout: "2d" }),
    exitNode("engaged", "engaged"),
    exitNode("lapsed", "lapsed"),
  ],
  edges: [
    edge("start", "exp"),
    edge("exp", "bonus", "a"),
    edge("exp", "push", "b"),
    edge("bonus", "wait_login"),
    edge("push", "wait_login"),
    edge("wait_login", "engaged", "event"),
    edge("wait_login", "lapsed", "timeout"),
  ],
});
const exe = executableOf(doc);
/** The measured journey's id, branded as the compiler wrote it. */
const MEASURED = exe.journeyId;

const armOf = (userId: string) => {
  const b = bucketOf("measure_q4", userId);
  return b < 4000 ? "a" : b < 8000 ? "b" : "control";
};

/** People picked by the arm the hash gives them: `want[arm]` of each, the first `convert[arm]` of them converting. */
function population(want: Record<string, number>, convert: Record<string, number>) {
  const people: Array<{ userId: string; arm: string; converts: boolean; logsIn: boolean; day7: boolean }> = [];
  const taken: Record<string, number> = { a: 0, b: 0, control: 0 };
  for (let i = 0; people.length < want.a! + want.b! + want.control!; i++) {
    const userId = `p${i}`;
    const arm = armOf(userId);
    if (taken[arm]! >= want[arm]!) continue;
    const k = taken[arm]!++;
    people.push({ userId, arm, converts: k < convert[arm]!, logsIn: k % 2 === 0, day7: k % 5 === 0 });
  }
  return people;
}

function streamOf(people: ReturnType<typeof population>): EventEnvelope[] {
  const events: Array<EventEnvelopeInput & { t: number }> = [];
  people.forEach((p, i) => {
    const t = T0 + i * MIN;
    events.push({
      id: `reg-${p.userId}`,
      userId: p.userId,
      type: "registered",
      at: new Date(t).toISOString(),
      props: {},
      t,
    });
    if (p.converts)
      events.push({
        id: `inv-${p.userId}`,
        userId: p.userId,
        type: "first_investment",
        at: new Date(t + D).toISOString(),
        props: { amount: 1000 },
        t: t + D,
      });
    if (p.logsIn)
      events.push({
        id: `login-${p.userId}`,
        userId: p.userId,
        type: "login",
        at: new Date(t + D + H).toISOString(),
        props: {},
        t: t + D + H,
      });
    if (p.day7)
      events.push({
        id: `back-${p.userId}`,
        userId: p.userId,
        type: "login",
        at: new Date(t + 7 * D).toISOString(),
        props: {},
        t: t + 7 * D,
      });
  });
  return events.sort((x, y) => x.t - y.t || (x.id < y.id ? -1 : 1)).map(({ t: _t, ...e }) => EventEnvelope.parse(e));
}

/** The stream through the durable runtime on a SQLite file, the clock following the events, timers run to `until`. */
async function live(events: EventEnvelope[], until: number, world = worldOf([{ doc }])) {
  const clock = { now: T0 };
  const store = new SqliteStore({ path: tempDb() });
  await drive(store, world, clock, events, until);
  const reports = new Reports(
    store.facts,
    () => world,
    () => clock.now,
  );
  return { store, reports, clock };
}

/** The same run on a backend: its store and its reports. */
async function liveOn(backend: Backend, events: EventEnvelope[], until: number, world = worldOf([{ doc }])) {
  const clock = { now: T0 };
  const opened = await backend.open(world, () => clock.now);
  await drive(opened.store, world, clock, events, until);
  return { ...opened, clock };
}

async function drive(
  store: SidecarStore,
  world: World,
  clock: { now: number },
  events: EventEnvelope[],
  until: number,
): Promise<void> {
  const engine = new DurableEngine(store, world, { now: () => clock.now });
  // An hour of events per commit, the timers run up to each hour as the clock passes it.
  for (let i = 0; i < events.length; ) {
    const at = Date.parse(events[i]!.at);
    while (clock.now < at) {
      clock.now = Math.min(at, clock.now + H);
      while ((await engine.runDueTimers()) > 0);
    }
    let j = i;
    while (j < events.length && Date.parse(events[j]!.at) < at + H) j++;
    await engine.ingest(events.slice(i, j).map(toCoreEvent));
    i = j;
  }
  while (clock.now < until) {
    clock.now = Math.min(until, clock.now + H);
    while ((await engine.runDueTimers()) > 0);
  }
}

/** Φ by Simpson's rule over the normal density: independent of the engine's erfc. */
function normalCdf(z: number): number {
  const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const a = -12;
  const n = 20000;
  const h = (z - a) / n;
  let s = f(a) + f(z);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

function expectedLift(x: number, n: number, x0: number, n0: number) {
  const p = x / n;
  const p0 = x0 / n0;
  const se = Math.sqrt((p * (1 - p)) / n + (p0 * (1 - p0)) / n0);
  const pool = (x + x0) / (n + n0);
  const z = (p - p0) / Math.sqrt(pool * (1 - pool) * (1 / n + 1 / n0));
  return {
    absolute: p - p0,
    relative: (p - p0) / p0,
    ci95: [p - p0 - 1.96 * se, p - p0 + 1.96 * se],
    pValue: 2 * (1 - normalCdf(Math.abs(z))),
  };
}

forBackends("journey report from the durable runtime's facts", (backend) => {
  const want = { a: 200, b: 200, control: 100 };
  const convert = { a: 80, b: 40, control: 20 };
  const people = population(want, convert);
  const events = streamOf(people);
  const until = T0 + 20 * D;
  let report: JourneyReport;
  let reports: LiveReports;
  let close = async () => {};
  afterAll(() => close());

  it("counts entries, conversions, exits, nodes and spend exactly for a known stream", async () => {
    const l = await liveOn(backend, events, until);
    reports = l.reports;
    close = l.close;
    report = JourneyReport.parse(await l.reports.report(MEASURED));
    const inArm = (arm: string) => people.filter((p) => p.arm === arm);
    const waiting = people.filter((p) => p.arm !== "control");
    const loggedIn = waiting.filter((p) => p.logsIn).length;
    expect(report.totals).toEqual({
      entered: 500,
      converted: 140,
      rate: 140 / 500,
      active: 0,
      exited: { end_of_path: 100, engaged: loggedIn, lapsed: 400 - loggedIn },
    });
    expect(report.nodes).toEqual({
      start: { reached: 500, at: 0, left: { next: 500 } },
      exp: { reached: 500, at: 0, left: { a: 200, b: 200, control: 100 } },
      bonus: { reached: 200, at: 0, left: { next: 200 } },
      push: { reached: 200, at: 0, left: { next: 200 } },
      wait_login: { reached: 400, at: 0, left: { event: loggedIn, timeout: 400 - loggedIn } },
      engaged: { reached: loggedIn, at: 0, left: {} },
      lapsed: { reached: 400 - loggedIn, at: 0, left: {} },
    });
    expect(report.timeToConvert).toMatchObject({ count: 140, p50Ms: D, p90Ms: D, meanMs: D });
    expect(report.timeToConvert.histogram.find((b) => b.bucket === "1-3d")!.count).toBe(140);
    expect(report.spend).toEqual({
      total: { points: 20_000 },
      byNode: [{ nodeId: "bonus", unit: "points", grants: 200, amount: 20_000 }],
      byDay: [{ day: "2026-11-02", unit: "points", grants: 200, amount: 20_000 }],
      budgets: [{ budgetId: "pool", unit: "points", limit: 1_000_000, used: 20_000, left: 980_000 }],
      refusals: {},
    });
    // Retention: everyone entered on local 2026-11-02; active on day 1 = converted or logged in then.
    const day1 = people.filter((p) => p.converts || p.logsIn).length;
    const day7 = people.filter((p) => p.day7).length;
    expect(report.retention).toEqual({
      unit: "day",
      cohorts: [{ cohort: "2026-11-02", size: 500, day1: day1 / 500, day7: day7 / 500, day30: null }],
    });
    expect(inArm("a").length).toBe(200);
  });

  it("gives each arm its rate, lift with a 95 % interval and p-value, cost per conversion, and a verdict", () => {
    const [a, b, control] = report.experiments[0]!.arms;
    expect(report.experiments[0]!.srm.mismatch).toBe(false);
    expect(report.experiments[0]!.srm.chiSquare).toBe(0);
    expect(control).toMatchObject({
      arm: "control",
      control: true,
      expectedShare: 0.2,
      entered: 100,
      converted: 20,
      rate: 0.2,
      lift: null,
      cost: {},
      costPerConversion: {},
    });
    expect(a).toMatchObject({
      arm: "a",
      entered: 200,
      converted: 80,
      rate: 0.4,
      cost: { points: 20_000 },
      costPerConversion: { points: 250 },
    });
    const ea = expectedLift(80, 200, 20, 100);
    expect(a!.lift!.absolute).toBeCloseTo(ea.absolute, 12);
    expect(a!.lift!.relative!).toBeCloseTo(ea.relative, 12);
    expect(a!.lift!.ci95[0]).toBeCloseTo(ea.ci95[0]!, 4);
    expect(a!.lift!.ci95[1]).toBeCloseTo(ea.ci95[1]!, 4);
    expect(a!.lift!.pValue).toBeCloseTo(ea.pValue, 7);
    const eb = expectedLift(40, 200, 20, 100);
    expect(b!.lift!.absolute).toBe(0);
    expect(b!.lift!.pValue).toBeCloseTo(eb.pValue, 7);
    expect(report.experiments[0]!.verdict).toEqual({ status: "winner", arm: "a", minPerArm: 100 });
  });

  it("counts a funnel along a path, in order within each entry", async () => {
    const loggedInA = people.filter((p) => p.arm === "a" && p.logsIn).length;
    expect(
      (await reports.funnel(MEASURED, ["start", "exp", "bonus", "wait_login", "engaged"], null)).steps.map(
        (s) => s.count,
      ),
    ).toEqual([500, 500, 200, 200, loggedInA]);
    // Out of order: nobody reaches the start after the bonus.
    expect((await reports.funnel(MEASURED, ["bonus", "start"], null)).steps.map((s) => s.count)).toEqual([200, 0]);
    expect((await reports.funnel(MEASURED, ["exp", "push"], 1)).steps[1]).toEqual({
      nodeId: "push",
      count: 200,
      rateFromPrevious: 0.4,
      rateFromStart: 0.4,
    });
  });

  it("is the same report when the stream is simulated instead", () => {
    const simulated = simulationReport({ journey: exe, events, until });
    expect({ ...simulated, source: "live" }).toEqual(report);
  });

  it("flags a sample-ratio mismatch on a skewed split and says so instead of a winner", async () => {
    const skewed = population({ a: 300, b: 100, control: 100 }, { a: 150, b: 20, control: 20 });
    const r = simulationReport({ journey: exe, events: streamOf(skewed), until: T0 + 20 * D });
    const x = r.experiments[0]!;
    // Expected 200 / 200 / 100: χ² = 100²/200 + 100²/200 + 0 = 100, two degrees of freedom → p = e^(−50).
    expect(x.srm.chiSquare).toBeCloseTo(100, 9);
    expect(x.srm.pValue).toBeCloseTo(Math.exp(-50), 30);
    expect(x.srm.mismatch).toBe(true);
    expect(x.verdict.status).toBe("srm");
  });

  it("says there is not enough data below the minimum per arm", () => {
    const few = population({ a: 99, b: 120, control: 120 }, { a: 90, b: 10, control: 10 });
    const x = simulationReport({ journey: exe, events: streamOf(few), until: T0 + 20 * D }).experiments[0]!;
    expect(x.verdict).toEqual({ status: "not_enough_data", arm: null, minPerArm: 100 });
  });
});

describe("the projector", () => {
  const tables = [
    "report_cursors",
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
  // Every row of every fact table (the grants' own sequence aside), in a stable order.
  const dump = (store: SqliteStore) =>
    Object.fromEntries(
      tables.map((t) => [
        t,
        (store.facts.prepare(`SELECT * FROM ${t}`).all() as Array<Record<string, unknown>>)
          .map(({ seq: _seq, ...r }) => JSON.stringify(r))
          .sort(),
      ]),
    );
  const reset = (store: SqliteStore) => {
    for (const t of tables) store.facts.prepare(`DELETE FROM ${t}`).run();
  };

  it("loses nothing and counts nothing twice when it dies mid-batch or between batches", async () => {
    const events = [...sampleEvents("win-back")];
    const world = sampleWorld("win-back");
    const { store } = await live(events, Date.parse("2027-01-31T00:00:00Z"), world);
    const zones = zonesOf(() => world);
    new ReportProjector(store.facts, { ...zones, batch: 100_000 }).catchUp();
    const once = dump(store);
    expect(once.fact_entries!.length).toBeGreaterThan(0);
    reset(store);

    // Dies inside the third batch's transaction: nothing of that batch is kept, the cursor stays.
    const crashing = new ReportProjector(store.facts, {
      ...zones,
      batch: 2,
      beforeCommit: (_s, n) => {
        if (n === 2) throw new Error("killed");
      },
    });
    expect(() => crashing.catchUp()).toThrow("killed");
    const cursorAfterCrash = crashing.cursor("timeline");
    expect(cursorAfterCrash).toBeGreaterThan(0);
    // Stops after one more batch (a process ending between batches), then a new one resumes.
    let stopped = 0;
    const stopping = new ReportProjector(store.facts, {
      ...zones,
      batch: 2,
      beforeCommit: (_s, n) => {
        if (n === 1) {
          stopped++;
          throw new Error("stopped");
        }
      },
    });
    expect(() => stopping.catchUp()).toThrow("stopped");
    // Timeline rows are numbered 1, 2, 3…: two batches of two committed, then one more.
    expect(cursorAfterCrash).toBe(4);
    expect(stopping.cursor("timeline")).toBe(6);
    new ReportProjector(store.facts, { ...zones, batch: 3 }).catchUp();
    expect(dump(store)).toEqual(once);
    // And running it again changes nothing.
    new ReportProjector(store.facts, { ...zones, batch: 3 }).catchUp();
    expect(dump(store)).toEqual(once);
    expect(stopped).toBe(1);

    // A pass may size its batches (the sidecar's, on the event loop): `rows` a batch, the same facts.
    reset(store);
    const sized = new ReportProjector(store.facts, { ...zones, batch: 100_000 });
    const first = sized.catchUp({ maxBatches: 1, rows: 5 });
    expect(first).toMatchObject({ timelineRows: 5, batches: 1, more: true });
    expect(sized.cursor("timeline")).toBe(5);
    while (sized.catchUp({ maxBatches: 1, rows: 7 }).more);
    expect(dump(store)).toEqual(once);
    store.close();
  });
});

describe("retention flags", () => {
  it("match activity folded before or after the entry it belongs to", () => {
    const store = new SqliteStore({ path: tempDb() });
    const world = worldOf([{ doc }]);
    const projector = new ReportProjector(store.facts, { ...zonesOf(() => world) });
    const day0 = T0; // 2026-11-02 09:00 Shanghai
    const enter = (user: string) =>
      JSON.stringify([
        {
          at: new Date(day0).toISOString(),
          userId: user,
          journeyId: "measured",
          version: 1,
          nodeId: "start",
          kind: "enter",
          entry: 1,
          trigger: "registered",
        },
      ]);
    store.transactionSync((tx) => {
      // u1: the entry is folded first, its day-7 activity afterwards.
      void tx.appendTimeline(UserId.parse("u1"), day0, enter("u1"), day0);
      void tx.insertEvents(
        [{ id: EventId.parse("a1"), userId: UserId.parse("u1"), type: "login", at: day0 + 7 * D, props: {} }],
        0,
      );
      // Applied (the report folds only what the applier has applied): the cursor moves past it. SQLite answers
      // synchronously.
      void tx.advanceLog(tx.readLog(100) as LoggedEvent[]);
    });
    projector.catchUp();
    store.transactionSync((tx) => {
      // u2: its day-1 activity is folded before the entry (a segment or schedule entry written later).
      void tx.insertEvents(
        [{ id: EventId.parse("a2"), userId: UserId.parse("u2"), type: "login", at: day0 + D + 2 * H, props: {} }],
        0,
      );
      // Applied (the report folds only what the applier has applied): the cursor moves past it. SQLite answers
      // synchronously.
      void tx.advanceLog(tx.readLog(100) as LoggedEvent[]);
    });
    projector.catchUp();
    store.transactionSync((tx) => void tx.appendTimeline(UserId.parse("u2"), day0, enter("u2"), day0));
    projector.catchUp();
    const flags = store.facts
      .prepare("SELECT user_id AS u, active_d1 AS d1, active_d7 AS d7, active_d30 AS d30 FROM fact_entries ORDER BY 1")
      .all();
    expect(flags).toEqual([
      { u: "u1", d1: 0, d7: 1, d30: 0 },
      { u: "u2", d1: 1, d7: 0, d30: 0 },
    ]);
    store.close();
  });
});

forBackends("simulation reports equal live reports for the sample playbooks", (backend) => {
  for (const name of ["win-back", "tiers", "ab-onboarding"]) {
    it(name, async () => {
      const executable = sampleExecutable(name);
      const events = sampleEvents(name);
      const simulated = simulationReport({ journey: executable, events });
      const world = new World([
        {
          journeyId: executable.journeyId,
          status: "live",
          liveVersion: 1,
          versions: [{ version: 1, inFlight: "keep", executable }],
        },
      ]);
      const { reports, close } = await liveOn(backend, events, Date.parse(simulated.to), world);
      try {
        expect({ ...simulated, source: "live" }).toEqual(await reports.report(executable.journeyId));
      } finally {
        await close();
      }
    });
  }
});

describe("win-back: the share who returned after each coupon", () => {
  it("counts the sample's coupons and returns as read off its stream", () => {
    // u1, u2, u3 log in on 11-01 and enter. u2 logs in again on 11-11 (returned, enters again),
    // u3 on 11-20 (returned, 4 days after the 11-16 coupon: the one return). Coupons after 15 silent
    // days: u1 11-16, u3 11-16, u2 11-26, u3 12-05; after 30: u1 12-01, u2 12-11, u3 12-20.
    const r = simulationReport({ journey: sampleExecutable("win-back"), events: sampleEvents("win-back") });
    expect(r.winBack).toEqual([
      { nodeId: "coupon_15", granted: 4, returned: 1, rate: 0.25, windowDays: 15 },
      { nodeId: "coupon_30", granted: 3, returned: 0, rate: 0, windowDays: 15 },
    ]);
    expect(r.totals).toEqual({ entered: 5, converted: 1, rate: 0.2, active: 0, exited: { lapsed: 3, returned: 2 } });
    expect(r.spend.total).toEqual({ CNY: 4 * 1000 + 3 * 3000 });
    expect(r.spend.byDay.map((d) => [d.day, d.amount])).toEqual([
      ["2026-11-16", 2000],
      ["2026-11-26", 1000],
      ["2026-12-01", 3000],
      ["2026-12-05", 1000],
      ["2026-12-11", 3000],
      ["2026-12-20", 3000],
    ]);
  });
});
