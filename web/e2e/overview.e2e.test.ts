/**
 * The overview band in Debian's Chromium, against the real API: a 400-node journey opens fitted
 * whole, with no node or edge mounted (one bitmap draws them), and a person can still do there what
 * they do on mounted nodes: click a box to select it (the inspector shows it), drag it to move it,
 * delete the selection from the keyboard, find a node by search (the view centres on it and the
 * real nodes mount), and zoom in with a double-click, when the real nodes mount.
 */
import { bigJourney } from "@lifeloop/api/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_HEIGHT, NODE_WIDTH } from "../src/canvas/layout.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const ID = "overview-400";
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

function journey() {
  const doc = bigJourney(400);
  // A 40-column grid, as the canvas benchmark lays it: fitted whole, well inside the overview band.
  doc.nodes.forEach((n, i) => (n.position = { x: 300 * (i % 40), y: 140 * Math.floor(i / 40) }));
  return { ...doc, id: ID, name: "Overview: 400 nodes" };
}

type Placed = { id: string; position: { x: number; y: number } };

/** Where the middle of a node is on the screen, from the viewport's transform and the canvas's place. */
async function screenOf(page: Page, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ p, w, h }) => {
      const viewport = document.querySelector<HTMLElement>(".react-flow__viewport")!;
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(viewport.style.transform)!;
      const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const pane = document.querySelector(".react-flow__pane")!.getBoundingClientRect();
      return { x: pane.left + tx + (p.x + w / 2) * zoom, y: pane.top + ty + (p.y + h / 2) * zoom };
    },
    { p, w: NODE_WIDTH, h: NODE_HEIGHT },
  );
}

const zoomOf = (page: Page) =>
  page
    .locator(".react-flow__viewport")
    .evaluate((el) => Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)![1]));

describe.skipIf(!run)("the overview band, in Chromium against the real API", () => {
  let e: E2E;
  let page: Page;
  const doc = journey();
  const nodes = doc.nodes as unknown as Placed[]; // bigJourney's nodes are records: the fields read here
  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1440, height: 900 } });
    page = e.page;
    const created = await e.api.call("POST", "/v1/journeys", { json: doc });
    expect(created.status, created.text).toBe(201);
  });
  afterAll(async () => {
    await e?.close();
  });

  it("opens the whole journey on one bitmap, no node or edge mounted", async () => {
    await e.open(`#/journeys/${ID}`);
    await page.locator('.canvas--overview [data-testid="canvas-overview"][data-nodes="400"]').waitFor();
    expect(await page.locator(".react-flow__node, .react-flow__edge").count()).toBe(0);
    expect(await byId(page, "canvas-overview").getAttribute("data-edges")).toBe(String(doc.edges.length));
    expect(await zoomOf(page)).toBeLessThan(0.2);
  });

  it("a click on a box selects its node, and the inspector shows it", async () => {
    const target = nodes[45]!;
    const at = await screenOf(page, target.position);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => byId(page, "canvas-overview").getAttribute("data-selected")).toBe(target.id);
    expect(await byId(page, "inspector-node-id").textContent()).toBe(target.id);
    // A click on no box (below the journey) clears it.
    const pane = (await page.locator(".react-flow__pane").boundingBox())!;
    await page.mouse.click(pane.x + pane.width / 2, pane.y + pane.height - 40);
    await expect.poll(() => byId(page, "canvas-overview").getAttribute("data-selected")).toBe("");
  });

  it("a box dragged moves its node, saved where it was let go", async () => {
    const target = nodes[47]!;
    const at = await screenOf(page, target.position);
    const zoom = await zoomOf(page);
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x + 20, at.y + 30, { steps: 5 });
    await page.mouse.up();
    await byId(page, "btn-save").click();
    await byId(page, "saved").waitFor();
    const saved = (await e.api.call("GET", `/v1/journeys/${ID}`)).body.document as { nodes: Placed[] };
    const moved = saved.nodes.find((n) => n.id === target.id)!.position;
    // 20 and 30 screen pixels at the overview's zoom, rounded to whole flow units by the store.
    expect(moved.x - target.position.x).toBeCloseTo(20 / zoom, -1);
    expect(moved.y - target.position.y).toBeCloseTo(30 / zoom, -1);
    // It was selected by the press, and the keyboard deletes the selection.
    expect(await byId(page, "canvas-overview").getAttribute("data-selected")).toBe(target.id);
    await page.keyboard.press("Delete");
    await page.locator('[data-testid="canvas-overview"][data-nodes="399"]').waitFor();
  });

  it("search finds a node and centres the view on it, where the real nodes mount", async () => {
    const target = nodes[210]!;
    await byId(page, "canvas-search").fill(target.id);
    await byId(page, "canvas-search").press("Enter");
    const node = byId(page, `node-${target.id}`);
    await node.waitFor();
    expect(await zoomOf(page)).toBeGreaterThan(0.35);
    const box = (await node.boundingBox())!;
    const pane = (await page.locator(".react-flow__pane").boundingBox())!;
    expect(Math.abs(box.x + box.width / 2 - (pane.x + pane.width / 2))).toBeLessThan(40);
    expect(await node.getAttribute("class")).toContain("kind-node--selected");
  });

  it("a double-click zooms in from the overview, and the nodes under it mount", async () => {
    await page.locator('[data-testid="canvas"] .react-flow__controls-fitview').click();
    await page.locator('.canvas--overview [data-testid="canvas-overview"]').waitFor();
    const before = await zoomOf(page);
    const at = await screenOf(page, nodes[100]!.position);
    for (let i = 0; i < 3 && (await zoomOf(page)) < 0.2; i++) {
      await page.mouse.dblclick(at.x, at.y);
      await page.waitForTimeout(400); // React Flow's double-click zoom animates
    }
    expect(await zoomOf(page)).toBeGreaterThan(before);
    await page.locator(".react-flow__node").first().waitFor();
    expect(await page.locator('[data-testid="canvas-overview"]').count()).toBe(0);
  });

  it("ran with the page quiet: no uncaught errors", () => {
    expect(e.pageErrors).toEqual([]);
  });
});
