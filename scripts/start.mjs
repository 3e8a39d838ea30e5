#!/usr/bin/env node
// `npm start`: checks the samples, then starts every package that has something to serve
// (each declares a `start` script: the API, the engine sidecar, the editor — a production build,
// rebuilt first when stale), side by side. `pnpm dev` (--dev) runs the editor's Vite dev server with
// hot reload instead of its build; the API and the engine start as they do for `npm start`.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { startEnv } from "./start-env.mjs";

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

const dev = process.argv.includes("--dev");
const { env, apiUrl, editorUrl } = startEnv(servers, process.env);

/** `pnpm run <script>` in each of `dirs`, side by side. */
const run = (dirs, script) =>
  spawn("pnpm", ["--parallel", ...dirs.flatMap((s) => ["--filter", `./${s}`]), "run", script], {
    stdio: "inherit",
    env,
  });
const others = servers.filter((s) => !(dev && s === "web"));
const children = [
  ...(others.length ? [run(others, "start")] : []),
  ...(dev && servers.includes("web") ? [run(["web"], "dev")] : []),
];
const running = () => children.every((c) => c.exitCode === null && c.signalCode === null);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => children.forEach((c) => c.kill(signal)));
// One server stopping stops the rest: a half-started Lifeloop is not what was asked for.
for (const c of children) {
  c.on("exit", (code) => {
    for (const other of children) if (other !== c) other.kill("SIGTERM");
    process.exit(code ?? 0);
  });
}

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
  while (!up && Date.now() < deadline && running()) {
    up = (await Promise.all(waitFor.map(answers))).every(Boolean);
    if (!up) await new Promise((r) => setTimeout(r, 300));
  }
  if (running()) {
    const link = env.LIFELOOP_EDITOR_KEY
      ? `${editorUrl.replace(/\/$/, "/")}#key=${env.LIFELOOP_EDITOR_KEY}`
      : editorUrl;
    const line = `Lifeloop editor${dev ? " (dev server, hot reload)" : ""}: ${link}`;
    const bar = "=".repeat(Math.min(line.length, 100));
    const kept = [
      env.LIFELOOP_ADMIN_KEY
        ? "Managing API keys needs the key-admin key in data/.admin-key (the editor's key cannot)."
        : null,
      env.LIFELOOP_SIDECAR_TOKEN
        ? "The engine sidecar requires the token in data/.sidecar-token (the API and the editor's proxy send it)."
        : null,
    ].filter(Boolean);
    console.log(
      `\n${bar}\n${line}\n${
        up
          ? "Open it in a browser (the key in the link is a publisher key kept in data/.editor-key)."
          : `(the servers did not all answer within 2 minutes: ${waitFor.join(", ")} — check the log above)`
      }\n${kept.join("\n")}${kept.length ? "\n" : ""}${bar}\n`,
    );
  }
}
