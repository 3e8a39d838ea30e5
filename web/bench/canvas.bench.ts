/**
 * Canvas benchmark, in Debian's Chromium (`pnpm --filter @lifeloop/web bench`, part of `pnpm bench`):
 * the editor built and served as in the e2e harness, against the real API on loopback. For an empty
 * journey and a generated 1,000-node one, in the same run:
 *
 * - load: from navigation start to the journey drawn and the canvas ready for the mouse (its pane
 *   mounted). Drawn is, in the normal and far zoom bands, every node of the journey mounted, measured
 *   and shown; in the overview band (canvas/zoomBand.ts), where the editor opens a 1,000-node journey
 *   fitted into view, no node or edge is mounted and drawn is the overview's bitmap painted with every
 *   node and every edge of the journey (its data-nodes and data-edges). The problems check is not part
 *   of it: it runs once the page is idle after the first picture, and "checked" says when its result
 *   was on screen;
 * - fps while panning: a mouse drag on the canvas pane driven by requestAnimationFrame (one move per
 *   frame) for ~3 s, along a line below the journey (in the overview band a press on a box would move
 *   the box, not the view); frames counted by requestAnimationFrame, plus the slowest frame.
 *
 * Rows: the empty journey (baseline: what the machine gives the editor in this run), the 1,000-node
 * journey all in view as it opens, and the same open wheel-zoomed in to about 100 % (full nodes, a
 * few dozen on screen, others coming into view while panning). The machine may be shared: compare the
 * × empty ratios of one run. Goal: load < 1 s, ≥ 55 fps with 1,000 nodes. A report, not a timed test.
 */
import { rmSync } from "node:fs";
import { bigJourney, startServer } from "@lifeloop/api/testing";
import { buildEditor, CHROMIUM_PATH, launchChromium, serveEditor } from "../e2e/harness.ts";

const NODES = 1000;
const PAN_MS = 3000;
const RUNS = 3;

function journeyOf(nodes: number) {
  if (nodes === 0)
    return {
      schemaVersion: 1,
      id: "bench-empty",
      name: "Bench: empty",
      timeZone: "Asia/Shanghai",
      entry: { reentry: "once" },
      nodes: [],
      edges: [],
    };
  const doc = bigJourney(nodes);
  // A 40-column grid, so the whole journey fits the editor's view on open (zoom ≥ its 0.05 minimum).
  doc.nodes.forEach((n, i) => (n.position = { x: 300 * (i % 40), y: 140 * Math.floor(i / 40) }));
  return { ...doc, id: `bench-${nodes}`, name: `Bench: ${nodes} nodes` };
}

interface Figures {
  zoom: number;
  /** Nodes on screen: mounted ones, or those on the overview's bitmap. */
  drawn: number;
  loadMs: number;
  checkedMs: number;
  rendered: number;
  fps: number;
  worstFrameMs: number;
}

async function main() {
  const api = await startServer({ samples: "off" });
  const outDir = await buildEditor();
  const served = await serveEditor(outDir, { api: api.url });
  const browser = await launchChromium();
  try {
    for (const n of [0, NODES]) {
      const r = await api.call("POST", "/v1/journeys", { json: journeyOf(n) });
      if (r.status !== 201) throw new Error(`could not create the ${n}-node journey: ${r.status} ${r.text}`);
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx compiles this file with esbuild's keepNames, which wraps the functions handed to
    // page.evaluate in __name(…); give the page that helper.
    await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // The key once, in localStorage, so each measured navigation is only the editor loading the journey.
    await page.goto(`${served.url}/#key=${encodeURIComponent(api.publisherKey)}`);
    await page.waitForFunction(() => window.localStorage.getItem("lifeloop.apiKey") !== null);

    /** Opens the journey; the time since navigation start when it is drawn (see the top of the file). */
    const open = async (nodes: number): Promise<number> => {
      await page.goto("about:blank");
      await page.goto(`${served.url}/#/journeys/bench-${nodes === 0 ? "empty" : nodes}`);
      const loaded = await page.waitForFunction(
        ({ n, edges }) => {
          const canvas = document.querySelector('[data-testid="canvas"]');
          if (!canvas?.querySelector(".react-flow__pane")) return false;
          if (canvas.classList.contains("canvas--overview")) {
            const bitmap = canvas.querySelector<HTMLElement>('[data-testid="canvas-overview"]');
            if (bitmap?.dataset.nodes !== String(n) || bitmap.dataset.edges !== String(edges)) return false;
            return performance.now();
          }
          const shown = document.querySelectorAll('.react-flow__node:not([style*="visibility: hidden"])').length;
          return shown >= n ? performance.now() : false;
        },
        { n: nodes, edges: nodes === 0 ? 0 : journeyOf(nodes).edges.length },
        { polling: "raf", timeout: 60_000 },
      );
      return (await loaded.jsonValue()) as number;
    };
    /** Nodes on screen: mounted, or on the overview's bitmap when the canvas is in that band. */
    const drawn = () =>
      page.evaluate(() => {
        const bitmap = document.querySelector<HTMLElement>('.canvas--overview [data-testid="canvas-overview"]');
        return bitmap ? Number(bitmap.dataset.nodes) : document.querySelectorAll(".react-flow__node").length;
      });

    const measure = async (nodes: number, zoomedIn = false): Promise<Figures> => {
      const loadMs = await open(nodes);
      const checked = await page.waitForFunction(
        () => (document.querySelector('[data-testid="problems"][data-checked]') ? performance.now() : false),
        undefined,
        { polling: "raf", timeout: 60_000 },
      );
      const checkedMs = (await checked.jsonValue()) as number;
      const rendered = await page.locator(".react-flow__node").count();
      const drawnOpen = await drawn();
      await page.waitForTimeout(300); // let the open's fitView settle
      if (zoomedIn) {
        // Wheel zoom around the middle of the journey: from the fitted ~7 % to about 100 %, where a
        // screen shows a few dozen nodes and panning brings others in and out of view (and the DOM).
        const paneBox = (await page.locator('[data-testid="canvas"] .react-flow__pane').boundingBox())!;
        await page.mouse.move(paneBox.x + paneBox.width / 2, paneBox.y + paneBox.height / 2);
        const scale = () =>
          page
            .locator(".react-flow__viewport")
            .evaluate((el) => Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)?.[1] ?? "NaN"));
        for (let i = 0; i < 40 && (await scale()) < 0.9; i++) {
          await page.mouse.wheel(0, -200);
          await page.waitForTimeout(60);
        }
        await page.waitForTimeout(300);
      }
      const zoom = await page
        .locator(".react-flow__viewport")
        .evaluate((el) => Number(/scale\(([\d.]+)\)/.exec((el as HTMLElement).style.transform)?.[1] ?? "NaN"));
      if (zoomedIn && !(zoom > 0.5)) throw new Error(`zooming in did not work: the zoom is ${zoom}`);
      if (zoomedIn && (await page.locator(".react-flow__node").count()) === 0)
        throw new Error("zoomed in on an empty part of the canvas: nothing to pan over");
      const pan = await page.evaluate(async (ms) => {
        const pane = document.querySelector('[data-testid="canvas"] .react-flow__pane') as HTMLElement;
        const viewport = document.querySelector(".react-flow__viewport") as HTMLElement;
        const startTransform = viewport.style.transform;
        let moves = 0;
        const box = pane.getBoundingClientRect();
        let x = box.left + box.width / 2;
        // Below the journey (fitted to the width, it is wider than tall): empty canvas in every band.
        const y = box.bottom - 60;
        const opts = (cx: number) => ({
          bubbles: true,
          cancelable: true,
          view: window,
          clientX: cx,
          clientY: y,
          button: 0,
          buttons: 1,
        });
        pane.dispatchEvent(new MouseEvent("mousedown", opts(x)));
        let frames = 0;
        let worst = 0;
        let dir = 1;
        const start = performance.now();
        let last = start;
        await new Promise<void>((done) => {
          const tick = (t: number) => {
            frames++;
            worst = Math.max(worst, t - last);
            last = t;
            // Continuous pan: 6 px a frame, turning back at the pane's edges.
            x += 6 * dir;
            if (x > box.right - 40 || x < box.left + 40) dir = -dir;
            window.dispatchEvent(new MouseEvent("mousemove", opts(x)));
            if (viewport.style.transform !== startTransform) moves++;
            if (t - start < ms) requestAnimationFrame(tick);
            else done();
          };
          requestAnimationFrame(tick);
        });
        window.dispatchEvent(new MouseEvent("mouseup", opts(x)));
        const elapsed = last - start;
        return { fps: (frames - 1) / (elapsed / 1000), worst, moves, frames };
      }, PAN_MS);
      // The drag really moved the canvas: a pan that does nothing would measure nothing.
      if (pan.moves < pan.frames / 2)
        throw new Error(`the pan moved the canvas in only ${pan.moves} of ${pan.frames} frames`);
      return {
        zoom,
        loadMs,
        checkedMs,
        rendered: zoomedIn ? await page.locator(".react-flow__node").count() : rendered,
        drawn: zoomedIn ? await drawn() : drawnOpen,
        fps: pan.fps,
        worstFrameMs: pan.worst,
      };
    };

    const results: Record<number, Figures[]> = { 0: [], [NODES]: [], [-NODES]: [] };
    const transformBefore = async () => page.locator(".react-flow__viewport").getAttribute("style");
    for (let i = 0; i < RUNS; i++) {
      for (const n of [0, NODES]) {
        const f = await measure(n);
        if (n > 0 && f.drawn < n) throw new Error(`only ${f.drawn} of ${n} nodes were drawn`);
        results[n]!.push(f);
      }
      results[-NODES]!.push(await measure(NODES, true));
    }
    // And a real mouse drag pans too (the measured pan above uses synthetic events, one per frame).
    await open(NODES);
    await page.waitForTimeout(300);
    const before = await transformBefore();
    const pane = page.locator('[data-testid="canvas"] .react-flow__pane');
    const b = (await pane.boundingBox())!;
    // Below the journey (it is wider than tall, fitted to the width), left of the minimap.
    await page.mouse.move(b.x + b.width / 2, b.y + b.height - 60);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + 120, b.y + b.height - 100, { steps: 5 });
    await page.mouse.up();
    const after = await transformBefore();
    if (before === after) throw new Error(`panning did not move the canvas (transform stayed ${before})`);
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join("; ")}`);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const row = (n: number) => {
      const rs = results[n]!;
      return {
        zoom: median(rs.map((r) => r.zoom)),
        load: median(rs.map((r) => r.loadMs)),
        checked: median(rs.map((r) => r.checkedMs)),
        fps: median(rs.map((r) => r.fps)),
        worst: median(rs.map((r) => r.worstFrameMs)),
        rendered: rs[0]!.rendered,
        drawn: rs[0]!.drawn,
      };
    };
    const empty = row(0);
    const big = row(NODES);
    const close = row(-NODES);
    const fmt = (x: number, d = 0) => x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
    console.log(
      `\nCanvas benchmark — Chromium ${browser.version()} (${CHROMIUM_PATH}), headless, ${RUNS} runs each, ` +
        `medians; pan ${PAN_MS / 1000} s of one rAF-driven drag\n`,
    );
    console.log(
      "| canvas | zoom | nodes drawn (in the DOM) | load (navigation → journey drawn) | problems checked " +
        "| fps while panning | × empty | slowest frame |",
    );
    console.log("| --- | --: | --: | --: | --: | --: | --: | --: |");
    const line = (name: string, r: ReturnType<typeof row>, zoomDigits: number, ratios: boolean) =>
      `| ${name} | ${fmt(r.zoom * 100, zoomDigits)} % | ${r.drawn} (${r.rendered}) ` +
      `| ${fmt(r.load)} ms${ratios ? ` (${fmt(r.load / empty.load, 2)}× empty)` : ""} | ${fmt(r.checked)} ms ` +
      `| ${fmt(r.fps, 1)} | ${fmt(r.fps / empty.fps, 2)}× | ${fmt(r.worst, 1)} ms |`;
    console.log(line("empty journey (baseline)", empty, 0, false));
    console.log(line(`${fmt(NODES)}-node journey, all in view`, big, 1, true));
    console.log(line(`${fmt(NODES)}-node journey, zoomed in (the same open)`, close, 0, true));
    console.log(
      `\nGoals with ${fmt(NODES)} nodes: load < 1 s — ${big.load < 1000 ? "met" : "NOT met"}; ≥ 55 fps ` +
        `panning — all in view: ${big.fps >= 55 ? "met" : "NOT met"}, zoomed ` +
        `in: ${close.fps >= 55 ? "met" : "NOT met"}.`,
    );
    await context.close();
  } finally {
    await browser.close();
    await served.server.close();
    await api.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error("canvas bench failed:", e);
    process.exit(1);
  },
);
