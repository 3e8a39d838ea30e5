/**
 * End-to-end harness: the real API on a temp SQLite file (samples loaded as drafts), optionally the
 * real engine sidecar pulling the API's feed, the editor built once with vite and served by vite's
 * preview server with its proxy pointed at them, and Debian's Chromium driven by playwright-core.
 * Nothing is mocked. Used by the e2e tests (web/e2e/*.e2e.test.ts) and the canvas benchmark.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type TestServer } from "@lifeloop/api/testing";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import { parseLevelsSetting } from "@lifeloop/shared";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { proxyTargets } from "../vite.config.ts";

export const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const SCREENSHOTS_DIR = join(REPO_DIR, "screenshots");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Whether the browser tests can run. On CI (CI=true) a missing Chromium is an error: the tests fail,
 * they are never skipped quietly. Elsewhere they are skipped with a warning that says how to fix it.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message =
    `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y ` +
    `--no-install-recommends chromium; .ci/run does this) or set CHROMIUM_PATH.`;
  if (process.env.CI === "true")
    throw new Error(`[e2e] ${message} CI=true, so the end-to-end tests fail instead of being skipped.`);
  console.warn(`\n${"!".repeat(100)}\n[e2e] SKIPPING the browser tests. ${message}\n${"!".repeat(100)}\n`);
  return false;
}

/** Builds the editor once into a temp folder (vite's JS API, web/vite.config.ts). */
export async function buildEditor(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "lifeloop-web-"));
  await build({
    configFile: join(WEB_DIR, "vite.config.ts"),
    root: WEB_DIR,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Serves a built editor with vite preview on a free loopback port, proxying to the given API and engine. */
export async function serveEditor(
  outDir: string,
  targets: { api: string; engine?: string },
): Promise<{ url: string; server: PreviewServer }> {
  const proxy = proxyTargets({
    LIFELOOP_API_URL: targets.api,
    LIFELOOP_ENGINE_URL: targets.engine ?? "http://127.0.0.1:9",
  });
  const server = await preview({
    configFile: join(WEB_DIR, "vite.config.ts"),
    root: WEB_DIR,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false, proxy },
  });
  const address = server.httpServer.address() as AddressInfo | null;
  if (!address || typeof address === "string") throw new Error("vite preview did not report a port");
  return { url: `http://127.0.0.1:${address.port}`, server };
}

export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (e) {
    throw new Error(`could not start Chromium at ${CHROMIUM_PATH}: ${(e as Error).message}`);
  }
}

export interface E2E {
  api: TestServer;
  engine: Sidecar | null;
  /** The instant the API and the engine take as now (the API harness's injected clock), in epoch ms. */
  now(): number;
  editorUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw (console.error, pageerror): tests assert there are none. */
  pageErrors: string[];
  /**
   * Opens the editor at a hash route (`#/`, `#/journeys/<id>`) with the API's publisher key in the fragment (as npm
   * start opens it).
   */
  open(route?: string): Promise<void>;
  /** Writes screenshots/<name>.png and returns its path. */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface E2EOptions {
  /** Start the engine sidecar too, pulling published journeys from the API (for the stats overlay). */
  engine?: boolean;
  viewport?: { width: number; height: number };
  /** The browser's language (navigator.language), e.g. "zh-CN": the editor opens in it. */
  locale?: string;
  /** The API with the samples' growth levels (samples/levels.json as LIFELOOP_LEVELS). */
  levels?: boolean;
}

const ENGINE_KEY = "llk_engine_e2e-harness-key";

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    const failures: unknown[] = [];
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        failures.push(e);
      }
    }
    if (failures.length > 0)
      throw new AggregateError(failures, `the e2e harness could not close ${failures.length} part(s)`);
  };
  try {
    const levels = options.levels
      ? { levels: parseLevelsSetting(readFileSync(join(REPO_DIR, "samples/levels.json"), "utf8")) }
      : {};
    const api = await startServer({ samples: "draft", engineKey: ENGINE_KEY, ...levels });
    cleanups.push(() => api.close());
    let engine: Sidecar | null = null;
    if (options.engine) {
      const dir = mkdtempSync(join(tmpdir(), "lifeloop-e2e-engine-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      engine = await startSidecar({
        db: join(dir, "engine.sqlite"),
        host: "127.0.0.1",
        port: 0,
        api: { url: api.url, key: ENGINE_KEY },
        // The API's injected clock: both services agree on now, whatever day the suite runs on.
        now: () => api.clock.now,
        // That clock stands still, so a stats answer cached "for 2 s" would never expire: no cache.
        statsCacheMs: 0,
        feedIntervalMs: 500,
        timerIntervalMs: 500,
        outboxIntervalMs: 500,
        log: () => {},
      });
      const e = engine;
      cleanups.push(() => e.close());
    }
    const outDir = await buildEditor();
    cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
    const served = await serveEditor(outDir, { api: api.url, ...(engine ? { engine: engine.url } : {}) });
    cleanups.push(() => served.server.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1600, height: 1000 },
      acceptDownloads: true,
      ...(options.locale ? { locale: options.locale } : {}),
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      // Chromium logs every 4xx/5xx answer as "Failed to load resource"; the editor handles the ones
      // it expects (a diff before the first version is 409), so those are not the page's errors.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
        pageErrors.push(`console.error: ${m.text()} (${m.location().url})`);
    });
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    return {
      api,
      engine,
      now: () => api.clock.now,
      editorUrl: served.url,
      browser,
      context,
      page,
      pageErrors,
      async open(route = "#/") {
        const hash = route.startsWith("#") ? route.slice(1) : route;
        // A new document each time: the editor reads #key= when it loads, not on a hash change.
        await page.goto("about:blank");
        await page.goto(
          `${served.url}/#key=${encodeURIComponent(api.publisherKey)}${hash ? `&${hash.replace(/^&/, "")}` : ""}`,
        );
        await page.waitForFunction(
          () => window.localStorage.getItem("lifeloop.apiKey") !== null && !window.location.hash.includes("key="),
        );
        if (hash) await page.evaluate((h) => (window.location.hash = h), hash);
      },
      async shot(name) {
        const path = join(SCREENSHOTS_DIR, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Drags a palette item onto the canvas at (x, y) in page pixels with real HTML5 drag events carrying
 * the palette's data type: dragstart on the item, dragover and drop on the canvas.
 */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const transfer = await page.evaluateHandle(() => new DataTransfer());
  await page.dispatchEvent(`[data-testid="palette-${kind}"]`, "dragstart", { dataTransfer: transfer });
  const pane = page.locator('[data-testid="canvas"] .react-flow__pane').first();
  for (const type of ["dragenter", "dragover", "drop"]) {
    await pane.dispatchEvent(type, { dataTransfer: transfer, clientX: at.x, clientY: at.y });
  }
  await page.dispatchEvent(`[data-testid="palette-${kind}"]`, "dragend", { dataTransfer: transfer });
}

/**
 * Waits for the canvas a person would aim at: the draft on screen checked (the problems panel stops
 * saying "checking"). The check runs a moment after each edit and can give a node its "⚠ n problems"
 * line, which pushes the branch handles below it down by a line: a drag aimed at a handle before then
 * presses the node's body instead and moves the node (on a loaded machine, the check lands between
 * reading the handle's place and pressing it).
 */
async function canvasSettled(page: Page): Promise<void> {
  await page.locator('[data-testid="problems"][data-checked]').waitFor();
}

type Box = { x: number; y: number; width: number; height: number };
const sameBox = (a: Box, b: Box) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Where a locator is once it has stood still for two painted frames: a person aims at what stands still. */
async function steadyBox(page: Page, target: Locator, what: string): Promise<Box> {
  let last = await target.boundingBox();
  for (let tries = 0; tries < 50; tries++) {
    await page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
    );
    const now = await target.boundingBox();
    if (last && now && sameBox(last, now)) return now;
    last = now;
  }
  throw new Error(last ? `${what} kept moving` : `no ${what}`);
}

/**
 * Connects a node's source handle (the branch id) to another node with the mouse: released on the
 * other node's target handle, or (`on: "body"`) anywhere on its body, as a person aims, once the
 * canvas has settled (canvasSettled).
 */
export async function connect(
  page: Page,
  from: { node: string; handle: string },
  to: { node: string },
  on: "handle" | "body" = "handle",
): Promise<void> {
  const source = page.locator(
    `[data-testid="node-${from.node}"] .react-flow__handle.source[data-handleid="${from.handle}"]`,
  );
  const target =
    on === "handle"
      ? page.locator(`[data-testid="node-${to.node}"] .react-flow__handle.target`).first()
      : page.locator(`[data-testid="node-${to.node}"]`);
  await canvasSettled(page);
  const a = await steadyBox(page, source, `source handle "${from.handle}" on node ${from.node}`);
  const b = await steadyBox(page, target, `target ${on} on node ${to.node}`);
  // On the body: a point right of the middle, well away from the target handle on its left edge.
  const end =
    on === "handle"
      ? { x: b.x + b.width / 2, y: b.y + b.height / 2 }
      : { x: b.x + b.width * 0.6, y: b.y + b.height * 0.6 };
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + end.x) / 2, (a.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}
