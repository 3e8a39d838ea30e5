/**
 * Fields without setup, in Debian's Chromium against the real API and engine, in zh-CN: events the
 * engine's log holds and events the API's preview profiles were fed are offered in the rule builder
 * of a journey whose catalog names neither, and one click adds one to the journey's catalog, which
 * the API then stores. Screenshot: screenshots/observed-fields.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeLine, axeScan } from "./axe.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const ID = "tiered-rebate";
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

describe.skipIf(!run)("fields the workspace has seen, with no setup", () => {
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    e = await startE2E({ engine: true, viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
    page = e.page;
    const ago = (ms: number) => new Date(e.now() - ms).toISOString();
    // The engine sees top-ups (an event no sample declares); the API's profiles were fed shares.
    // The sample's catalog names neither.
    const top_ups = ["a", "b"].map((u, i) => ({
      id: `dep-${u}`,
      userId: `seen-${u}`,
      type: "top_up",
      at: ago(60_000 * (i + 1)),
      props: { amount: 50_000, fee: 120 },
    }));
    const posted = await fetch(`${e.engine!.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(top_ups),
    });
    expect(posted.status).toBe(202);
    const fed = await e.api.call("POST", "/v1/profiles/events", {
      json: [{ id: "sh-1", userId: "seen-a", type: "share", at: ago(30_000), props: { channel: "wechat" } }],
    });
    expect(fed.status, fed.text).toBe(200);
  });
  afterAll(async () => {
    await e?.close();
  });

  it("offers them in the rule builder and adds one to the catalog in one click", async () => {
    await e.open(`#/journeys/${ID}`);
    await byId(page, "node-tier").waitFor();
    await page.locator('[data-testid="canvas"] .react-flow__controls-fitview').click();
    await page.locator('[data-testid="node-tier"] .kind-node__head').click();
    const builder = byId(page, "field-params.branches.0.rule");
    await builder.locator('[data-testid="add-rule"]').first().click();
    const row = builder.locator('[data-testid="rule"]').last();
    const fields = row.locator('[data-testid="fields"]');
    const labels = async () => fields.locator("option").allTextContents();
    // Read once when the editor opened: the engine's top_ups and the profiles' shares.
    await expect.poll(labels, { timeout: 10_000 }).toContain("top_up amount 合计 · 本月");
    expect(await labels()).toContain("share 次数 · 近30天");
    const value = await fields
      .locator("option", { hasText: "top_up amount 合计 · 本月" })
      .first()
      .getAttribute("value");
    await fields.selectOption(value!);
    const add = row.locator('[data-testid="add-to-catalog"]');
    expect(await add.textContent()).toBe("+ 加入数据目录");
    await e.shot("observed-fields");
    const axe = await axeScan(page, "rule builder with a field to add");
    console.log(`[axe] ${axeLine(axe)}`);
    expect(axe.blocking, axe.blocking.join("\n")).toEqual([]);
    await add.click();
    await expect.poll(() => add.count()).toBe(0);
    await byId(page, "saved").waitFor({ timeout: 15_000 });

    const stored = await e.api.call("GET", `/v1/journeys/${ID}`);
    const catalog = stored.body.document.catalog;
    expect(catalog.events.top_up).toEqual({ props: { amount: "number", fee: "number" } });
    // What the journey declared is kept as it was.
    expect(catalog.events.transaction).toMatchObject({ props: { amount: "money" } });
  });
});
