/**
 * A test event against the live version, in Debian's Chromium against the real API and engine, in
 * zh-CN: the tiered rebate is published at 3 % over ¥10,000 and its draft then raised to 4 %; a
 * ¥12,000 transaction for a test person sent to the live version is run by the engine (¥360.00, the
 * published 3 %), its path read from the engine's timeline and drawn on the canvas; the same event
 * against the draft pays the draft's ¥480.00. Screenshot: screenshots/live-test-event.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeLine, axeScan } from "./axe.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const ID = "tiered-rebate";
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

describe.skipIf(!run)("a test event against the live version", () => {
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    e = await startE2E({ engine: true, viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    page = e.page;
    // The page's clock is the services' (the API harness's injected instant): the engine refuses
    // events from more than a day after its own now, whatever day the suite runs on.
    await page.clock.setSystemTime(new Date(e.now()));
    const published = await e.api.call("POST", `/v1/journeys/${ID}/publish`, { json: { note: "3 %" } });
    expect(published.status, published.text).toBeLessThan(300);
    // The draft moves on: 4 % from ¥10,000. The live version still pays 3 %.
    const detail = await e.api.call("GET", `/v1/journeys/${ID}`);
    const doc = detail.body.document as { nodes: Array<{ id: string; params: { reward: { bps: number } } }> };
    doc.nodes.find((n) => n.id === "rebate_3")!.params.reward.bps = 400;
    const saved = await e.api.call("PUT", `/v1/journeys/${ID}/draft`, {
      json: doc,
      headers: { "if-match": detail.headers.get("etag")! },
    });
    expect(saved.status, saved.text).toBe(200);
  });
  afterAll(async () => {
    await e?.close();
  });

  it("runs it on the engine and draws the path the live version took", async () => {
    // The engine pulls the published version from the API's feed.
    await expect
      .poll(async () => (await fetch(`${e.engine!.url}/v1/journeys/${ID}/stats`)).status, { timeout: 15_000 })
      .toBe(200);
    await e.open(`#/journeys/${ID}`);
    await byId(page, "node-tier").waitFor();
    await page.locator('[data-testid="canvas"] .react-flow__controls-fitview').click();
    await byId(page, "btn-test-event").click();
    await byId(page, "test-event-target-live").check();
    expect(await byId(page, "test-event-live-note").textContent()).toContain("真实事件");
    await byId(page, "test-event-user").fill("tester-live");
    await byId(page, "test-event-prop-amount").fill("12000");
    await byId(page, "test-event-prop-amount").blur();
    expect(await byId(page, "test-event-send").textContent()).toBe("发送到线上版本");
    await byId(page, "test-event-send").click();
    const timeline = byId(page, "test-event-timeline");
    await timeline.waitFor({ timeout: 15_000 });
    expect(await timeline.textContent()).toContain("¥360.00");
    for (const n of ["transaction", "tier", "rebate_3", "notify_3"])
      await expect.poll(() => byId(page, `node-${n}`).getAttribute("class")).toContain("kind-node--path");
    expect(await byId(page, "node-rebate_5").getAttribute("class")).not.toContain("kind-node--path");
    expect(await page.locator(".react-flow__edge.edge--path").count()).toBeGreaterThanOrEqual(3);
    // The engine granted it: the ledger has the published 3 % for the test person.
    const ledger = await fetch(`${e.engine!.url}/v1/ledger?userId=tester-live`);
    const grants = ((await ledger.json()) as { grants: Array<{ amount: number; version: number }> }).grants;
    expect(grants).toEqual([expect.objectContaining({ amount: 36_000, version: 1 })]);
    await e.shot("live-test-event");
    const axe = await axeScan(page, "test event against the live version");
    console.log(`[axe] ${axeLine(axe)}`);
    expect(axe.blocking, axe.blocking.join("\n")).toEqual([]);

    // The same event against the draft: simulated, at the draft's 4 %.
    await byId(page, "test-event-target-draft").check();
    await byId(page, "test-event-send").click();
    await expect.poll(() => timeline.textContent(), { timeout: 15_000 }).toContain("¥480.00");
  });
});
