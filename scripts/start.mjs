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

// The engine pulls published journeys from the API with an engine-role key; one is made on the
// first start and kept in data/ so both sides agree across restarts. Without the API, the engine
// runs the sample journeys directly.
const env = { ...process.env };
if (servers.includes("engine")) {
  if (servers.includes("api")) {
    mkdirSync("data", { recursive: true });
    const keyFile = "data/.engine-key";
    if (!existsSync(keyFile)) writeFileSync(keyFile, `llk_engine_${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
    env.LIFELOOP_ENGINE_KEY ??= readFileSync(keyFile, "utf8").trim();
    env.LIFELOOP_API_URL ??= `http://127.0.0.1:${env.LIFELOOP_API_PORT ?? env.PORT ?? 8787}`;
    // A new workspace sees the samples live at once: the engine runs them as version 1.
    env.LIFELOOP_API_SAMPLES ??= "publish";
  } else {
    env.LIFELOOP_ENGINE_JOURNEYS ??= "samples/journeys";
  }
}

const child = spawn("pnpm", ["--parallel", ...servers.flatMap((s) => ["--filter", `./${s}`]), "run", "start"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
