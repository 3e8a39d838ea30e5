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
    proxy.on("proxyReq", (req) =>
      token ? req.setHeader("authorization", `Bearer ${token}`) : req.removeHeader("authorization"),
    );
  };
  return {
    "/v1": { target: api, changeOrigin: true },
    "/openapi.json": { target: api, changeOrigin: true },
    "/health": { target: api, changeOrigin: true },
    "/engine": {
      target: engine,
      changeOrigin: true,
      rewrite: (p) => p.replace(/^\/engine/, ""),
      configure: engineAuth,
    },
  };
}

/**
 * Where the editor listens (the dev server and the production preview alike): LIFELOOP_EDITOR_HOST
 * (127.0.0.1) and LIFELOOP_EDITOR_PORT (5173), the setting `npm start` passes like the API's and the
 * engine's ports. A port that is taken is an error, not another port: the printed link must be right.
 */
export function editorListen(env: Record<string, string | undefined> = process.env): {
  host: string;
  port: number;
  strictPort: true;
} {
  const text = env.LIFELOOP_EDITOR_PORT ?? "5173";
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw new Error(`LIFELOOP_EDITOR_PORT must be a port from 1 to 65535, not "${text}"`);
  return { host: env.LIFELOOP_EDITOR_HOST ?? "127.0.0.1", port, strictPort: true };
}

export default defineConfig(() => ({
  root: import.meta.dirname,
  plugins: [react()],
  server: { ...editorListen(), proxy: proxyTargets() },
  preview: { ...editorListen(), proxy: proxyTargets() },
  // Vite's warning for a chunk over 500 kB stays on: the bundle budget test (scripts/bundle.test.ts)
  // fails on it, and on a first screen over 250 kB gzipped.
  build: { outDir: "dist" },
}));
