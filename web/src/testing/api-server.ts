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
import { createInterface } from "node:readline";
import type { SimulationResult } from "../api/client.ts";

const REPO = resolve(import.meta.dirname, "../../..");

export interface TestApi {
  url: string;
  keys: Record<"viewer" | "editor" | "publisher" | "key-admin", string>;
  /** POST …/simulate of a sample journey over the sample stream of its name, as the Simulate panel sends it. */
  simulateSample(journeyId: string): Promise<SimulationResult>;
  close(): Promise<void>;
}

/** `levels`: the API runs with the samples' growth levels (samples/levels.json as LIFELOOP_LEVELS). */
export async function startTestApi(options: { levels?: boolean } = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-web-api-"));
  const script = join(dir, "serve.mts");
  const levels = options.levels
    ? `, levels: JSON.parse(readFileSync(${JSON.stringify(join(REPO, "samples/levels.json"))}, "utf8"))`
    : "";
  writeFileSync(
    script,
    `import { readFileSync } from "node:fs";
import { startServer } from ${JSON.stringify(join(REPO, "api/src/testing/harness.ts"))};
const s = await startServer({ samples: "draft", editorOrigin: ${JSON.stringify(window.location.origin)}${levels} });
console.log(JSON.stringify({ url: s.url, keys: s.keys }));
process.stdin.on("end", () => void s.close().then(() => process.exit(0)));
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
  const server = JSON.parse(first) as { url: string; keys: TestApi["keys"] };
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
