/**
 * The API reference at /docs works with no network beyond the API itself: its script comes from the
 * API (a pinned npm package), not a CDN. Chromium is given no route but the API's origin — every
 * other request is aborted and counted — and the page must still show the API's operations.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "@lifeloop/api/testing";
import type { Browser } from "playwright-core";
import { chromiumAvailable, launchChromium, SCREENSHOTS_DIR } from "./harness.ts";

const run = chromiumAvailable();

describe.skipIf(!run)("/docs offline", () => {
  let api: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    api = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it("renders the reference from the API alone: no request leaves it", async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const origin = new URL(api.url).origin;
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${api.url}/docs`);
    // The document's title and its operation groups and operations, drawn by the reference's script.
    await page.getByRole("heading", { name: "Lifeloop API" }).waitFor({ timeout: 60_000 });
    for (const group of ["journeys", "versions", "segments", "simulation", "reports", "keys"])
      await page.getByText(group, { exact: true }).first().waitFor();
    await page.getByText("Readiness", { exact: true }).first().waitFor();
    expect(errors).toEqual([]);
    expect(elsewhere).toEqual([]);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, "api-docs-offline.png") });
  });
});
