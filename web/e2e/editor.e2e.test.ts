/**
 * The editor end to end, in Debian's Chromium against the real API and the real engine sidecar on
 * loopback: build the "no first investment within 24 h → newcomer gift + push" journey from a blank
 * canvas by drag and drop, connect it, configure each node, see a problem and fix it, save, publish,
 * export the file, import it back, run a simulation and read its counts, then read live counts from
 * the engine on the canvas. Money is typed and read in yuan (the document keeps fen). Screenshots of the main screens
 * go to screenshots/ (listed in the README).
 *
 * The steps share one browser page and run in order; each one starts where the previous left off.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, connect, dropFromPalette, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const ID = "newcomer-e2e";
/** Every sample journey file: the product loads them all, so the count below follows the folder. */
const SAMPLE_JOURNEYS = readdirSync(new URL("../../samples/journeys/", import.meta.url)).filter((f) =>
  f.endsWith(".json"),
).length;

const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** The canvas's own "fit view" control: every node in view (and so rendered and clickable). */
async function fitView(page: Page) {
  await page.locator('[data-testid="canvas"] .react-flow__controls-fitview').click();
  await page.waitForTimeout(150);
}

/** Selects a node on the canvas (a click on its title bar) and waits for the inspector to show it. */
async function inspect(page: Page, nodeId: string) {
  await page.locator(`[data-testid="node-${nodeId}"] .kind-node__head`).click();
  await expect.poll(() => byId(page, "inspector-node-id").textContent()).toBe(nodeId);
}

/** Types into an inspector field (`field-params.…`), replacing what is there. */
async function fill(page: Page, field: string, value: string) {
  const input = byId(page, `field-${field}`);
  await input.fill(value);
  await input.blur();
}

describe.skipIf(!run)("the editor in Chromium, against the real API and engine", () => {
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    e = await startE2E({ engine: true });
    page = e.page;
  });
  afterAll(async () => {
    await e?.close();
  });

  it("lists the sample journeys (loaded as drafts) and opens one on the canvas", async () => {
    await e.open("#/");
    await byId(page, "journey-row-activation-newcomer-gift").waitFor();
    expect(await page.locator('[data-testid^="journey-row-"]').count()).toBe(SAMPLE_JOURNEYS);
    await e.shot("01-journeys");
    await byId(page, "journey-row-activation-newcomer-gift").click();
    await byId(page, "node-wait_invest").waitFor();
    expect(await page.locator(".react-flow__node").count()).toBe(6);
    await e.shot("02-editor-sample");
  });

  it("creates a blank journey from the list", async () => {
    await e.open("#/");
    await byId(page, "btn-new-journey").click();
    await byId(page, "new-journey-dialog").waitFor();
    await byId(page, "new-blank").click();
    await byId(page, "field-name").fill("Newcomer gift (e2e)");
    await byId(page, "field-id").fill(ID);
    await byId(page, "field-timeZone").fill("Asia/Shanghai");
    await e.shot("03-new-journey");
    await byId(page, "btn-create").click();
    await byId(page, "canvas").waitFor();
    // A blank journey is one trigger on an empty canvas, not opened in error: nothing is red, the
    // problems bar says what to do next.
    await byId(page, "node-trigger").waitFor();
    expect(await page.locator(".react-flow__node").count()).toBe(1);
    await expect.poll(() => byId(page, "problems-errors").getAttribute("data-begun")).toBe("true");
    expect(await byId(page, "node-trigger").getAttribute("data-state")).toBe("ok");
    const stored = await e.api.call("GET", `/v1/journeys/${ID}`);
    expect(stored.status).toBe(200);
  });

  it("drops the other five nodes from the palette and connects the branches", async () => {
    const box = (await byId(page, "canvas").boundingBox())!;
    // Fractions of the canvas, so every node stays in view (the canvas renders only what is visible).
    const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
    // The blank journey's trigger sits in the middle: two above it, one to its right, two below —
    // nothing in the bottom-right corner, where the minimap is drawn over the canvas.
    const drops: Array<[kind: string, fx: number, fy: number]> = [
      ["wait", 0.1, 0.08],
      ["goal", 0.6, 0.08],
      ["exit", 0.76, 0.45],
      ["reward", 0.04, 0.8],
      ["message", 0.38, 0.8],
    ];
    for (const [kind, fx, fy] of drops) {
      await dropFromPalette(page, kind, at(fx, fy));
      // A dropped node's id comes from its kind.
      await byId(page, `node-${kind}`).waitFor();
    }
    expect(await page.locator(".react-flow__node").count()).toBe(6);
    await expect.poll(() => byId(page, "unsaved").count()).toBe(1);
    await fitView(page);

    await connect(page, { node: "trigger", handle: "next" }, { node: "wait" });
    await connect(page, { node: "reward", handle: "next" }, { node: "message" });
    await connect(page, { node: "message", handle: "next" }, { node: "exit" });
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(3);
  });

  it("configures each node in the inspector, shows the missing timeout as a problem, and takes the fix", async () => {
    await inspect(page, "trigger");
    await fill(page, "params.event", "registered");
    await expect.poll(() => page.locator('[data-testid="node-trigger"]').textContent()).toContain("registered");

    await inspect(page, "wait");
    await byId(page, "field-params.mode").selectOption("event");
    await fill(page, "params.event", "first_investment");
    // Waiting for an event starts with a 24 h timeout; without one, people who never invest would
    // wait forever.
    expect(await byId(page, "field-params.timeout").inputValue()).toBe("24h");
    await fill(page, "params.timeout", "");
    const timeoutProblem = page.locator('[data-testid="problem"][data-code="wait_without_timeout"][data-node="wait"]');
    await timeoutProblem.waitFor();
    await expect.poll(() => page.locator('[data-testid="node-wait"]').getAttribute("data-state")).toBe("invalid");
    await e.shot("04-problem");
    await fill(page, "params.timeout", "24h");
    await timeoutProblem.waitFor({ state: "detached" });

    // With the event mode the wait has two branches: the investment (event) and the timeout.
    await connect(page, { node: "wait", handle: "event" }, { node: "goal" });
    await connect(page, { node: "wait", handle: "timeout" }, { node: "reward" });
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(5);

    await inspect(page, "goal");
    await fill(page, "params.name", "activated_24h");

    await inspect(page, "reward");
    await byId(page, "field-params.reward.type").selectOption("coupon");
    await fill(page, "params.reward.code", "NEWCOMER_GIFT");
    // The value in yuan, the workspace's currency: "20" is ¥20.00 (kept as 2000 fen) and the currency is CNY.
    await fill(page, "params.reward.value", "20");
    expect(await byId(page, "field-params.reward.currency").inputValue()).toBe("CNY");
    expect(await byId(page, "field-params.reward.value-unit").textContent()).toBe("¥");
    expect(await byId(page, "field-params.reward.value").inputValue()).toBe("20.00");
    // More decimals than the yuan has: said beside the field, nothing written.
    await byId(page, "field-params.reward.value").fill("20.555");
    await byId(page, "typed-error-params.reward.value").waitFor();
    await fill(page, "params.reward.value", "20");
    await expect.poll(() => byId(page, "node-reward").textContent()).toContain("¥20.00");

    await inspect(page, "message");
    await fill(page, "params.template.title", "Your newcomer gift");
    await fill(
      page,
      "params.template.body",
      "Hi {{profile.nickname | there}}, here is {{reward.amount | money}} for your first investment: {{reward.code}}",
    );

    await inspect(page, "exit");
    await fill(page, "params.reason", "gift_sent");
    await e.shot("05-inspector");

    await expect
      .poll(() =>
        page.locator('[data-testid="problem"][data-severity="error"], [data-testid="problem"].problem--error').count(),
      )
      .toBe(0);
    await expect.poll(() => byId(page, "problems-errors").textContent()).toMatch(/^0\b/);
  });

  it("lays the journey out automatically, and undoes and redoes that", async () => {
    // A node's place in flow coordinates, as React Flow renders it.
    const place = () =>
      page.locator('.react-flow__node[data-id="exit"]').evaluate((el) => (el as HTMLElement).style.transform);
    const drawn = await place();
    await byId(page, "btn-layout").click();
    await expect.poll(place).not.toBe(drawn);
    const laidOut = await place();
    await byId(page, "btn-undo").click();
    await expect.poll(place).toBe(drawn);
    await byId(page, "btn-redo").click();
    await expect.poll(place).toBe(laidOut);
    await fitView(page);
  });

  it("saves the draft: the API holds the journey as drawn", async () => {
    await byId(page, "btn-save").click();
    await byId(page, "saved").waitFor();
    const stored = await e.api.call("GET", `/v1/journeys/${ID}`);
    const doc = stored.body.draft ?? stored.body.document ?? stored.body;
    const nodes = doc.nodes as Array<{ id: string; kind: string; params: Record<string, any> }>;
    expect(nodes.map((n) => n.kind).sort()).toEqual(["exit", "goal", "message", "reward", "trigger", "wait"]);
    expect(nodes.find((n) => n.id === "wait")!.params).toMatchObject({
      mode: "event",
      event: "first_investment",
      timeout: "24h",
    });
    // Typed as 20 yuan, kept as 2000 fen; a reward gives once per person unless told otherwise.
    expect(nodes.find((n) => n.id === "reward")!.params).toMatchObject({
      reward: { type: "coupon", code: "NEWCOMER_GIFT", currency: "CNY", value: 2000 },
      cap: { count: 1, period: "lifetime" },
    });
    const edges = (doc.edges as Array<{ source: string; sourceHandle: string; target: string }>)
      .map((x) => `${x.source}.${x.sourceHandle}→${x.target}`)
      .sort();
    expect(edges).toEqual([
      "message.next→exit",
      "reward.next→message",
      "trigger.next→wait",
      "wait.event→goal",
      "wait.timeout→reward",
    ]);
  });

  it("publishes version 1", async () => {
    await byId(page, "btn-publish").click();
    await byId(page, "publish-dialog").waitFor();
    await byId(page, "publish-valid").waitFor();
    // The worst case, in yuan: one ¥20 coupon per entry and per person.
    expect(await byId(page, "publish-cost").textContent()).toContain("¥20.00");
    await byId(page, "publish-note").fill("first version, from the e2e test");
    await e.shot("06-publish");
    await byId(page, "publish-confirm").click();
    await byId(page, "publish-result").waitFor();
    const versions = await e.api.call("GET", `/v1/journeys/${ID}/versions`);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    await byId(page, "publish-close").click();
    await expect.poll(() => byId(page, "journey-status").textContent()).toContain("v1");
  });

  let exported = "";
  it("exports the journey file", async () => {
    await byId(page, "btn-export").click();
    await byId(page, "export-menu").waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), byId(page, "export-version-1").click()]);
    expect(download.suggestedFilename()).toBe(`${ID}.v1.json`);
    exported = readFileSync((await download.path())!, "utf8");
    const file = JSON.parse(exported);
    expect(file).toMatchObject({ schemaVersion: 1, id: ID, name: "Newcomer gift (e2e)" });
    expect(file.nodes).toHaveLength(6);
    expect(file.edges).toHaveLength(5);
  });

  it("imports the file back as a new journey under a fresh id", async () => {
    await byId(page, "import-file").setInputFiles({
      name: `${ID}.v1.json`,
      mimeType: "application/json",
      buffer: Buffer.from(exported),
    });
    await byId(page, "import-notice").waitFor();
    expect(await byId(page, "import-notice").textContent()).toContain(`${ID}-2`);
    const copy = await e.api.call("GET", `/v1/journeys/${ID}-2`);
    expect(copy.status).toBe(200);
    await e.shot("07-import");
  });

  it("simulates the sample stream and shows the counts the API computes", async () => {
    await e.open(`#/journeys/${ID}`);
    await byId(page, "node-wait").waitFor();
    await byId(page, "btn-simulate").click();
    await byId(page, "simulate-panel").waitFor();
    await byId(page, "simulate-sample").selectOption("activation-newcomer-gift");
    await byId(page, "simulate-run").click();
    await byId(page, "simulate-result").waitFor();
    // The same replay asked of the API directly: the panel must show its numbers.
    const direct = await e.api.call("POST", `/v1/journeys/${ID}/simulate`, {
      json: { sample: "activation-newcomer-gift" },
    });
    expect(direct.status, direct.text).toBe(200);
    const summary = (
      direct.body.summary as Array<{
        journeyId: string;
        entered: number;
        converted: number;
        nodes: Record<string, { arrived: number }>;
      }>
    ).find((s) => s.journeyId === ID)!;
    expect(summary.entered).toBe(4); // four people register in the sample stream
    expect(await byId(page, "sim-entered").textContent()).toBe(String(summary.entered));
    expect(await byId(page, "sim-converted").textContent()).toBe(String(summary.converted));
    for (const node of ["wait", "goal", "reward", "message", "exit"]) {
      expect(await byId(page, `sim-node-count-${node}`).textContent(), node).toBe(
        String(summary.nodes[node]?.arrived ?? 0),
      );
    }
    await byId(page, `figures-reward`).waitFor();
    // What it cost, and what one rewarded person was given and told, in yuan.
    expect(await byId(page, "sim-cost-CNY").textContent()).toMatch(/¥\d+\.00/);
    const effects = direct.body.effects as Array<{ kind: string; journeyId: string; userId: string }>;
    const rewarded = effects.find((x) => x.kind === "reward" && x.journeyId === ID)!.userId;
    await byId(page, `sim-user-${rewarded}`).click();
    await byId(page, "sim-timeline").waitFor();
    const timeline = await byId(page, "sim-timeline").textContent();
    expect(timeline).toContain("Granted ¥20.00");
    expect(timeline).toContain("here is ¥20.00 for your first investment: NEWCOMER_GIFT");
    await e.shot("08-simulate");
  });

  it("shows live counts from the engine on the canvas", async () => {
    const engine = e.engine!;
    // The engine pulls the published version from the API's feed.
    await expect
      .poll(async () => (await fetch(`${engine.url}/v1/journeys/${ID}/stats`)).status, { timeout: 15_000 })
      .toBe(200);
    // On the clock the API and the engine share: three people register two minutes ago, one has invested since.
    const ago = (ms: number) => new Date(e.now() - ms).toISOString();
    const events = ["a", "b", "c"].map((u) => ({
      id: `reg-${u}`,
      userId: `live-${u}`,
      type: "registered",
      at: ago(120_000),
      props: {},
    }));
    events.push({ id: "inv-a", userId: "live-a", type: "first_investment", at: ago(60_000), props: {} });
    const posted = await fetch(`${engine.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(posted.status).toBe(202);
    await byId(page, "btn-stats").click();
    await byId(page, "stats-panel").waitFor();
    await expect.poll(() => byId(page, "stats-entered").textContent(), { timeout: 15_000 }).toBe("3");
    expect(await byId(page, "stats-active").textContent()).toBe("2");
    expect(await byId(page, "stats-node-at-wait").textContent()).toBe("2");
    expect(await byId(page, "stats-node-visits-goal").textContent()).toBe("1");
    await byId(page, "figures-wait").waitFor();
    await e.shot("09-stats");
  });

  it("shows the help with the keyboard shortcuts", async () => {
    await byId(page, "btn-help").click();
    await byId(page, "help").waitFor();
    await e.shot("10-help");
    await byId(page, "help").locator("header button, button").first().click();
    await byId(page, "help").waitFor({ state: "detached" });
  });

  it("switches the editor to Chinese", async () => {
    await byId(page, "lang-switch").selectOption("zh-CN");
    await expect.poll(() => byId(page, "btn-publish").textContent()).not.toBe("Publish");
    await e.shot("11-editor-zh");
    await byId(page, "lang-switch").selectOption("en");
  });

  it("ran with the page quiet: no uncaught errors, no console errors", () => {
    expect(e.pageErrors).toEqual([]);
  });
});
