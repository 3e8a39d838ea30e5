/**
 * The real API for the editor's tests: the API's test harness on a temp SQLite file with the
 * samples loaded as drafts, run in a child Node process (in this happy-dom project vite rewrites the
 * API's `new URL(…, import.meta.url)`, how it finds its migrations, into a page-relative URL) and
 * spoken to over HTTP. Tests that need what the API answers (a simulation of a sample, say) get it
 * from the API itself instead of importing the engine.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { request } from "node:http";
import { createInterface } from "node:readline";
import { JourneyReport } from "@lifeloop/shared";
import type { SimulationResult } from "../api/client.ts";

const REPO = resolve(import.meta.dirname, "../../..");

export interface TestApi {
  url: string;
  /** The engine sidecar the API reads live figures from (its own SQLite file), when asked for one. */
  engineUrl: string | null;
  keys: Record<"viewer" | "editor" | "publisher" | "key-admin", string>;
  /**
   * Events (JSON lines) posted to the engine sidecar, 500 a request, each answered 202. Through node:http:
   * happy-dom's fetch holds the page's origin to CORS, which the engine (behind the editor's proxy) has none of.
   */
  sendToEngine(lines: string[]): Promise<void>;
  /** POST …/simulate of a sample journey over the sample stream of its name, as the Simulate panel sends it. */
  simulateSample(journeyId: string): Promise<SimulationResult>;
  /** POST …/report/simulate of a sample journey over the sample stream of its name, as the report page sends it. */
  reportSample(journeyId: string, until?: string): Promise<JourneyReport>;
  close(): Promise<void>;
}

/** POSTs a JSON body with node:http; answers the status. */
function postJson(url: string, body: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.once("end", () => ok(res.statusCode ?? 0));
    });
    req.once("error", fail);
    req.end(body);
  });
}

/**
 * `engineAt`: start a real engine sidecar beside the API too (no journeys, its clock standing at that
 * instant, the API's clock starting there), for the routes that read the engine's log.
 * `levels`: the API runs with the samples' growth levels (samples/levels.json as LIFELOOP_LEVELS).
 */
export async function startTestApi(options: { engineAt?: string; levels?: boolean } = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-web-api-"));
  const script = join(dir, "serve.mts");
  const engineAt = options.engineAt ?? null;
  const levels = options.levels
    ? `, levels: JSON.parse(readFileSync(${JSON.stringify(join(REPO, "samples/levels.json"))}, "utf8"))`
    : "";
  writeFileSync(
    script,
    `import { readFileSync } from "node:fs";
import { startServer } from ${JSON.stringify(join(REPO, "api/src/testing/harness.ts"))};
import { startSidecar } from ${JSON.stringify(join(REPO, "engine/src/index.ts"))};
const at = ${JSON.stringify(engineAt)};
const engine = at === null ? null : await startSidecar({
  db: ${JSON.stringify(join(dir, "engine.sqlite"))},
  host: "127.0.0.1",
  port: 0,
  journeyFiles: [],
  feedIntervalMs: 60_000,
  timerIntervalMs: 60_000,
  outboxIntervalMs: 60_000,
  now: () => Date.parse(at),
  log: () => {},
});
const s = await startServer({
  samples: "draft",
  editorOrigin: ${JSON.stringify(window.location.origin)},
  ...(engine ? { engine: { url: engine.url }, start: at } : {})${levels},
});
console.log(JSON.stringify({ url: s.url, keys: s.keys, engineUrl: engine?.url ?? null }));
process.stdin.on("end", () => void s.close().then(() => engine?.close()).then(() => process.exit(0)));
process.stdin.resume();
`,
  );
  const child: ChildProcessWithoutNullStreams = spawn(join(REPO, "node_modules/.bin/tsx"), [script], { cwd: REPO });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
  const first = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout }).once("line", ok);
    child.once("exit", (code) => fail(new Error(`the API harness exited (${code}): ${stderr}`)));
  });
  const server = JSON.parse(first) as Pick<TestApi, "url" | "keys" | "engineUrl">;
  const fetchNow = globalThis.fetch;
  return {
    ...server,
    async simulateSample(journeyId) {
      const res = await fetchNow(`${server.url}/v1/journeys/${journeyId}/simulate`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.keys.viewer}`, "content-type": "application/json" },
        body: JSON.stringify({ sample: journeyId }),
      });
      if (res.status !== 200) throw new Error(`simulate ${journeyId}: ${res.status} ${await res.text()}`);
      return (await res.json()) as SimulationResult;
    },
    async reportSample(journeyId, until) {
      const res = await fetchNow(`${server.url}/v1/journeys/${journeyId}/report/simulate`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.keys.viewer}`, "content-type": "application/json" },
        body: JSON.stringify({ sample: journeyId, ...(until ? { until } : {}) }),
      });
      if (res.status !== 200) throw new Error(`report ${journeyId}: ${res.status} ${await res.text()}`);
      return JourneyReport.parse(await res.json());
    },
    async sendToEngine(lines) {
      if (!server.engineUrl) throw new Error("startTestApi({ engineAt }) starts the engine");
      for (let i = 0; i < lines.length; i += 500) {
        const status = await postJson(`${server.engineUrl}/v1/events`, `[${lines.slice(i, i + 500).join(",")}]`);
        if (status !== 202) throw new Error(`the engine answered ${status} to events ${i}…`);
      }
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once("exit", ok));
        child.stdin.end();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
