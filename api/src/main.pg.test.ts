/**
 * main.ts with DATABASE_URL=postgres://…: migrates the API's tables there, loads the samples, serves; a restart finds
 * them.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDatabase } from "@lifeloop/engine/testing";
import { postgresForThisFile } from "./testing/postgres.ts";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
/** Every sample journey file: the product loads them all, so the count below follows the folder. */
const SAMPLE_JOURNEYS = readdirSync(new URL("../../samples/journeys/", import.meta.url)).filter((f) =>
  f.endsWith(".json"),
).length;

// node --import tsx, not the tsx wrapper: SIGTERM reaches main.ts itself, whose handler closes and exits 0
// (the wrapper, on a loaded machine, was seen exiting 143 before relaying it).

function start(env: Record<string, string>): Promise<{ out: string; url: string; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const { LIFELOOP_API_DB: _own, ...inherited } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--port", "0"], {
      cwd: apiDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...inherited, ...env },
    });
    let out = "";
    let err = "";
    const stop = () =>
      new Promise<number | null>((done) => {
        child.once("exit", (code) => done(code));
        child.kill("SIGTERM");
      });
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /Lifeloop API on (http:\/\/\S+)/.exec(out);
      if (m && /\n$/.test(out)) resolve({ out, url: m[1]!, stop });
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => reject(new Error(`main.ts exited with ${code}: ${out}${err}`)));
  });
}

if (postgresForThisFile("main.ts on PostgreSQL")) {
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    const { inject } = await import("vitest");
    db = await createDatabase(inject("pgUrl")!, "lifeloop_api_main");
  });
  afterAll(async () => db?.drop());

  const title = "main.ts on DATABASE_URL=postgres://…: migrates, loads the samples, prints a key; a restart finds them";
  it(title, async () => {
    const first = await start({ DATABASE_URL: db.url });
    expect(first.out).toContain("database postgres://");
    expect(first.out).toContain("loaded the samples: 20 journeys (drafts), 9 segments, 1239 profile events");
    const key = /\n\s+(ll_[A-Za-z0-9_-]{43})\n/.exec(first.out)?.[1];
    expect(key, first.out).toBeDefined();
    // The printed key manages keys only; journey work needs a publisher key made with it.
    const minted = await fetch(`${first.url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "me", role: "publisher" }),
    });
    expect(minted.status).toBe(201);
    const publisher = ((await minted.json()) as { key: string }).key;
    expect(await first.stop()).toBe(0);
    const second = await start({ DATABASE_URL: db.url });
    expect(second.out).not.toMatch(/ll_|loaded the samples/);
    const list = (await (
      await fetch(`${second.url}/v1/journeys?limit=100`, { headers: { authorization: `Bearer ${publisher}` } })
    ).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(SAMPLE_JOURNEYS);
    expect(await second.stop()).toBe(0);
  });
}
