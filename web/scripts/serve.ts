/**
 * The editor's `start` (what `npm start` runs): the production build in web/dist, made again first
 * when it is missing or no longer the build of what is on disk (scripts/freshness.ts), then served by
 * `vite preview` with the same proxy to the API and the engine as the dev server (vite.config.ts), on
 * LIFELOOP_EDITOR_HOST:LIFELOOP_EDITOR_PORT. `pnpm dev` runs the dev server with hot reload instead.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { recordInputs, whyRebuild } from "./freshness.ts";

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
const CONFIG = join(WEB_DIR, "vite.config.ts");

/** Builds web/dist when it is stale; returns what was done, for the log. */
export async function ensureBuild(outDir = join(WEB_DIR, "dist")): Promise<string> {
  const why = whyRebuild(WEB_DIR, outDir);
  if (why === null) return "the editor's build is current";
  const started = performance.now();
  await build({
    configFile: CONFIG,
    root: WEB_DIR,
    logLevel: "warn",
    plugins: [recordInputs(WEB_DIR)],
    build: { outDir, emptyOutDir: true },
  });
  return `built the editor in ${((performance.now() - started) / 1000).toFixed(1)} s (${why})`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`[web] ${await ensureBuild()}`);
  const server = await preview({ configFile: CONFIG, root: WEB_DIR });
  server.printUrls();
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void server.close().then(() => process.exit(0)));
}
