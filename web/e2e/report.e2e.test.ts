/**
 * The report page end to end, in Debian's Chromium against the real API on loopback (which measures a
 * simulation in-process with the engine's own projector and queries): open
 * the A/B onboarding journey's report from the editor's toolbar, run the simulation report over the
 * month-long sample stream, and check every figure the page shows against the API's own JSON for the
 * same request (fetched here with the harness's key, through the editor's origin like the page).
 * Then the numbers go onto the canvas. Screenshot: screenshots/report.png.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JourneyReport } from "@lifeloop/shared";
import { formatAmount } from "../src/format.ts";
import { count, pct, points, pValue } from "../src/report/model.ts";
import { chromiumAvailable, SCREENSHOTS_DIR, startE2E, type E2E } from "./harness.ts";

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
      headers: { authorization: `Bearer ${e.api.adminKey}`, "content-type": "application/json" },
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
    for (const [reason, n] of Object.entries(x.exited)) expect(await textOf(page, `report-exit-${reason}`)).toBe(count(n, "en"));
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
      for (const d of ["day1", "day7", "day30"] as const) expect(await textOf(page, `retention-${c.cohort}-${d}`)).toBe(c[d] === null ? "not yet" : pct(c[d], "en"));
    }
    if (expected.retention.cohorts.length === 0) await byId(page, "empty-retention").waitFor();

    for (const [unit, amount] of Object.entries(expected.spend.total)) expect(await textOf(page, `spend-total-${unit}`)).toBe(formatAmount(unit, amount, "en"));
    for (const n of expected.spend.byNode) expect(await textOf(page, `spend-amount-${n.nodeId}-${n.unit}`)).toBe(formatAmount(n.unit, n.amount, "en"));
    for (const b of expected.spend.budgets) expect(await textOf(page, `budget-${b.budgetId}`)).toContain(`${formatAmount(b.unit, b.used, "en")} used`);
    for (const [reason, n] of Object.entries(expected.spend.refusals)) if (n > 0) expect(await textOf(page, `refusal-${reason}`)).toBe(count(n, "en"));

    // No win-back coupon nor tiers in this journey: said so.
    if (expected.winBack.length === 0) await byId(page, "empty-winback").waitFor();
    if (expected.tiers.length === 0) await byId(page, "empty-tiers").waitFor();
    // Charts are drawn (recharts' SVG surfaces).
    expect(await page.locator(".recharts-surface").count()).toBeGreaterThan(3);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "report.png"), fullPage: true });
  });

  it("downloads a section as CSV, in the columns of the API's live export", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), byId(page, "csv-experiments").click()]);
    expect(download.suggestedFilename()).toBe(`${ID}-simulation-experiments.csv`);
    const text = readFileSync((await download.path())!, "utf8");
    const rows = text.trim().split("\r\n");
    expect(rows[0]).toMatch(/^experiment,node,arm,control,expected_share,entered,converted,/);
    for (const a of expected.experiments[0]!.arms) {
      expect(rows.some((r) => r.startsWith(`onboarding_2026q4,strategy,${a.arm},${a.control},`) && r.includes(`,${a.entered},${a.converted},`))).toBe(true);
    }
  });

  it("puts the numbers on the canvas", async () => {
    await byId(page, "report-show-canvas").click();
    await byId(page, "node-strategy").waitFor();
    expect(page.url()).toMatch(new RegExp(`#/journeys/${ID}$`));
    for (const [id, n] of Object.entries(expected.nodes)) {
      await expect.poll(() => byId(page, `figures-${id}`).locator("strong").textContent()).toBe(n.reached.toLocaleString("en"));
    }
    expect(e.pageErrors).toEqual([]);
  });
});
