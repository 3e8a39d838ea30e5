/**
 * The lifecycle stage page end to end, in Debian's Chromium against the real API on loopback: opened from
 * the journeys list's navigation, it asks for the live report, which the API refuses without an engine
 * (503: the page says so and retries); the sample month is then simulated and the page's figures are
 * the API's own JSON for the same request (233 of 600 registered people made a first investment), and the
 * breakdown switched to the acquisition channel shows each channel's KPIs. Screenshot: screenshots/stages.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StageReport } from "@lifeloop/shared";
import { count, pct } from "../src/report/model.ts";
import { SAMPLE_MONTH } from "../src/stages/model.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const textOf = async (page: Page, id: string) => ((await byId(page, id).textContent()) ?? "").trim();

describe.skipIf(!run)("the lifecycle stage page in Chromium, against the real API", () => {
  let e: E2E;
  let page: Page;

  /** What the API answers for the simulation the page asks for, through the editor's origin like the page. */
  async function expected(by?: string): Promise<StageReport> {
    const res = await fetch(`${e.editorUrl}/v1/reports/stages/simulate`, {
      method: "POST",
      headers: { authorization: `Bearer ${e.api.publisherKey}`, "content-type": "application/json" },
      body: JSON.stringify({ ...SAMPLE_MONTH, interval: "week", ...(by ? { by } : {}) }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return StageReport.parse(await res.json());
  }

  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1440, height: 1000 } });
    page = e.page;
    await e.open("#/");
    await page.selectOption('[data-testid="lang-switch"]', "en");
  });
  afterAll(async () => {
    await e?.close();
  });

  it("opens from the navigation; without an engine the live report says so, and retries", async () => {
    await byId(page, "nav-stages").click();
    await byId(page, "stages-page").waitFor();
    expect(page.url()).toContain("#/stages");
    await byId(page, "stages-error").waitFor();
    expect(await textOf(page, "stages-error")).toContain("Live figures need the engine");
    const retried = page.waitForResponse((r) => r.url().includes("/v1/reports/stages?"));
    await byId(page, "stages-retry").click();
    expect((await retried).status()).toBe(503);
    await byId(page, "stages-error").waitFor();
  });

  it("simulates the sample month: 233 of 600 made a first investment, every KPI as the API counts it", async () => {
    await byId(page, "stages-simulate").click();
    await byId(page, "stages-report").waitFor();
    const report = await expected();
    const first = report.overall.kpis.find((k) => k.id === "first_investment_rate")!;
    expect([first.numerator, first.denominator]).toEqual([233, 600]);
    expect(await textOf(page, "kpi-first_investment_rate")).toBe("38.8%");
    expect(await byId(page, "stage-card-acquisition").textContent()).toContain("233 of 600");
    for (const k of report.overall.kpis.filter((x) => x.unit === "rate"))
      expect(await textOf(page, `kpi-${k.id}`), k.id).toBe(pct(k.value, "en"));
    for (const m of report.overall.matrix)
      expect(await textOf(page, `move-${m.from ?? "none"}-${m.to ?? "none"}`)).toBe(count(m.people, "en"));
    expect(await byId(page, "stages-series").locator("svg.recharts-surface").count()).toBeGreaterThan(0);
  });

  it("switches the breakdown to the acquisition channel: each channel's KPIs", async () => {
    await byId(page, "stages-by").selectOption("acquisition_channel");
    await byId(page, "stages-groups").waitFor();
    const report = await expected("acquisition_channel");
    expect(report.groups.map((g) => g.value)).toEqual(["referral", "search_ads"]);
    expect(await textOf(page, "group-referral-first_investment_rate")).toBe("46.0%138 of 300");
    expect(await textOf(page, "group-search_ads-first_investment_rate")).toBe("31.7%95 of 300");
    for (const g of report.groups) {
      expect(await textOf(page, `group-${g.value}-people`)).toBe(count(g.figures.people, "en"));
      for (const k of g.figures.kpis.filter((x) => x.unit === "rate"))
        expect(await textOf(page, `group-${g.value}-${k.id}`)).toBe(
          `${pct(k.value, "en")}${count(k.numerator ?? 0, "en")} of ${count(k.denominator, "en")}`,
        );
    }
    await e.shot("stages");
    expect(e.pageErrors).toEqual([]);
  });
});
