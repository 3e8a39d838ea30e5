/**
 * Report benchmark: 1 M facts in the report's fact tables (a temp SQLite file, the real migrations),
 * then the full journey report (ReportQueries.report: totals, exits, nodes, time to convert, the
 * experiment with cost per arm, retention cohorts, win-back, tiers, spend) and a funnel for one
 * journey, against a plain `SELECT COUNT(*)` over the same tables, in the same run.
 *
 *   pnpm --filter @lifeloop/engine bench        (or `pnpm bench` at the root)
 *
 * The facts: 100 journeys × 2,000 entries (200 k fact_entries), 2 first visits each (400 k
 * fact_visits), 100 k experiment assignments, 100 k grants, 200 k activity days = 1,000,000 rows,
 * bulk-inserted in chunked transactions; the per-day counters (node days, spend) follow from them.
 * Then the projector's pace: the simulated month's timeline and events folded into facts from scratch.
 * A report, not a test: figures vary ±15 % on a shared 2-core machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileJourney, JourneyId } from "@lifeloop/shared";
import { journey, node, edge, trigger, exitNode } from "@lifeloop/shared/testing";
import { readFileSync } from "node:fs";
import { World } from "../src/core/index.ts";
import { writeSimulation, zonesOf } from "../src/report/index.ts";
import { ReportProjector } from "../src/report/project.ts";
import { ReportQueries } from "../src/report/queries.ts";
import { parseEventStream, simulate } from "../src/simulate.ts";
import { sampleExecutable } from "../src/testing/samples.ts";
import { SqliteStore } from "../src/store/sqlite/store.ts";

const JOURNEYS = 100;
const ENTRIES = 2_000; // per journey
const DAY = 86_400_000;
const T0 = Date.parse("2026-10-01T00:00:00Z");

const doc = journey({
  id: "j050",
  goal: { event: "first_investment", window: "7d" },
  nodes: [
    trigger("start", "registered"),
    node("exp", "experiment", {
      key: "bench",
      arms: [
        { id: "a", weight: 45 },
        { id: "b", weight: 45 },
      ],
      control: 10,
    }),
    node("bonus", "reward", { reward: { type: "points", amount: 100 }, budget: { id: "pool", amount: 100_000_000 } }),
    node("coupon", "reward", {
      reward: { type: "coupon", code: "C10", value: 1000, currency: "CNY" },
      budget: { id: "cash", amount: 100_000_000 },
    }),
    exitNode("done", "done"),
  ],
  edges: [
    edge("start", "exp"),
    edge("exp", "bonus", "a"),
    edge("exp", "coupon", "b"),
    edge("exp", "done", "control"),
    edge("bonus", "done"),
    edge("coupon", "done"),
  ],
});
const compiled = compileJourney(doc);
if (!compiled.executable) throw new Error(JSON.stringify(compiled.issues));
const exe = compiled.executable;

const dir = mkdtempSync(join(tmpdir(), "lifeloop-report-bench-"));
const store = new SqliteStore({ path: join(dir, "engine.sqlite") });
const db = store.facts;

function load(): number {
  db.pragma("synchronous = OFF");
  const ins = {
    entry: db.prepare(
      "INSERT INTO fact_entries (journey_id, user_id, entry, version, run_version, entered_at, cohort_day, " +
        "converted_at, exit_reason, exited_at, node_id, handle, visits, time_zone, active_d1, active_d7, " +
        "active_d30) VALUES (?, ?, 1, 1, 1, ?, ?, ?, ?, ?, ?, 'next', 2, 'Asia/Shanghai', ?, ?, ?)",
    ),
    visit: db.prepare(
      "INSERT INTO fact_visits (journey_id, user_id, entry, node_id, version, ord, at) VALUES (?, ?, 1, ?, 1, ?, ?)",
    ),
    arm: db.prepare(
      "INSERT INTO fact_arms (journey_id, node_id, user_id, entry, version, arm) VALUES (?, 'exp', ?, 1, 1, ?)",
    ),
    grant: db.prepare(
      "INSERT INTO fact_grants (journey_id, version, node_id, user_id, entry, at, day, type, unit, amount, " +
        "budget_id, returned_at) VALUES (?, 1, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
    ),
    activity: db.prepare(
      "INSERT OR IGNORE INTO fact_activity (time_zone, user_id, day) VALUES ('Asia/Shanghai', ?, ?)",
    ),
    nodeDay: db.prepare(
      "INSERT INTO fact_node_days (journey_id, version, node_id, handle, day, n) VALUES (?, 1, ?, ?, ?, 1) " +
        "ON CONFLICT DO UPDATE SET n = n + 1",
    ),
    spend: db.prepare(
      "INSERT INTO fact_spend (journey_id, version, node_id, day, unit, budget_id, grants, amount) VALUES " +
        "(?, 1, ?, ?, ?, ?, 1, ?) ON CONFLICT DO UPDATE SET grants = grants + 1, amount = amount + " +
        "excluded.amount",
    ),
  };
  let rows = 0;
  let x = 12345;
  const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4_294_967_296;
  for (let j = 0; j < JOURNEYS; j++) {
    const jid = `j${String(j).padStart(3, "0")}`;
    db.transaction(() => {
      for (let i = 0; i < ENTRIES; i++) {
        const user = `u${j}-${i}`;
        const at = T0 + Math.floor(rnd() * 30 * DAY);
        const day = Math.floor(at / DAY);
        const armRoll = rnd();
        const arm = armRoll < 0.45 ? "a" : armRoll < 0.9 ? "b" : "control";
        const converted = rnd() < (arm === "a" ? 0.3 : 0.25) ? at + Math.floor(rnd() * 7 * DAY) : null;
        const active = day + 1 + Math.floor(rnd() * 30);
        ins.entry.run(
          jid,
          user,
          at,
          day,
          converted,
          "done",
          at,
          "done",
          Number(active === day + 1),
          Number(active === day + 7),
          Number(active === day + 30),
        );
        ins.visit.run(jid, user, "start", 1, at);
        ins.visit.run(jid, user, "exp", 2, at);
        ins.nodeDay.run(jid, "start", "", day);
        ins.nodeDay.run(jid, "exp", "", day);
        ins.nodeDay.run(jid, "exp", arm, day);
        rows += 3;
        if (i % 2 === 0) {
          ins.arm.run(jid, user, arm);
          rows++;
        }
        if (i % 2 === 1) {
          const coupon = arm === "b";
          const amount = coupon ? 1000 : 100;
          ins.grant.run(
            jid,
            coupon ? "coupon" : "bonus",
            user,
            at,
            day,
            coupon ? "coupon" : "points",
            coupon ? "CNY" : "points",
            amount,
            coupon ? "cash" : "pool",
            coupon && rnd() < 0.3 ? at + DAY : null,
          );
          ins.spend.run(
            jid,
            coupon ? "coupon" : "bonus",
            day,
            coupon ? "CNY" : "points",
            coupon ? "cash" : "pool",
            amount,
          );
          rows++;
        }
        ins.activity.run(user, active);
        rows++;
      }
    })();
  }
  db.pragma("synchronous = FULL");
  db.exec("ANALYZE");
  return rows;
}

function time(label: string, fn: () => unknown, iterations = 30): number {
  for (let i = 0; i < 3; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)]!;
  console.log(
    `  ${label.padEnd(58)} median ${median.toFixed(2).padStart(8)} ms   ` +
      `p90 ${ms[Math.floor(ms.length * 0.9)]!.toFixed(2).padStart(8)} ms`,
  );
  return median;
}

const started = performance.now();
const rows = load();
const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
const tables = ["fact_entries", "fact_visits", "fact_arms", "fact_grants", "fact_activity"];
const stored = tables.reduce((a, t) => a + count(t), 0);
if (stored !== rows) throw new Error(`loaded ${rows} facts but the tables hold ${stored}`);
console.log(
  `report bench: ${stored.toLocaleString("en")} facts ` +
    `(${tables.map((t) => `${t} ${count(t).toLocaleString("en")}`).join(", ")}) loaded ` +
    `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const queries = new ReportQueries(db);
const request = {
  journey: exe,
  version: null,
  source: "live" as const,
  from: null,
  to: T0 + 60 * DAY,
  generatedAt: T0 + 60 * DAY,
};
const report = queries.report(request);
if (report.totals.entered !== ENTRIES)
  throw new Error(`the report counts ${report.totals.entered} entries, not ${ENTRIES}`);
// The retention flags the loader set agree with the activity rows it wrote.
const probe = db
  .prepare(
    "SELECT count(*) FROM fact_entries e WHERE e.journey_id = 'j050' AND e.active_d7 != EXISTS (SELECT 1 " +
      "FROM fact_activity a WHERE a.time_zone = e.time_zone AND a.user_id = e.user_id AND a.day = e.cohort_day " +
      "+ 7)",
  )
  .pluck()
  .get() as number;
if (probe !== 0) throw new Error(`${probe} entries disagree with their activity`);

const results = {
  report: time(
    `full report, one journey (${ENTRIES.toLocaleString("en")} ` +
      `of ${(JOURNEYS * ENTRIES).toLocaleString("en")} entries)`,
    () => queries.report(request),
  ),
  funnel: time("funnel start → exp, one journey", () =>
    queries.funnel(JourneyId.parse("j050"), ["start", "exp"], null),
  ),
  countEntries: time("baseline: SELECT COUNT(*) FROM fact_entries (all journeys)", () => count("fact_entries")),
  countJourney: time("baseline: COUNT(*) FROM fact_entries WHERE journey_id = one", () =>
    db.prepare("SELECT count(*) FROM fact_entries WHERE journey_id = ?").pluck().get("j050"),
  ),
  countVisits: time("baseline: SELECT COUNT(*) FROM fact_visits (all journeys)", () => count("fact_visits")),
  countAll: time("baseline: COUNT(*) over all five fact tables (1 M rows)", () => tables.map(count)),
};
console.log(
  `  report / COUNT(*) fact_entries = ${(results.report / results.countEntries).toFixed(1)}×,  report / ` +
    `COUNT(*) of one journey's entries = ${(results.report / results.countJourney).toFixed(1)}×,  report / ` +
    `COUNT(*) of all 1 M facts = ${(results.report / results.countAll).toFixed(2)}×,  funnel / COUNT(*) ` +
    `fact_visits = ${(results.funnel / results.countVisits).toFixed(1)}×`,
);

store.close();

// The projector's own pace: the simulated month (ab-onboarding-month) written to a SQLite file as
// the durable runtime writes it, then folded into facts from scratch, in the default batches.
{
  const events = parseEventStream(
    readFileSync(new URL("../../samples/events/ab-onboarding-month.jsonl", import.meta.url), "utf8"),
  ).events;
  const month = sampleExecutable("ab-onboarding");
  const s = new SqliteStore({ path: join(dir, "month.sqlite") });
  writeSimulation(s, events, simulate({ journeys: [{ executable: month }], events }).effects);
  const rowsIn = s.db.prepare("SELECT count(*) FROM timeline").pluck().get() as number;
  const world = new World([
    {
      journeyId: month.journeyId,
      status: "live",
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep", executable: month }],
    },
  ]);
  const t = performance.now();
  const r = new ReportProjector(
    s.facts,
    zonesOf(() => world),
  ).catchUp();
  const ms = performance.now() - t;
  console.log(
    `  projector: ${r.timelineRows.toLocaleString("en")} timeline rows + ${r.events.toLocaleString("en")} ` +
      `events in ${ms.toFixed(0)} ms ` +
      `(${Math.round(((r.timelineRows + r.events) / ms) * 1000).toLocaleString("en")} rows/s, into the facts file)`,
  );
  if (r.timelineRows !== rowsIn) throw new Error(`projected ${r.timelineRows} of ${rowsIn} timeline rows`);
  s.close();
}
rmSync(dir, { recursive: true, force: true });
