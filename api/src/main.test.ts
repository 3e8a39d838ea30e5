import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
/** Every sample journey file: the product loads them all, so the counts below follow the folder. */
const SAMPLE_JOURNEYS = readdirSync(new URL("../../samples/journeys/", import.meta.url)).filter((f) =>
  f.endsWith(".json"),
).length;

// node --import tsx, not the tsx wrapper: SIGTERM reaches main.ts itself, whose handler closes and exits 0
// (the wrapper, on a loaded machine, was seen exiting 143 before relaying it).
const dir = mkdtempSync(join(tmpdir(), "lifeloop-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs main.ts until it prints its URL; returns what it printed and a way to stop it. */
function start(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ out: string; url: string; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: apiDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`main.ts did not start: ${out}${err}`)), 20_000);
    const stop = () =>
      new Promise<number | null>((done) => {
        child.once("exit", (code) => done(code));
        child.kill("SIGTERM");
      });
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      // The first-start key comes in the same write as the URL line; wait for the whole block.
      if (m && out.endsWith("\n")) {
        clearTimeout(timer);
        resolve({ out, url: m[1]!, stop });
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code}: ${out}${err}`));
    });
  });
}

describe("main.ts", () => {
  const title =
    "on an empty database: migrates, loads the samples, prints a first key once; a restart does neither again";
  it(title, async () => {
    const db = join(dir, "data", "api.sqlite");
    const first = await start(["--port", "0", "--db", db], { LIFELOOP_ENGINE_KEY: "sidecar-key" });
    const key = /\n\s+(ll_[A-Za-z0-9_-]{43})\n/.exec(first.out)?.[1];
    expect(key, first.out).toBeDefined();
    expect(first.out).toContain("loaded the samples: 20 journeys (drafts), 9 segments, 1239 profile events");
    expect(first.out).toContain("It manages keys and nothing else");
    // The first key manages keys only: it makes the publisher key the rest of this test works with.
    expect((await fetch(`${first.url}/v1/journeys`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
    const minted = await fetch(`${first.url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "me", role: "publisher" }),
    });
    expect(minted.status).toBe(201);
    const auth = { authorization: `Bearer ${((await minted.json()) as { key: string }).key}` };
    const list = (await (await fetch(`${first.url}/v1/journeys?limit=100`, { headers: auth })).json()) as {
      items: Array<{ id: string; status: string; problems: { errors: number } }>;
    };
    expect(list.items.map((j) => j.id)).toContain("activation-newcomer-gift");
    expect(list.items).toHaveLength(SAMPLE_JOURNEYS);
    expect(list.items.every((j) => j.status === "draft" && j.problems.errors === 0)).toBe(true);
    const feed = await fetch(`${first.url}/v1/engine/feed`, { headers: { authorization: "Bearer sidecar-key" } });
    expect(feed.status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await start(["--port", "0", "--db", db]);
    expect(second.out).not.toMatch(/ll_|loaded the samples/);
    const again = (await (await fetch(`${second.url}/v1/journeys?limit=100`, { headers: auth })).json()) as {
      items: unknown[];
    };
    expect(again.items).toHaveLength(SAMPLE_JOURNEYS);
    expect(await second.stop()).toBe(0);
  });

  it("prints --help and exits 0; refuses a bad flag with exit 2", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
          cwd: apiDir,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.once("exit", (code) => resolve({ code, out, err }));
      });
    const [help, bad] = await Promise.all([run(["--help"]), run(["--port", "nope"])]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("LIFELOOP_API_DB");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("port must be a number");
  });
});
