import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileJourney, JourneyReport, parseUntrustedJson, reportCsv, type ExecutableJourney } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import type { Sidecar } from "../server/sidecar.ts";
import type { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { checkedFetch } from "../testing/contract.ts";
import { sampleEvents } from "../testing/samples.ts";
import { simulationReport } from "./index.ts";
import { startReportSidecar } from "../testing/report-sidecar.ts";

/** Every answer is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();
const D = 86_400_000;
const SAMPLES = new URL("../../../samples/", import.meta.url).pathname;

/**
 * The A/B onboarding sample over the stage report's month (samples/events/stages-month.jsonl: 600 sign-ups, each
 * identified a minute before with an acquisition_channel, referral 300 and search_ads 300), its goal the stream's
 * `investment` within 7 days.
 */
const doc = parseUntrustedJson(readFileSync(join(SAMPLES, "journeys/ab-onboarding.json"), "utf8")) as {
  goal: { event: string; window: string };
};
doc.goal = { event: "investment", window: "7d" };
const compiled = compileJourney(doc);
const exe: ExecutableJourney = compiled.executable!;
const events = sampleEvents("stages-month");
const UNTIL = "2026-12-31T00:00:00Z";

/** The answer counted from the stream and the engine's own assignments (simulate's decide effects), no report code. */
function expected() {
  const channel = new Map<string, string>();
  for (const e of events)
    if (e.type === "identify" && typeof e.props.acquisition_channel === "string")
      channel.set(e.userId, e.props.acquisition_channel);
  const registered = new Map<string, number>();
  for (const e of events)
    if (e.type === "registered" && !registered.has(e.userId)) registered.set(e.userId, Date.parse(e.at));
  const converted = new Set<string>(
    events
      .filter((e) => e.type === "investment" && registered.has(e.userId))
      .filter(
        (e) => Date.parse(e.at) > registered.get(e.userId)! && Date.parse(e.at) - registered.get(e.userId)! <= 7 * D,
      )
      .map((e) => e.userId),
  );
  const arm = new Map<string, string>();
  for (const r of simulate({ journeys: [{ executable: exe }], events, until: UNTIL }).effects)
    if (r.kind === "decide" && r.nodeId === "strategy") arm.set(r.userId, r.handle);
  const groups: Record<string, { entered: number; converted: number; arms: Record<string, [number, number]> }> = {};
  for (const [u] of registered) {
    const g = (groups[channel.get(u) ?? "(other)"] ??= { entered: 0, converted: 0, arms: {} });
    g.entered++;
    const a = (g.arms[arm.get(u)!] ??= [0, 0]);
    a[0]++;
    if (converted.has(u)) {
      g.converted++;
      a[1]++;
    }
  }
  return groups;
}

/** The Wilson score interval and the Wald difference interval, written out again from their formulas. */
const Z = 1.959964;
function wilson(x: number, n: number): [number, number] {
  const p = x / n;
  const mid = (2 * x + Z * Z) / (2 * (n + Z * Z));
  const half = (Z * Math.sqrt(Z * Z + 4 * x * (1 - p))) / (2 * (n + Z * Z));
  return [mid - half, mid + half];
}

function checkFigures(report: JourneyReport): void {
  const want = expected();
  const b = report.breakdown!;
  expect(b.by).toBe("acquisition_channel");
  expect(b.groups.map((g) => g.value)).toEqual(["referral", "search_ads"]);
  for (const g of b.groups) {
    const w = want[g.value]!;
    expect(g.totals.entered).toBe(300);
    expect(g.totals.entered).toBe(w.entered);
    expect(g.totals.converted).toBe(w.converted);
    expect(g.totals.rate).toBeCloseTo(w.converted / w.entered, 12);
    const [lo, hi] = wilson(w.converted, w.entered);
    expect(g.totals.ci95![0]).toBeCloseTo(lo, 5);
    expect(g.totals.ci95![1]).toBeCloseTo(hi, 5);
    const [tour, bonus, control] = [w.arms.tour!, w.arms.bonus!, w.arms.control!];
    expect(g.nodes.registered!.reached).toBe(300);
    expect(g.nodes.strategy!.reached).toBe(300);
    expect(g.nodes.tour_push!.reached).toBe(tour[0]);
    expect(g.nodes.bonus_points!.reached).toBe(bonus[0]);
    expect(g.spend).toEqual({ total: { points: 200 * bonus[0] }, grants: bonus[0] });
    const x = g.experiments[0]!;
    expect(x.arms.map((a) => [a.arm, a.entered, a.converted])).toEqual([
      ["tour", ...tour],
      ["bonus", ...bonus],
      ["control", ...control],
    ]);
    const t = x.arms[0]!;
    const p = tour[1] / tour[0];
    const p0 = control[1] / control[0];
    const se = Math.sqrt((p * (1 - p)) / tour[0] + (p0 * (1 - p0)) / control[0]);
    expect(t.lift!.absolute).toBeCloseTo(p - p0, 12);
    expect(t.lift!.ci95[0]).toBeCloseTo(p - p0 - Z * se, 5);
    expect(t.lift!.ci95[1]).toBeCloseTo(p - p0 + Z * se, 5);
    expect(x.arms[2]!.lift).toBeNull();
  }
  // The groups add up to the whole report.
  const sum = (f: (g: (typeof b.groups)[number]) => number) => b.groups.reduce((s, g) => s + f(g), 0);
  expect(sum((g) => g.totals.entered)).toBe(report.totals.entered);
  expect(sum((g) => g.totals.converted)).toBe(report.totals.converted);
  expect(sum((g) => g.spend.total.points ?? 0)).toBe(report.spend.total.points);
  const arms = report.experiments[0]!.arms;
  expect(sum((g) => g.experiments[0]!.arms[0]!.entered)).toBe(arms[0]!.entered);
}

describe("a report broken down by a profile attribute (simulation)", () => {
  it("answers each channel's figures, counted from the stream", () => {
    const report = simulationReport({ journey: exe, events, until: UNTIL, by: "acquisition_channel" });
    checkFigures(report);
    // Without `by`, no breakdown; by an attribute nobody has, one pooled group.
    expect(simulationReport({ journey: exe, events, until: UNTIL }).breakdown).toBeUndefined();
    const none = simulationReport({ journey: exe, events, until: UNTIL, by: "nickname" }).breakdown!;
    expect(none.groups.map((g) => [g.value, g.totals.entered])).toEqual([["(other)", 600]]);
  });

  it("writes the groups as CSV", () => {
    const report = simulationReport({ journey: exe, events, until: UNTIL, by: "acquisition_channel" });
    const lines = reportCsv(report, "groups").trimEnd().split("\r\n");
    expect(lines[0]).toBe("by,group,entered,converted,rate,ci95_low,ci95_high,active,grants,spend_points");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 3))).toEqual([
      ["acquisition_channel", "referral", "300"],
      ["acquisition_channel", "search_ads", "300"],
    ]);
    expect(reportCsv(report, "group_experiments").trimEnd().split("\r\n")).toHaveLength(1 + 2 * 3);
  });
});

const dir = mkdtempSync(join(tmpdir(), "lifeloop-breakdown-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "ab-onboarding.json"), JSON.stringify(doc));

/** PostgreSQL: every timeline row folded (as incrementality-routes.test.ts waits for it). */
async function pgFolded(s: Sidecar): Promise<boolean> {
  const r = await (s.store as PgStore).pool.query(
    `SELECT NOT EXISTS (SELECT 1 FROM timeline t WHERE t.seq > (SELECT coalesce(max(seq), 0) FROM report_cursors
        WHERE source = 'timeline')
        AND NOT EXISTS (SELECT 1 FROM report_folded f WHERE f.source = 'timeline' AND f.seq = t.seq)) AS ok`,
  );
  return r.rows[0].ok === true;
}

describe("GET /v1/journeys/:id/report?by= (SQLite)", () => live(() => join(dir, "engine.sqlite"), null));
describePostgres("GET /v1/journeys/:id/report?by= (PostgreSQL)", (db) => live(db, pgFolded));

function live(db: () => string, folded: ((s: Sidecar) => Promise<boolean>) | null): void {
  const clock = { now: Date.parse(UNTIL) };
  const logs: string[] = [];
  let s: Sidecar;
  beforeAll(async () => {
    s = await startReportSidecar({
      db: db(),
      journeyFiles: [join(dir, "ab-onboarding.json")],
      now: () => clock.now,
      log: (m: string) => logs.push(m),
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("answers what the simulation of the same month says, group for group", async () => {
    for (let i = 0; i < events.length; i += 500) {
      const res = await fetch(`${s.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(events.slice(i, i + 500)),
      });
      expect(res.status).toBe(202);
    }
    await s.pump();
    for (let i = 0; folded && i < 600 && !(await folded(s)); i++) await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`${s.url}/v1/journeys/ab-onboarding/report?by=acquisition_channel`);
    expect(res.status, logs.join("\n")).toBe(200);
    const report = JourneyReport.parse(await res.json());
    checkFigures(report);
    const simulated = simulationReport({ journey: exe, events, until: UNTIL, by: "acquisition_channel" });
    expect(report.breakdown).toEqual(simulated.breakdown);
    expect(report.totals).toEqual(simulated.totals);

    const csv = await fetch(`${s.url}/v1/journeys/ab-onboarding/report.csv?section=groups&by=acquisition_channel`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toBe(reportCsv(simulated, "groups"));
    const bad = await fetch(`${s.url}/v1/journeys/ab-onboarding/report?by=a-b`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
      "query.by",
    );
  }, 120_000);
}
