/**
 * Testing on a person, in Debian's Chromium against the real API, in zh-CN: a message previewed for
 * a sample's person shows yuan amounts; a test event for a test person draws their path on the
 * canvas; an older version is restored from the history. axe scans the new panels (0 serious or
 * critical). Screenshot: screenshots/test-person.png.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeLine, axeScan, type AxeFigures } from "./axe.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const ID = "tiered-rebate";
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

describe.skipIf(!run)("testing on a person in Chromium, against the real API", () => {
  let e: E2E;
  let page: Page;
  const figures: AxeFigures[] = [];
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${e.editorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${e.api.publisherKey}`, "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, etag: res.headers.get("etag"), body: (await res.json()) as Record<string, unknown> };
  };
  async function scan(name: string) {
    await page.waitForTimeout(150);
    const f = await axeScan(page, name);
    figures.push(f);
    expect(f.blocking, `${name}:\n${f.blocking.join("\n")}`).toEqual([]);
  }

  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1440, height: 900 } });
    page = e.page;
    await e.open("#/");
    await page.selectOption('[data-testid="lang-switch"]', "zh-CN");
    await e.open(`#/journeys/${ID}`);
    await byId(page, "node-notify_5").waitFor();
  });
  afterAll(async () => {
    if (figures.length) console.log(`[axe] new panels:\n${figures.map(axeLine).join("\n")}`);
    await e?.close();
  });

  it("previews a message for a sample's person, amounts in yuan", async () => {
    await page.locator('[data-testid="canvas"] .react-flow__controls-fitview').click();
    await page.locator('[data-testid="node-notify_5"] .kind-node__head').click();
    await byId(page, "preview-load").click();
    const text = byId(page, "preview-message-text");
    await text.waitFor();
    expect(await text.textContent()).toMatch(/本笔交易返利 5%：¥[\d,]+\.\d\d 已到账/);
    expect(await byId(page, "preview-reward").textContent()).toMatch(/^其最近一次奖励：¥[\d,]+\.\d\d$/);
    await scan("inspector with preview");
  });

  it("sends a test event and sees the path highlighted", async () => {
    await byId(page, "btn-test-event").click();
    await byId(page, "test-event-prop-amount").fill("12000");
    await byId(page, "test-event-prop-amount").blur();
    await byId(page, "test-event-send").click();
    await byId(page, "test-event-timeline").waitFor();
    expect(await byId(page, "test-event-timeline").textContent()).toContain("¥360.00");
    for (const n of ["transaction", "tier", "rebate_3", "notify_3"])
      await expect.poll(() => byId(page, `node-${n}`).getAttribute("class")).toContain("kind-node--path");
    expect(await byId(page, "node-rebate_5").getAttribute("class")).not.toContain("kind-node--path");
    expect(await page.locator(".react-flow__edge.edge--path").count()).toBeGreaterThanOrEqual(3);
    await e.shot("test-person");
    await scan("test event panel");
  });

  it("restores an older version from the history", async () => {
    expect((await api("POST", `/v1/journeys/${ID}/publish`, { note: "first tiers" })).status).toBe(201);
    const detail = await api("GET", `/v1/journeys/${ID}`);
    const doc = detail.body.document as { name: string };
    const original = doc.name;
    const saved = await api(
      "PUT",
      `/v1/journeys/${ID}/draft`,
      { ...doc, name: "秋季返利" },
      { "if-match": detail.etag! },
    );
    expect(saved.status).toBe(200);
    expect((await api("POST", `/v1/journeys/${ID}/publish`, { note: "秋季改名" })).status).toBe(201);
    await e.open(`#/journeys/${ID}`);
    await expect.poll(() => byId(page, "journey-name").inputValue()).toBe("秋季返利");
    await byId(page, "btn-history").click();
    expect(await byId(page, "history-v2").textContent()).toContain("秋季改名");
    await scan("history panel");
    await byId(page, "history-restore-1").click();
    await byId(page, "history-restore-dialog").waitFor();
    await scan("restore dialog");
    await byId(page, "history-restore-confirm").click();
    await expect.poll(() => byId(page, "journey-name").inputValue()).toBe(original);
    expect(e.pageErrors).toEqual([]);
  });
});
