#!/usr/bin/env node
// `npm start`: checks the samples, then starts every package that has something to serve
// (each declares a `start` script: the API, the engine sidecar, the editor), side by side.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const check = spawnSync("pnpm", ["--silent", "lifeloop", "validate", "samples/journeys"], { stdio: "inherit" });
if (check.status !== 0) process.exit(check.status ?? 1);

const servers = ["api", "engine", "web"].filter((dir) => {
  try {
    return Boolean(JSON.parse(readFileSync(`${dir}/package.json`, "utf8")).scripts?.start);
  } catch {
    return false;
  }
});

if (servers.length === 0) {
  const samples = readdirSync("samples/journeys").length;
  console.log(`
Lifeloop foundation is installed: ${samples} sample journeys compile.
Nothing serves yet: the engine, API and editor start here as they land.
Try:  pnpm lifeloop validate samples/journeys
      pnpm lifeloop compile samples/journeys/activation-newcomer-gift.json
      pnpm lifeloop schema`);
  process.exit(0);
}

// Keys live in data/ (git-ignored), made on the first start so every side agrees across restarts.
function keyFrom(file, prefix) {
  mkdirSync("data", { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `${prefix}${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

// The engine pulls published journeys from the API with an engine-role key. Without the API, the
// engine runs the sample journeys directly.
const env = { ...process.env };
const apiUrl = env.LIFELOOP_API_URL ?? `http://127.0.0.1:${env.LIFELOOP_API_PORT ?? env.PORT ?? 8787}`;
if (servers.includes("engine")) {
  if (servers.includes("api")) {
    env.LIFELOOP_ENGINE_KEY ??= keyFrom("data/.engine-key", "llk_engine_");
    env.LIFELOOP_API_URL ??= apiUrl;
    // A new workspace sees the samples live at once: the engine runs them as version 1.
    env.LIFELOOP_API_SAMPLES ??= "publish";
  } else {
    env.LIFELOOP_ENGINE_JOURNEYS ??= "samples/journeys";
  }
}

// The API forwards live reports (GET /v1/journeys/{id}/report, /funnel, /report.csv) to the engine.
if (servers.includes("engine") && servers.includes("api")) {
  const engineHost = env.LIFELOOP_ENGINE_HOST && env.LIFELOOP_ENGINE_HOST !== "0.0.0.0" ? env.LIFELOOP_ENGINE_HOST : "127.0.0.1";
  env.LIFELOOP_ENGINE_URL ??= `http://${engineHost}:${env.LIFELOOP_ENGINE_PORT ?? 8788}`;
}

// The editor gets a publisher-role key in its URL fragment (never sent to a server; the editor keeps
// it in localStorage and clears the address bar). Its dev server proxies the API and the engine, so
// it is same-origin with both.
const editorUrl = "http://127.0.0.1:5173/";
if (servers.includes("web") && servers.includes("api")) {
  env.LIFELOOP_EDITOR_KEY ??= keyFrom("data/.editor-key", "llk_editor_");
  env.LIFELOOP_API_URL ??= apiUrl;
}

const child = spawn("pnpm", ["--parallel", ...servers.flatMap((s) => ["--filter", `./${s}`]), "run", "start"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));

if (servers.includes("web")) {
  const waitFor = [editorUrl, ...(servers.includes("api") ? [`${apiUrl}/health`] : [])];
  const answers = async (url) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      // Not listening yet: asked again in a moment.
      return false;
    }
  };
  const deadline = Date.now() + 120_000;
  let up = false;
  while (!up && Date.now() < deadline && child.exitCode === null) {
    up = (await Promise.all(waitFor.map(answers))).every(Boolean);
    if (!up) await new Promise((r) => setTimeout(r, 300));
  }
  if (child.exitCode === null) {
    const link = env.LIFELOOP_EDITOR_KEY ? `${editorUrl.replace(/\/$/, "/")}#key=${env.LIFELOOP_EDITOR_KEY}` : editorUrl;
    const line = `Lifeloop editor: ${link}`;
    const bar = "=".repeat(Math.min(line.length, 100));
    console.log(`\n${bar}\n${line}\n${up ? "Open it in a browser (the key in the link is a publisher key kept in data/.editor-key)." : `(the servers did not all answer within 2 minutes: ${waitFor.join(", ")} — check the log above)`}\n${bar}\n`);
  }
}
