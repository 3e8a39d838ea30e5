/**
 * The open's fit against the canvas's final size, at 1600×1000 in Debian's Chromium against the real
 * API: the editor opens with the inspector beside the canvas, and selecting a node fills it; the
 * journey fitted before the side panel took its width was cut off at the edge (canvas/fit.ts,
 * useFitUntilMoved). Every node's box must be inside the canvas pane's, for each sample journey.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READABLE_TEXT_PX } from "../src/canvas/fit.ts";
import { TEMPLATES } from "../src/pages/newJourney.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
/** The zoom at which a node's 12 px text is READABLE_TEXT_PX on screen. */
const READABLE_ZOOM = READABLE_TEXT_PX / 12;

interface Placed {
  /** Nodes whose box pokes out of the pane's (by more than a pixel), as "id: left → right". */
  outside: string[];
  zoom: number;
  /** The journey's centre less the pane's, in screen pixels. */
  offCentre: number;
}

async function placed(page: Page): Promise<Placed> {
  return page.evaluate(() => {
    const pane = document.querySelector(".react-flow")!.getBoundingClientRect();
    const transform = document.querySelector<HTMLElement>(".react-flow__viewport")?.style.transform ?? "";
    const zoom = Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? Number.NaN);
    const outside: string[] = [];
    let left = Number.POSITIVE_INFINITY;
    let right = Number.NEGATIVE_INFINITY;
    for (const n of document.querySelectorAll<HTMLElement>(".react-flow__node[data-id]")) {
      const b = n.getBoundingClientRect();
      left = Math.min(left, b.left);
      right = Math.max(right, b.right);
      if (b.left < pane.left - 1 || b.top < pane.top - 1 || b.right > pane.right + 1 || b.bottom > pane.bottom + 1)
        outside.push(`${n.dataset.id}: ${Math.round(b.left)} → ${Math.round(b.right)}`);
    }
    return { outside, zoom, offCentre: Math.round((left + right) / 2 - (pane.left + pane.right) / 2) };
  });
}

/**
 * Inside the pane, or (a journey wider than the pane at the readable zoom, which the fit does not
 * shrink past: fit.ts) at that zoom and centred on the pane, cut evenly on both sides.
 */
const fitted = (p: Placed) =>
  p.outside.length === 0 || (Math.abs(p.zoom - READABLE_ZOOM) < 1e-3 && Math.abs(p.offCentre) <= 2);

describe.skipIf(!run)("the open's fit at 1600×1000, with the inspector beside the canvas", () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1600, height: 1000 } });
  });
  afterAll(async () => {
    await e?.close();
  });

  it("keeps every node of every sample inside the canvas, before and after a node is selected", async () => {
    const page = e.page;
    const samples = TEMPLATES.map((t) => t.sampleId);
    expect(samples.length).toBeGreaterThan(3);
    const whole: string[] = [];
    const cut: string[] = [];
    for (const id of samples) {
      await e.open(`#/journeys/${id}`);
      await page.locator(".react-flow__node").first().waitFor();
      await page.locator('[data-testid="side-inspector"]').waitFor();
      await expect.poll(async () => fitted(await placed(page)), { timeout: 5000, message: id }).toBe(true);
      // Selecting a node fills the inspector; the view fits the canvas it leaves.
      const first = page.locator(".react-flow__node[data-id]").first();
      await first.click();
      await page.locator('[data-testid="inspector-node-id"]').waitFor();
      await expect.poll(async () => fitted(await placed(page)), { timeout: 5000, message: id }).toBe(true);
      const p = await placed(page);
      if (p.outside.length === 0) whole.push(id);
      else cut.push(`${id} (${p.outside.join(", ")})`);
      expect(await page.locator(".react-flow__node[data-id]").count(), id).toBeGreaterThan(1);
    }
    console.log(
      `[open-fit] 1600×1000, inspector open: ${whole.length} whole; at the readable zoom, centred: ${cut.join("; ")}`,
    );
    expect(whole.length).toBeGreaterThan(samples.length / 2);
    expect(e.pageErrors).toEqual([]);
  });
});
