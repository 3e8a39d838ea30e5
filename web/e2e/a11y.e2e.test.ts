/**
 * Accessibility in Debian's Chromium against the real API: axe-core scans the journeys list, the
 * compliance, redemption catalog, coupon pools and growth levels dialogs, the lifecycle stage page (its 503, then the
 * sample month by channel), the editor with nothing selected and with a node selected, the publish dialog, the
 * simulate panel with a result and the report page with a report, and finds nothing serious or critical on any of
 * them
 * (the figures per page are printed). The dialogs and the export menu are then driven with the
 * keyboard alone: focus goes in and stays in, Escape closes and gives focus back, the page behind
 * is inert, the menu takes the arrow keys.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeLine, axeScan, type AxeFigures } from "./axe.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const SAMPLE = "activation-newcomer-gift";

const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null);
const focusInside = (page: Page, testId: string) =>
  page.evaluate(
    (id) => Boolean(document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement)),
    testId,
  );

describe.skipIf(!run)("accessibility in Chromium, against the real API", () => {
  let e: E2E;
  let page: Page;
  const figures: AxeFigures[] = [];

  /** Scans, keeps the figures for the summary, and fails on anything serious or critical. */
  async function scan(name: string) {
    // Let transitions and late renders settle: axe reads colours as drawn.
    await page.waitForTimeout(150);
    const f = await axeScan(page, name);
    figures.push(f);
    expect(f.blocking, `${name}:\n${f.blocking.join("\n")}`).toEqual([]);
  }

  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1440, height: 900 }, levels: true });
    page = e.page;
    await e.open("#/");
    await page.selectOption('[data-testid="lang-switch"]', "en");
  });
  afterAll(async () => {
    if (figures.length)
      console.log(`[axe] serious and critical findings must be 0; by page:\n${figures.map(axeLine).join("\n")}`);
    await e?.close();
  });

  it("the journeys list", async () => {
    await e.open("#/");
    await byId(page, `journey-row-${SAMPLE}`).waitFor();
    await scan("journeys list");
  });

  it(
    "the new-journey dialog: focus in, Tab kept inside, the page " + "behind inert, Escape closes and focus returns",
    async () => {
      await byId(page, "btn-new-journey").focus();
      await page.keyboard.press("Enter");
      await byId(page, "new-journey-dialog").waitFor();
      expect(await focusedTestId(page)).toBe("field-name");
      await scan("new-journey dialog");
      // Thirty Tabs go round the dialog's controls and never reach the page.
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press("Tab");
        expect(await focusInside(page, "new-journey-dialog"), `Tab ${i + 1}`).toBe(true);
      }
      // The page behind takes no pointer and is hidden from assistive technology.
      expect(await page.evaluate(() => getComputedStyle(document.body).pointerEvents)).toBe("none");
      expect(await page.locator("#root").getAttribute("aria-hidden")).toBe("true");
      await page.keyboard.press("Escape");
      await byId(page, "new-journey-dialog").waitFor({ state: "detached" });
      expect(await focusedTestId(page)).toBe("btn-new-journey");
      expect(await page.locator("#root").getAttribute("aria-hidden")).toBeNull();
    },
  );

  it("the compliance dialog", async () => {
    await byId(page, "btn-policy").click();
    await byId(page, "policy-phrases").waitFor();
    await scan("compliance dialog");
    await page.keyboard.press("Escape");
    await byId(page, "policy-dialog").waitFor({ state: "detached" });
  });

  it("the redemption catalog dialog, with an item", async () => {
    const made = await e.api.call("POST", "/v1/catalog/items", {
      json: {
        id: "fee-waiver",
        name: { en: "Fee waiver", zh: "手续费减免" },
        points: 200,
        stock: 100,
        perPersonLimit: 1,
      },
    });
    expect(made.status, made.text).toBe(201);
    await byId(page, "btn-catalog").click();
    await byId(page, "catalog-item-fee-waiver").waitFor();
    expect(await focusInside(page, "catalog-dialog")).toBe(true);
    await scan("catalog dialog");
    await page.keyboard.press("Escape");
    await byId(page, "catalog-dialog").waitFor({ state: "detached" });
  });

  it("the coupon pools dialog (no engine here: its 503 said in the dialog)", async () => {
    await byId(page, "btn-pools").click();
    await byId(page, "pools-error").waitFor();
    expect(await focusInside(page, "pools-dialog")).toBe(true);
    await scan("coupon pools dialog");
    await page.keyboard.press("Escape");
    await byId(page, "pools-dialog").waitFor({ state: "detached" });
  });

  it("the lifecycle stage page: the 503, then the sample month broken down by channel", async () => {
    await e.open("#/stages");
    await byId(page, "stages-error").waitFor();
    await scan("stages, no engine");
    await byId(page, "stages-simulate").click();
    await byId(page, "stages-report").waitFor();
    await byId(page, "stages-by").selectOption("acquisition_channel");
    await byId(page, "stages-groups").waitFor();
    await scan("stages, by channel");
  });

  it("the growth levels dialog", async () => {
    // The stage page before it navigated away: the dialog opens from the journeys list.
    await e.open("#/");
    await byId(page, "btn-levels").click();
    await byId(page, "levels-table").waitFor();
    expect(await focusInside(page, "levels-dialog")).toBe(true);
    await scan("growth levels dialog");
    await page.keyboard.press("Escape");
    await byId(page, "levels-dialog").waitFor({ state: "detached" });
    expect(await focusedTestId(page)).toBe("btn-levels");
  });

  it("the editor with nothing selected", async () => {
    await e.open(`#/journeys/${SAMPLE}`);
    await byId(page, "node-wait_invest").waitFor();
    await byId(page, "journey-settings").waitFor();
    await scan("editor, nothing selected");
  });

  it("the editor with a node selected", async () => {
    await page.locator('[data-testid="node-wait_invest"] .kind-node__head').click();
    await expect.poll(() => byId(page, "inspector-node-id").textContent()).toBe("wait_invest");
    await scan("editor, a node selected");
  });

  it("the export menu takes the arrow keys and Escape", async () => {
    await byId(page, "btn-export").focus();
    await page.keyboard.press("ArrowDown");
    await byId(page, "export-menu").waitFor();
    await expect.poll(() => focusedTestId(page)).toBe("export-draft");
    await page.keyboard.press("ArrowUp"); // wraps to the last item, or stays when there is one
    expect(await focusInside(page, "export-menu")).toBe(true);
    await page.keyboard.press("Escape");
    await byId(page, "export-menu").waitFor({ state: "detached" });
    expect(await focusedTestId(page)).toBe("btn-export");
  });

  it("the publish dialog", async () => {
    await byId(page, "btn-publish").click();
    await byId(page, "publish-dialog").waitFor();
    await byId(page, "publish-valid").waitFor();
    await byId(page, "diff-first").waitFor();
    expect(await focusInside(page, "publish-dialog")).toBe(true);
    await scan("publish dialog");
    await page.keyboard.press("Escape");
    await byId(page, "publish-dialog").waitFor({ state: "detached" });
    expect(await focusedTestId(page)).toBe("btn-publish");
  });

  it("the simulate panel with a result", async () => {
    await byId(page, "btn-simulate").click();
    await byId(page, "simulate-panel").waitFor();
    await byId(page, "simulate-sample").selectOption(SAMPLE);
    await byId(page, "simulate-run").click();
    await byId(page, "simulate-result").waitFor();
    await scan("simulate panel");
  });

  it("the report page with a report", async () => {
    await e.open("#/journeys/ab-onboarding/report");
    await byId(page, "report-page").waitFor();
    await byId(page, "report-run").click();
    await byId(page, "report-entered").waitFor();
    await scan("report");
  });

  it("ran with the page quiet: no uncaught errors, no console errors", () => {
    expect(e.pageErrors).toEqual([]);
  });
});
