/**
 * The report page end to end, in Debian's Chromium against the real API on loopback (which measures a
 * simulation in-process with the engine's own projector and queries): open
 * the A/B onboarding journey's report from the editor's toolbar, run the simulation report over the
 * month-long sample stream, and check every figure the page shows against the API's own JSON for the
 * same request (fetched here with the harness's key, through the editor's origin like the page).
 * Then the numbers go onto the canvas. Screenshot: screenshots/report.png.
 *
 * Then live: the journey published, people sent to the real engine sidecar, and the page's live report
 * (which the API forwards to the engine) and its funnel and CSV checked against the API's answers.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EngineConnection, startServer, type TestServer } from "@lifeloop/api/testing";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatAmount, JourneyReport } from "@lifeloop/shared";
import { count, pct, points, pValue } from "../src/report/model.ts";
import {
  buildEditor,
  chromiumAvailable,
  launchChromium,
  SCREENSHOTS_DIR,
  serveEditor,
  startE2E,
  type E2E,
} from "./harness.ts";

const run = chromiumAvailable();
const ID = "ab-onboarding";
const SAMPLE = "ab-onboarding-month";
/** The arms' labels in samples/journeys/ab-onboarding.json. */
const ARM_LABELS: Record<string, string> = { tour: "Guided tour", bonus: "Bonus points" };

const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const textOf = async (page: Page, id: string) => ((await byId(page, id).textContent()) ?? "").trim();

describe.skipIf(!run)("the report page in Chromium, against the real API", () => {
  let e: E2E;
  let page: Page;
  let expected: JourneyReport;

  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1440, height: 1000 } });
    page = e.page;
    // What the API answers for the same request the page makes: the reference for every figure.
    const res = await fetch(`${e.editorUrl}/v1/journeys/${ID}/report/simulate`, {
      method: "POST",
      headers: { authorization: `Bearer ${e.api.publisherKey}`, "content-type": "application/json" },
      body: JSON.stringify({ sample: SAMPLE }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expected = JourneyReport.parse(await res.json());
  });
  afterAll(async () => {
    await e?.close();
  });

  it("the API's month of onboarding is a report worth reading", () => {
    expect(expected.source).toBe("simulation");
    expect(expected.journeyId).toBe(ID);
    expect(expected.totals.entered).toBeGreaterThan(100);
    expect(expected.totals.converted).toBeGreaterThan(0);
    expect(expected.experiments.map((x) => x.nodeId)).toEqual(["strategy"]);
  });

  it("opens the report from the editor's toolbar and runs the month-long sample", async () => {
    await e.open(`#/journeys/${ID}`);
    await byId(page, "node-strategy").waitFor();
    await page.selectOption('[data-testid="lang-switch"]', "en");
    await byId(page, "btn-report").click();
    await byId(page, "report-page").waitFor();
    expect(page.url()).toContain(`#/journeys/${ID}/report`);
    // A draft: the page offers a simulation, of the journey's month-long stream.
    expect(await byId(page, "report-source").inputValue()).toBe("simulation");
    expect(await byId(page, "report-sample").inputValue()).toBe(SAMPLE);
    await byId(page, "report-empty").waitFor();
    await byId(page, "report-run").click();
    await byId(page, "report-entered").waitFor();
  });

  it("shows the headline figures the API computed", async () => {
    const x = expected.totals;
    expect(await textOf(page, "report-entered")).toBe(count(x.entered, "en"));
    expect(await textOf(page, "report-converted")).toBe(count(x.converted, "en"));
    expect(await textOf(page, "report-rate")).toBe(pct(x.rate, "en"));
    expect(await textOf(page, "report-active")).toBe(count(x.active, "en"));
    for (const [reason, n] of Object.entries(x.exited))
      expect(await textOf(page, `report-exit-${reason}`)).toBe(count(n, "en"));
  });

  it("shows people at each node and the funnel along the main path", async () => {
    for (const [id, n] of Object.entries(expected.nodes)) {
      expect(await textOf(page, `report-node-reached-${id}`)).toBe(count(n.reached, "en"));
      expect(await textOf(page, `report-node-at-${id}`)).toBe(count(n.at, "en"));
    }
    for (const id of ["registered", "strategy", "tour_push"]) {
      expect(await textOf(page, `funnel-count-${id}`)).toBe(count(expected.nodes[id]?.reached ?? 0, "en"));
    }
  });

  it("shows each arm's figures, the SRM check and the verdict in words", async () => {
    const x = expected.experiments[0]!;
    const card = byId(page, "experiment-strategy");
    await card.waitFor();
    for (const a of x.arms) {
      const id = `strategy-${a.arm}`;
      expect(await textOf(page, `arm-entered-${id}`)).toBe(count(a.entered, "en"));
      expect(await textOf(page, `arm-converted-${id}`)).toBe(count(a.converted, "en"));
      expect(await textOf(page, `arm-rate-${id}`)).toBe(pct(a.rate, "en"));
      expect(await textOf(page, `arm-lift-${id}`)).toBe(a.lift ? points(a.lift.absolute, true) : "—");
      expect(await textOf(page, `arm-p-${id}`)).toBe(a.lift ? pValue(a.lift.pValue) : "—");
    }
    expect(await byId(page, "verdict-strategy").getAttribute("data-status")).toBe(x.verdict.status);
    const verdict = await textOf(page, "verdict-strategy");
    expect(verdict.length).toBeGreaterThan(20);
    if (x.verdict.status === "not_enough_data") expect(verdict).toContain(`at least ${x.verdict.minPerArm} people`);
    else if (x.verdict.status === "srm") expect(verdict).toContain("does not match the configured shares");
    else {
      // The sentence names the arm and its lift against the holdout in points.
      const arm = x.arms.find((a) => a.arm === x.verdict.arm) ?? x.arms.find((a) => !a.control && a.lift);
      if (arm?.lift) expect(verdict).toContain(`${points(Math.abs(arm.lift.absolute))} percentage points`);
      // Named by its label on the experiment node.
      if (arm) expect(verdict).toContain(`"${ARM_LABELS[arm.arm] ?? arm.arm}"`);
    }
    expect(await byId(page, "srm-strategy").count()).toBe(x.srm.mismatch ? 1 : 0);

    // The same verdict in Chinese.
    await page.selectOption('[data-testid="lang-switch"]', "zh-CN");
    const zh = await textOf(page, "verdict-strategy");
    expect(zh).not.toBe(verdict);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    await page.selectOption('[data-testid="lang-switch"]', "en");
  });

  it("shows time to convert, retention cohorts and spend as the API computed them", async () => {
    const t = expected.timeToConvert;
    if (t.count > 0) expect(await textOf(page, "ttc-count")).toBe(count(t.count, "en"));
    else await byId(page, "empty-ttc").waitFor();

    for (const c of expected.retention.cohorts) {
      expect(await textOf(page, `retention-${c.cohort}-size`)).toBe(count(c.size, "en"));
      for (const d of ["day1", "day7", "day30"] as const)
        expect(await textOf(page, `retention-${c.cohort}-${d}`)).toBe(c[d] === null ? "not yet" : pct(c[d], "en"));
    }
    if (expected.retention.cohorts.length === 0) await byId(page, "empty-retention").waitFor();

    for (const [unit, amount] of Object.entries(expected.spend.total))
      expect(await textOf(page, `spend-total-${unit}`)).toBe(formatAmount(amount, unit, "en"));
    for (const n of expected.spend.byNode)
      expect(await textOf(page, `spend-amount-${n.nodeId}-${n.unit}`)).toBe(formatAmount(n.amount, n.unit, "en"));
    for (const b of expected.spend.budgets)
      expect(await textOf(page, `budget-${b.budgetId}`)).toContain(`${formatAmount(b.used, b.unit, "en")} used`);
    for (const [reason, n] of Object.entries(expected.spend.refusals))
      if (n > 0) expect(await textOf(page, `refusal-${reason}`)).toBe(count(n, "en"));

    // No win-back coupon, coupon nor tiers in this journey: said so.
    if (expected.winBack.length === 0) await byId(page, "empty-winback").waitFor();
    if (expected.tiers.length === 0) await byId(page, "empty-tiers").waitFor();
    if (expected.coupons.length === 0) await byId(page, "empty-coupons").waitFor();
    for (const c of expected.coupons)
      expect(await textOf(page, `coupon-${c.nodeId}-${c.unit}-issued`)).toBe(count(c.issued, "en"));
    // Charts are drawn (recharts' SVG surfaces).
    expect(await page.locator(".recharts-surface").count()).toBeGreaterThan(3);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "report.png"), fullPage: true });
  });

  it("regroups retention by entry week, as the API does", async () => {
    const res = await fetch(`${e.editorUrl}/v1/journeys/${ID}/report/simulate?cohort=week`, {
      method: "POST",
      headers: { authorization: `Bearer ${e.api.publisherKey}`, "content-type": "application/json" },
      body: JSON.stringify({ sample: SAMPLE }),
    });
    const weekly = JourneyReport.parse(await res.json());
    expect(weekly.retention.unit).toBe("week");
    expect(weekly.retention.cohorts.length).toBeGreaterThan(0);
    await page.selectOption('[data-testid="report-cohort"]', "week");
    const first = weekly.retention.cohorts[0]!;
    await byId(page, `retention-${first.cohort}-size`).waitFor();
    for (const c of weekly.retention.cohorts) {
      expect(await textOf(page, `retention-${c.cohort}-size`)).toBe(count(c.size, "en"));
      for (const d of ["day1", "day7", "day30"] as const)
        expect(await textOf(page, `retention-${c.cohort}-${d}`)).toBe(c[d] === null ? "not yet" : pct(c[d], "en"));
    }
    // The rest of the report does not depend on how cohorts are grouped.
    expect(await textOf(page, "report-entered")).toBe(count(expected.totals.entered, "en"));
  });

  it("downloads a section as CSV, in the columns of the API's live export", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), byId(page, "csv-experiments").click()]);
    expect(download.suggestedFilename()).toBe(`${ID}-simulation-experiments.csv`);
    const text = readFileSync((await download.path())!, "utf8");
    const rows = text.trim().split("\r\n");
    expect(rows[0]).toMatch(/^experiment,node,arm,control,expected_share,entered,converted,/);
    for (const a of expected.experiments[0]!.arms) {
      expect(
        rows.some(
          (r) =>
            r.startsWith(`onboarding_2026q4,strategy,${a.arm},${a.control},`) &&
            r.includes(`,${a.entered},${a.converted},`),
        ),
      ).toBe(true);
    }
  });

  it("puts the numbers on the canvas", async () => {
    await byId(page, "report-show-canvas").click();
    await byId(page, "node-strategy").waitFor();
    expect(page.url()).toMatch(new RegExp(`#/journeys/${ID}$`));
    for (const [id, n] of Object.entries(expected.nodes)) {
      await expect
        .poll(() => byId(page, `figures-${id}`).locator("strong").textContent())
        .toBe(n.reached.toLocaleString("en"));
    }
    expect(e.pageErrors).toEqual([]);
  });

  it("places days by date: the days between grants at 0, cohorts as far apart as they are", async () => {
    // The win-back sample: three entry days (1, 11 and 20 November) and grants on six days from 16 November.
    const res = await fetch(`${e.editorUrl}/v1/journeys/win-back/report/simulate`, {
      method: "POST",
      headers: { authorization: `Bearer ${e.api.publisherKey}`, "content-type": "application/json" },
      body: JSON.stringify({ sample: "win-back" }),
    });
    const sparse = JourneyReport.parse(await res.json());
    const cohorts = sparse.retention.cohorts.map((c) => c.cohort);
    expect(cohorts).toEqual(["2026-11-01", "2026-11-11", "2026-11-20"]);
    const grantDays = sparse.spend.byDay.filter((d) => d.unit === "CNY").map((d) => d.day);
    expect(grantDays[0]).toBe("2026-11-16");
    expect(grantDays.at(-1)).toBe("2026-12-20");
    expect(grantDays.length).toBeLessThan(35);

    await e.open("#/journeys/win-back");
    await byId(page, "btn-report").click();
    await byId(page, "report-page").waitFor();
    expect(await byId(page, "report-sample").inputValue()).toBe("win-back");
    await byId(page, "report-run").click();
    await byId(page, `retention-${cohorts[0]}-size`).waitFor();

    // Retention: one dot per cohort on the day-1 line, 10 days then 9 days apart (not evenly spaced).
    const dots = await byId(page, "retention-chart")
      .locator(".recharts-line-dots")
      .first()
      .locator("circle")
      .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute("cx"))));
    expect(dots).toHaveLength(3);
    const [a, b, c] = dots as [number, number, number];
    expect((b - a) / (c - b)).toBeCloseTo(10 / 9, 2);
    expect(await textOf(page, "retention-chart")).toContain("Asia/Shanghai");

    // Spend: the area runs through every day from the first grant to the last, evenly; days without a
    // grant on the zero line (the lowest point of the curve), the grant days above it.
    const curve = await byId(page, "spend-day-CNY").locator("path.recharts-area-curve").getAttribute("d");
    const xy = [...(curve ?? "").matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(xy).toHaveLength(35);
    const steps = xy.slice(1).map(([x], i) => x! - xy[i]![0]!);
    for (const s of steps) expect(s).toBeCloseTo(steps[0]!, 1);
    const zero = Math.max(...xy.map(([, y]) => y!));
    expect(xy.filter(([, y]) => y === zero)).toHaveLength(35 - grantDays.length);
    // Ticks are dates, a week apart.
    const ticks = await byId(page, "spend-day-CNY").locator(".recharts-xAxis-tick-labels text").allTextContents();
    expect(ticks.slice(0, 2)).toEqual(["11-16", "11-23"]);
    expect(e.pageErrors).toEqual([]);
  });
});

/**
 * Live reports need the API to know the engine (it forwards /report, /funnel and /report.csv to it),
 * and the engine to know the API (it pulls the published journeys from its feed): the API is given
 * the engine's address once the engine is up.
 */
describe.skipIf(!run)("the live report in Chromium, from the real engine through the API", () => {
  const ENGINE_KEY = "llk_engine_report-e2e-key";
  const cleanups: Array<() => unknown> = [];
  let api: TestServer;
  let engine: Sidecar;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const errors: string[] = [];
  const PEOPLE = 40;
  const INVESTED = 12;

  /** Waits (outside a test, where expect.poll cannot) until the check holds, or says what did not happen. */
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
    const end = performance.now() + timeoutMs;
    while (!(await check())) {
      if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const get = async (path: string) => {
    const res = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${api.publisherKey}` } });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return res;
  };

  beforeAll(async () => {
    let engineUrl = "";
    const connection: EngineConnection = {
      get url() {
        return engineUrl;
      },
    };
    api = await startServer({ samples: "draft", engineKey: ENGINE_KEY, engine: connection });
    cleanups.push(() => api.close());
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-report-e2e-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    engine = await startSidecar({
      db: join(dir, "engine.sqlite"),
      host: "127.0.0.1",
      port: 0,
      api: { url: api.url, key: ENGINE_KEY },
      // The API's injected clock: the API, the engine and (below) the page agree on now.
      now: () => api.clock.now,
      feedIntervalMs: 500,
      timerIntervalMs: 500,
      outboxIntervalMs: 500,
      log: () => {},
    });
    cleanups.push(() => engine.close());
    engineUrl = engine.url;
    const outDir = await buildEditor();
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    const served = await serveEditor(outDir, { api: api.url, engine: engine.url });
    cleanups.push(() => served.server.close());
    origin = served.url;
    browser = await launchChromium();
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    // The page's report ranges come from its own clock: fixed at the services' now (timers still run).
    await context.clock.setFixedTime(api.clock.now);
    page = await context.newPage();
    page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
        errors.push(`console.error: ${m.text()}`);
    });

    // Published, pulled by the engine, then people: everyone registers two minutes ago, some invest since.
    const published = await api.call("POST", `/v1/journeys/${ID}/publish`, {
      json: { note: "report e2e", inFlight: "keep" },
    });
    expect(published.status, published.text).toBe(201);
    await until(
      "the engine runs the published journey",
      async () => (await fetch(`${engine.url}/v1/journeys/${ID}/stats`)).status === 200,
    );
    // Dated by the clock the page, the API and the engine share (the API harness's injected one).
    const ago = (ms: number) => new Date(api.clock.now - ms).toISOString();
    const events: Array<Record<string, unknown>> = [];
    for (let i = 0; i < PEOPLE; i++)
      events.push({ id: `reg-${i}`, userId: `live-${i}`, type: "registered", at: ago(120_000), props: {} });
    for (let i = 0; i < INVESTED; i++)
      events.push({
        id: `inv-${i}`,
        userId: `live-${i}`,
        type: "first_investment",
        at: ago(60_000),
        props: { amount: 1000 },
      });
    const posted = await fetch(`${engine.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(posted.status).toBe(202);
    await until(
      `the live report counts ${PEOPLE} entries`,
      async () => ((await (await get(`/v1/journeys/${ID}/report`)).json()) as JourneyReport).totals.entered === PEOPLE,
    );
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("opens on the live report of every version and shows the engine's figures", async () => {
    const expected = JourneyReport.parse(await (await get(`/v1/journeys/${ID}/report`)).json());
    expect(expected.source).toBe("live");
    expect(expected.totals.converted).toBe(INVESTED);

    await page.goto(`${origin}/#key=${encodeURIComponent(api.publisherKey)}&/journeys/${ID}/report`);
    await page.waitForFunction(() => window.localStorage.getItem("lifeloop.apiKey") !== null);
    await page.evaluate((h) => (window.location.hash = h), `#/journeys/${ID}/report`);
    await byId(page, "report-page").waitFor();
    await page.selectOption('[data-testid="lang-switch"]', "en");
    expect(await byId(page, "report-source").inputValue()).toBe("live");
    await expect.poll(() => textOf(page, "report-entered")).toBe(count(PEOPLE, "en"));
    expect(await textOf(page, "report-converted")).toBe(count(expected.totals.converted, "en"));
    expect(await textOf(page, "report-rate")).toBe(pct(expected.totals.rate, "en"));
    expect(await textOf(page, "report-active")).toBe(count(expected.totals.active, "en"));
    for (const [id, n] of Object.entries(expected.nodes))
      expect(await textOf(page, `report-node-reached-${id}`)).toBe(count(n.reached, "en"));
    for (const a of expected.experiments[0]!.arms)
      expect(await textOf(page, `arm-entered-strategy-${a.arm}`)).toBe(count(a.entered, "en"));
    // Forty people are far from a verdict.
    expect(await byId(page, "verdict-strategy").getAttribute("data-status")).toBe(
      expected.experiments[0]!.verdict.status,
    );
    // The published version is offered.
    expect(await byId(page, "report-version").locator("option").allTextContents()).toEqual([
      "All versions",
      "v1 (live)",
    ]);
  });

  it("asks the engine for the funnel along the main path", async () => {
    const funnel = (await (await get(`/v1/journeys/${ID}/funnel?path=registered,strategy,tour_push`)).json()) as {
      steps: Array<{ nodeId: string; count: number }>;
    };
    for (const step of funnel.steps)
      await expect.poll(() => textOf(page, `funnel-count-${step.nodeId}`)).toBe(count(step.count, "en"));
    expect(funnel.steps[0]!.count).toBe(PEOPLE);
  });

  it("downloads a section's CSV from the API with the key", async () => {
    const csv = await (await get(`/v1/journeys/${ID}/report.csv?section=nodes`)).text();
    expect(await byId(page, "csv-nodes").getAttribute("href")).toBe(`/v1/journeys/${ID}/report.csv?section=nodes`);
    const [download] = await Promise.all([page.waitForEvent("download"), byId(page, "csv-nodes").click()]);
    expect(readFileSync((await download.path())!, "utf8")).toBe(csv);
    expect(csv).toContain(`registered,${PEOPLE},`);
  });

  it("reads one version", async () => {
    await page.selectOption('[data-testid="report-version"]', "1");
    await byId(page, "report-run").click();
    await expect.poll(() => textOf(page, "report-meta")).toContain("v1");
    expect(await textOf(page, "report-entered")).toBe(count(PEOPLE, "en"));
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "report-live.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
