/**
 * The canvas at 1920×1080 in Debian's Chromium, against the real API: opening a journey and
 * auto-laying it out fit it into view at a readable size — a node's text at 11 px or more on screen,
 * for every sample and for a 30-node journey — with the journey centred on the canvas. The minimap
 * folds away by its button, and by itself when a node is dropped where it is drawn.
 */
import { kindOf } from "@lifeloop/shared";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READABLE_TEXT_PX } from "../src/canvas/fit.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "../src/canvas/layout.ts";
import { TEMPLATES } from "../src/pages/newJourney.ts";
import { chromiumAvailable, dropFromPalette, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const BIG = "thirty-nodes";

const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** A chain of 30 nodes, drawn in one long row (9,000 px wide): too big to fit readably at any screen size. */
function thirtyNodes() {
  const nodes = [{ id: "start", kind: "trigger", position: { x: 0, y: 0 }, params: kindOf("trigger")!.defaults() }];
  for (let i = 1; i < 30; i++)
    nodes.push({
      id: `wait_${i}`,
      kind: "wait",
      position: { x: i * 310, y: (i % 3) * 40 },
      params: kindOf("wait")!.defaults(),
    });
  const edges = nodes
    .slice(1)
    .map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, sourceHandle: "next", target: n.id }));
  return {
    schemaVersion: 1,
    id: BIG,
    name: "Thirty nodes",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    nodes,
    edges,
  };
}

interface Fit {
  zoom: number;
  /** A node's body text as drawn, in screen pixels. */
  textPx: number;
  /** How far the journey's centre is from the canvas's centre, in screen pixels. */
  offCentre: { x: number; y: number };
}

/**
 * The canvas's zoom, the text size it gives, and where the journey's centre falls (nodes placed as
 * the API holds them, sized as drawn where they are drawn).
 */
async function fitOf(e: E2E, id: string): Promise<Fit> {
  const doc = (await e.api.call("GET", `/v1/journeys/${id}`)).body.document as {
    nodes: Array<{ id: string; position: { x: number; y: number } }>;
  };
  return e.page.evaluate(
    ({ nodes, w, h }) => {
      const pane = document.querySelector('[data-testid="canvas"] .react-flow')!.getBoundingClientRect();
      const m = /translate\(([-\d.]+)px,\s*([-\d.]+)px\)\s*scale\(([-\d.]+)\)/.exec(
        (document.querySelector(".react-flow__viewport") as HTMLElement).style.transform,
      )!;
      const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const size = (nodeId: string) => {
        const el = document.querySelector(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`) as HTMLElement | null;
        return el ? { w: el.offsetWidth, h: el.offsetHeight } : { w, h };
      };
      const box = nodes.reduce(
        (b, n) => {
          const s = size(n.id);
          return {
            l: Math.min(b.l, n.position.x),
            t: Math.min(b.t, n.position.y),
            r: Math.max(b.r, n.position.x + s.w),
            b: Math.max(b.b, n.position.y + s.h),
          };
        },
        { l: Infinity, t: Infinity, r: -Infinity, b: -Infinity },
      );
      const text = document.querySelector(".kind-node__summary");
      const textPx = (text ? parseFloat(getComputedStyle(text).fontSize) : NaN) * zoom;
      const centre = { x: ((box.l + box.r) / 2) * zoom + tx, y: ((box.t + box.b) / 2) * zoom + ty };
      return { zoom, textPx, offCentre: { x: centre.x - pane.width / 2, y: centre.y - pane.height / 2 } };
    },
    { nodes: doc.nodes, w: NODE_WIDTH, h: NODE_HEIGHT },
  );
}

function expectReadableAndCentred(f: Fit, what: string) {
  expect(f.textPx, `${what}: text at zoom ${f.zoom.toFixed(3)}`).toBeGreaterThanOrEqual(READABLE_TEXT_PX - 0.01);
  expect(Math.abs(f.offCentre.x), `${what}: ${f.offCentre.x.toFixed(0)} px off centre across`).toBeLessThanOrEqual(24);
  expect(Math.abs(f.offCentre.y), `${what}: ${f.offCentre.y.toFixed(0)} px off centre down`).toBeLessThanOrEqual(24);
}

describe.skipIf(!run)("the canvas at 1920×1080, in Chromium against the real API", () => {
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1920, height: 1080 } });
    page = e.page;
    const created = await e.api.call("POST", "/v1/journeys", { json: thirtyNodes() });
    expect(created.status, created.text).toBe(201);
  });
  afterAll(async () => {
    await e?.close();
  });

  async function open(id: string) {
    await e.open(`#/journeys/${id}`);
    await page.locator(".react-flow__node").first().waitFor();
    // fitView runs once the drawn nodes are measured.
    await page.waitForTimeout(300);
  }

  it("opens every sample journey fitted at a readable size, centred", async () => {
    const seen: string[] = [];
    for (const t of TEMPLATES) {
      await open(t.sampleId);
      const f = await fitOf(e, t.sampleId);
      seen.push(
        `${t.sampleId} (${t.nodeCount} nodes): zoom ${f.zoom.toFixed(2)}, text ${f.textPx.toFixed(1)} px, ` +
          `off centre ${f.offCentre.x.toFixed(0)}, ${f.offCentre.y.toFixed(0)} px`,
      );
      expectReadableAndCentred(f, t.sampleId);
    }
    console.log(`[canvas] fit on open at 1920×1080:\n  ${seen.join("\n  ")}`);
  });

  it("a 30-node journey too wide for the screen opens at the readable zoom, centred, not shrunk to fit", async () => {
    await open(BIG);
    const f = await fitOf(e, BIG);
    expectReadableAndCentred(f, "30 nodes on open");
    expect(f.zoom).toBeCloseTo(READABLE_TEXT_PX / 12, 3);
  });

  it("auto-layout and the fit button keep it readable and centred", async () => {
    await byId(page, "btn-layout").click();
    await page.waitForTimeout(600); // the layout's fit animates for 300 ms
    // Saved first: the journey's centre is measured from the positions the API holds.
    await byId(page, "btn-save").click();
    await byId(page, "saved").waitFor();
    expectReadableAndCentred(await fitOf(e, BIG), "30 nodes after auto-layout");
    await page.locator('[data-testid="canvas"] .react-flow__controls-fitview').click();
    await page.waitForTimeout(200);
    expectReadableAndCentred(await fitOf(e, BIG), "30 nodes, fit button");
  });

  it("the minimap folds away by its button and comes back", async () => {
    await open("invite-reward");
    const map = page.locator('[data-testid="canvas"] .react-flow__minimap');
    await map.waitFor();
    await byId(page, "minimap-toggle").click();
    await map.waitFor({ state: "detached" });
    expect(await byId(page, "minimap-toggle").getAttribute("aria-expanded")).toBe("false");
    await byId(page, "minimap-toggle").click();
    await map.waitFor();
  });

  it("a node dropped where the minimap is drawn is not covered: the minimap folds", async () => {
    const map = page.locator('[data-testid="canvas"] .react-flow__minimap');
    const box = (await map.boundingBox())!;
    await dropFromPalette(page, "exit", { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    const dropped = page.locator('[data-testid="node-exit_2"], [data-testid="node-exit"]').last();
    await dropped.waitFor();
    await map.waitFor({ state: "detached" });
    const node = (await dropped.boundingBox())!;
    // Nothing is drawn over the node: the element at its centre is the node itself.
    const top = await page.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest(".react-flow__node")?.getAttribute("data-id") ?? null,
      { x: node.x + node.width / 2, y: node.y + node.height / 2 },
    );
    expect(top).toBe(await dropped.evaluate((el) => el.closest(".react-flow__node")!.getAttribute("data-id")));
  });

  it("ran with the page quiet: no uncaught errors, no console errors", () => {
    expect(e.pageErrors).toEqual([]);
  });
});
