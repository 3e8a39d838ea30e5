/**
 * The list page against the real API (the harness's server on a temp SQLite file, the samples
 * loaded as drafts): what the page builds — blank documents, template copies, duplicates — is
 * what the API accepts, and what the API answers is what the page shows.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KEY_STORAGE } from "../api/client.ts";
import { setLang } from "../i18n/index.ts";
import { JourneysPage } from "./JourneysPage.tsx";
import { TEMPLATES } from "./newJourney.ts";

/**
 * The harness runs in a child Node process: in this happy-dom project vite rewrites the API's
 * `new URL(…, import.meta.url)` (how it finds its migrations) into a page-relative URL. happy-dom's
 * fetch applies CORS, so the page's origin is the API's editor origin.
 */
const REPO = resolve(import.meta.dirname, "../../..");
let child: ChildProcessWithoutNullStreams;
let dir: string;
let server: { url: string; keys: Record<"viewer" | "editor" | "publisher", string> };
const realFetch = globalThis.fetch;

let reads = 0;
async function get(path: string): Promise<{ status: number; body: any }> {
  // happy-dom keeps GET responses in its own cache whatever the request's cache mode: a fresh URL per read.
  const res = await realFetch(`${server.url}${path}?read=${++reads}`, {
    headers: { authorization: `Bearer ${server.keys.publisher}` },
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lifeloop-web-list-"));
  const script = join(dir, "serve.mts");
  writeFileSync(
    script,
    `import { startServer } from ${JSON.stringify(join(REPO, "api/src/testing/harness.ts"))};
const s = await startServer({ samples: "draft", editorOrigin: ${JSON.stringify(window.location.origin)} });
console.log(JSON.stringify({ url: s.url, keys: s.keys }));
process.stdin.on("end", () => void s.close().then(() => process.exit(0)));
process.stdin.resume();
`,
  );
  child = spawn(join(REPO, "node_modules/.bin/tsx"), [script], { cwd: REPO });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).once("line", ok);
    child.once("exit", (code) => fail(new Error(`the API harness exited (${code}): ${stderr}`)));
  });
  server = JSON.parse(first) as typeof server;
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((ok) => child.once("exit", ok));
    child.stdin.end();
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("JourneysPage with the real API", () => {
  beforeEach(() => {
    // The page speaks same-origin paths (vite proxies them); here they go to the test server.
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
      realFetch(`${server.url}${String(input)}`, init),
    );
    localStorage.setItem(KEY_STORAGE, server.keys.publisher);
    setLang("en");
    window.location.hash = "#/";
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("lists the samples as drafts with the compiler's counts", async () => {
    render(<JourneysPage />);
    await screen.findByTestId("journey-row-win-back");
    expect(screen.getAllByTestId(/^journey-row-/).length).toBe(TEMPLATES.length);
    for (const tpl of TEMPLATES) {
      expect(screen.getByTestId(`row-status-${tpl.sampleId}`).textContent).toBe("Draft");
      expect(screen.getByTestId(`row-nodes-${tpl.sampleId}`).textContent).toBe(String(tpl.nodeCount));
      expect(screen.queryByTestId(`row-errors-${tpl.sampleId}`)).toBeNull();
    }
  });

  it(
    "creates every template and a blank journey; the API keeps the document; a taken id is refused beside the " +
      "field",
    async () => {
      render(<JourneysPage />);
      await screen.findByTestId("journey-row-win-back");
      for (const tpl of [...TEMPLATES.slice(0, 2), null]) {
        window.location.hash = "#/";
        fireEvent.click(screen.getByTestId("btn-new-journey"));
        const dialog = screen.getByTestId("new-journey-dialog");
        fireEvent.click(within(dialog).getByTestId(tpl ? `template-${tpl.sampleId}` : "new-blank"));
        const id = `made-${tpl?.sampleId ?? "blank"}`;
        fireEvent.change(screen.getByTestId("field-name"), {
          target: { value: `Made from ${tpl?.name ?? "nothing"}` },
        });
        fireEvent.change(screen.getByTestId("field-id"), { target: { value: id } });
        fireEvent.click(screen.getByTestId("btn-create"));
        await waitFor(() => expect(window.location.hash).toBe(`#/journeys/${id}`));
        const stored = await get(`/v1/journeys/${id}`);
        expect(stored.status).toBe(200);
        expect(stored.body.name).toBe(`Made from ${tpl?.name ?? "nothing"}`);
        expect(stored.body.nodeCount).toBe(tpl?.nodeCount ?? 1);
        if (tpl) expect(stored.body.document.nodes).toEqual(tpl.doc.nodes);
        else expect(stored.body.issues.map((i: { code: string }) => i.code)).toEqual(["journey_empty"]);
      }

      fireEvent.click(screen.getByTestId("btn-new-journey"));
      fireEvent.change(screen.getByTestId("field-name"), { target: { value: "Again" } });
      fireEvent.change(screen.getByTestId("field-id"), { target: { value: "made-blank" } });
      fireEvent.click(screen.getByTestId("btn-create"));
      await waitFor(() => expect(screen.getByTestId("error-id").textContent).toMatch(/made-blank.*already exists/));
    },
  );

  it("duplicates and archives through the API", async () => {
    render(<JourneysPage />);
    fireEvent.click(await screen.findByTestId("btn-duplicate-tiers"));
    fireEvent.click(screen.getByTestId("btn-confirm-duplicate"));
    await waitFor(() => expect(window.location.hash).toBe("#/journeys/tiers-copy"));
    const copy = await get("/v1/journeys/tiers-copy");
    expect(copy.body.name).toBe("Customer tiers (copy)");

    fireEvent.click(screen.getByTestId("btn-archive-vip-upgrade"));
    await waitFor(() => expect(screen.queryByTestId("journey-row-vip-upgrade")).toBeNull());
    expect((await get("/v1/journeys/vip-upgrade")).body.status).toBe("archived");

    fireEvent.change(screen.getByTestId("journeys-status"), { target: { value: "archived" } });
    fireEvent.click(await screen.findByTestId("btn-unarchive-vip-upgrade"));
    await waitFor(() => expect(screen.queryByTestId("journey-row-vip-upgrade")).toBeNull());
    expect((await get("/v1/journeys/vip-upgrade")).body.status).toBe("draft");
  });
});
