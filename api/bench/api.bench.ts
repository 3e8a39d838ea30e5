/**
 * API benchmark: requests per second for reading (GET /v1/journeys/:id) and saving
 * (PUT /v1/journeys/:id/draft) a 200-node journey, against a bare Hono route (GET /hello, small JSON)
 * served the same way in the same run; also bare routes that only move the same bytes (GET /big,
 * PUT /echo), to tell transfer cost from the API's own. Servers run in a child process (the same listen() as
 * main.ts, real SQLite file); autocannon drives them from this one over loopback.
 *
 *   pnpm --filter @lifeloop/api bench
 *
 * A report, not a test: figures vary with the machine; ratios to the baseline are what to compare.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { bigJourney } from "./journey.ts";

const DURATION = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = 10;
const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));

interface Served {
  url: string;
  key?: string;
  dir?: string;
  child: ChildProcess;
}

function serve(mode: "bare" | "api"): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["serve.ts", mode], { cwd: here, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve({ ...(JSON.parse(line) as Omit<Served, "child">), child });
    });
    child.once("exit", (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
}

function stop(s: Served): Promise<void> {
  return new Promise((done) => {
    s.child.removeAllListeners("exit");
    s.child.once("exit", () => done());
    s.child.kill("SIGTERM");
  });
}

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function run(name: string, opts: autocannon.Options): Promise<Figure> {
  // A short warm-up so the JIT and SQLite's page cache are in the same state for every target.
  await autocannon({ ...opts, duration: 1, connections: CONNECTIONS });
  const r = await autocannon({ ...opts, duration: DURATION, connections: CONNECTIONS });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

const body = JSON.stringify(bigJourney());
const figures: Figure[] = [];

const bare = await serve("bare");
try {
  figures.push(await run("bare Hono GET /hello (small JSON)", { url: `${bare.url}/hello` }));
  figures.push(await run("bare Hono GET /big (same size as a 200-node read)", { url: `${bare.url}/big` }));
  figures.push(
    await run(`bare Hono PUT /echo (${(body.length / 1024).toFixed(0)} KB body)`, {
      url: `${bare.url}/echo`,
      method: "PUT",
      body,
      headers: { "content-type": "application/json" },
    }),
  );
} finally {
  await stop(bare);
}

const api = await serve("api");
try {
  const auth = { authorization: `Bearer ${api.key}` };
  figures.push(
    await run("API GET /v1/journeys/:id (200 nodes)", { url: `${api.url}/v1/journeys/bench-200`, headers: auth }),
  );
  figures.push(
    await run("API PUT /v1/journeys/:id/draft (200 nodes)", {
      url: `${api.url}/v1/journeys/bench-200/draft`,
      method: "PUT",
      body,
      headers: { ...auth, "content-type": "application/json", "if-match": "*" },
    }),
  );
} finally {
  await stop(api);
  if (api.dir) rmSync(api.dir, { recursive: true, force: true });
}

const base = figures[0]!.rps;
console.log(
  `\nLifeloop API bench · ${DURATION} s per target · ${CONNECTIONS} connections · loopback · node ${process.version}\n`,
);
console.log(
  `${"target".padEnd(52)} ${"req/s".padStart(9)} ${"× /hello".padStart(9)}` +
    ` ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}  errors`,
);
for (const f of figures) {
  console.log(
    `${f.name.padEnd(52)} ${f.rps.toFixed(0).padStart(9)} ${(f.rps / base).toFixed(3).padStart(9)}` +
      ` ${String(f.p50).padStart(7)} ${String(f.p99).padStart(7)}  ${f.errors + f.non2xx}`,
  );
}
const bad = figures.filter((f) => f.errors + f.non2xx > 0);
if (bad.length > 0) {
  console.error(`\nSome requests failed (${bad.map((f) => f.name).join("; ")}): the figures above are not comparable.`);
  process.exitCode = 1;
}
