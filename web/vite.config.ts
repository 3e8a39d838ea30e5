import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

/**
 * The editor is served same-origin with the API and the engine through this proxy, so the browser
 * needs no CORS and keys never leave the page's origin. Targets come from the environment that
 * `npm start` (and the e2e harness) set.
 */
export function proxyTargets(env: Record<string, string | undefined> = process.env): Record<string, ProxyOptions> {
  const api = env.LIFELOOP_API_URL ?? "http://127.0.0.1:8787";
  const engine = env.LIFELOOP_ENGINE_URL ?? "http://127.0.0.1:8788";
  return {
    "/v1": { target: api, changeOrigin: true },
    "/openapi.json": { target: api, changeOrigin: true },
    "/health": { target: api, changeOrigin: true },
    "/engine": { target: engine, changeOrigin: true, rewrite: (p) => p.replace(/^\/engine/, "") },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: { proxy: proxyTargets() },
  preview: { proxy: proxyTargets() },
  build: { outDir: "dist", chunkSizeWarningLimit: 2000 },
});
