import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

/**
 * The editor is served same-origin with the API and the engine through this proxy, so the browser
 * needs no CORS and keys never leave the page's origin. Targets (and the engine sidecar's token,
 * LIFELOOP_SIDECAR_TOKEN) come from the environment that `npm start` (and the e2e harness) set.
 */
export function proxyTargets(env: Record<string, string | undefined> = process.env): Record<string, ProxyOptions> {
  const api = env.LIFELOOP_API_URL ?? "http://127.0.0.1:8787";
  const engine = env.LIFELOOP_ENGINE_URL ?? "http://127.0.0.1:8788";
  // The sidecar's token is set here, on the dev server, in place of whatever Authorization the page
  // sent (its API key is not the engine's business): the token never reaches the browser bundle.
  const token = env.LIFELOOP_SIDECAR_TOKEN;
  const engineAuth: ProxyOptions["configure"] = (proxy) => {
    proxy.on("proxyReq", (req) => (token ? req.setHeader("authorization", `Bearer ${token}`) : req.removeHeader("authorization")));
  };
  return {
    "/v1": { target: api, changeOrigin: true },
    "/openapi.json": { target: api, changeOrigin: true },
    "/health": { target: api, changeOrigin: true },
    "/engine": { target: engine, changeOrigin: true, rewrite: (p) => p.replace(/^\/engine/, ""), configure: engineAuth },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  server: { proxy: proxyTargets() },
  preview: { proxy: proxyTargets() },
  build: { outDir: "dist", chunkSizeWarningLimit: 2000 },
});
