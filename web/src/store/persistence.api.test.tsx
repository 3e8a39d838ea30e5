/**
 * Saving while the API cannot store anything (503 + Retry-After: here its SQLite file is locked by
 * another process; a PostgreSQL restart or a full disk answer the same): the edit stays in the
 * page, the toolbar says so in plain words, and autosave tries again after Retry-After — no reload,
 * nothing lost. Against the real API in a child process, as JourneysPage.api.test.tsx does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { renderHook, waitFor } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_STORAGE } from "../api/client.ts";
import { useEditor } from "./editor.ts";
import { loadJourney, useAutosave, usePersistence } from "./persistence.ts";

const REPO = resolve(import.meta.dirname, "../../..");
let child: ChildProcessWithoutNullStreams;
let lines: Interface;
let dir: string;
let server: { url: string; keys: Record<"publisher", string> };
const realFetch = globalThis.fetch;

/** Sends a command to the harness and waits for its answer line. */
const command = (line: string) =>
  new Promise<string>((ok) => {
    lines.once("line", ok);
    child.stdin.write(`${line}\n`);
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lifeloop-web-save-"));
  const script = join(dir, "serve.mts");
  writeFileSync(
    script,
    `import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { startServer } from ${JSON.stringify(join(REPO, "api/src/testing/harness.ts"))};
const Database = createRequire(${JSON.stringify(join(REPO, "api/package.json"))})("better-sqlite3");
const s = await startServer({
  samples: "draft",
  editorOrigin: ${JSON.stringify(window.location.origin)},
  busyTimeoutMs: 50,
});
console.log(JSON.stringify({ url: s.url, keys: s.keys }));
// Another process's connection (a backup, an operator's sqlite3 shell) holding the write lock.
let other = null;
createInterface({ input: process.stdin })
  .on("line", (line) => {
    if (line === "lock") { other = new Database(s.dbFile); other.exec("BEGIN EXCLUSIVE"); console.log("locked"); }
    if (line === "unlock") { other.exec("ROLLBACK"); other.close(); console.log("unlocked"); }
  })
  .on("close", () => void s.close().then(() => process.exit(0)));
`,
  );
  child = spawn(join(REPO, "node_modules/.bin/tsx"), [script], { cwd: REPO });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
  lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((ok, fail) => {
    lines.once("line", ok);
    child.once("exit", (code) => fail(new Error(`the API harness exited (${code}): ${stderr}`)));
  });
  server = JSON.parse(first) as typeof server;
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) =>
    realFetch(`${server.url}${String(input)}`, init),
  );
  localStorage.setItem(KEY_STORAGE, server.keys.publisher);
}, 60_000);

afterAll(async () => {
  vi.unstubAllGlobals();
  if (child && child.exitCode === null) {
    const exited = new Promise((ok) => child.once("exit", ok));
    child.stdin.end();
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("saving while the API's database is unavailable", () => {
  it("keeps the edit, says so, and saves it after Retry-After without a reload", async () => {
    await loadJourney("win-back");
    // When each save starts: against an unavailable API autosave must wait Retry-After between tries.
    const saves: number[] = [];
    const stop = usePersistence.subscribe((st, prev) => {
      if (st.status === "saving" && prev.status !== "saving") saves.push(performance.now());
    });
    renderHook(() => useAutosave(50));
    expect(await command("lock")).toBe("locked");
    useEditor.getState().patchJourney({ name: "Win-back, edited while the database was locked" });

    await waitFor(() => expect(usePersistence.getState().status).toBe("unavailable"), { timeout: 10_000 });
    const refused = usePersistence.getState();
    expect(refused.retryInMs).toBeGreaterThanOrEqual(1000);
    expect(refused.error).toContain("locked");
    // The edit is still in the page, not saved yet.
    expect(useEditor.getState().doc!.name).toBe("Win-back, edited while the database was locked");
    expect(useEditor.getState().saved!.name).not.toBe("Win-back, edited while the database was locked");

    // Two more tries while it stays locked: each a Retry-After (1 s) after the last, not a burst.
    await waitFor(() => expect(saves.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(saves[2]! - saves[0]!).toBeGreaterThanOrEqual(1900);
    expect(await command("unlock")).toBe("unlocked");
    await waitFor(() => expect(usePersistence.getState().status).toBe("saved"), { timeout: 10_000 });
    const res = await realFetch(`${server.url}/v1/journeys/win-back?read=1`, {
      headers: { authorization: `Bearer ${server.keys.publisher}` },
    });
    expect(((await res.json()) as { document: { name: string } }).document.name).toBe(
      "Win-back, edited while the database was locked",
    );
    stop();
  }, 30_000);
});
