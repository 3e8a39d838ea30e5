/**
 * The editor's dev server (vite, web/vite.config.ts) in front of a real engine sidecar that requires
 * a token, as `npm start` runs them: the proxy at /engine sends the token from the server side, in
 * place of the page's own Authorization, and the token is nowhere in what the browser is served.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxyTargets } from "../vite.config.ts";
import { WEB_DIR } from "./harness.ts";

const TOKEN = "llt_sidecar_proxy-test-token";
const dir = mkdtempSync(join(tmpdir(), "lifeloop-proxy-"));
let engine: Sidecar;
let vite: ViteDevServer;
let origin: string;

beforeAll(async () => {
  engine = await startSidecar({
    db: join(dir, "engine.sqlite"),
    host: "127.0.0.1",
    port: 0,
    token: TOKEN,
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    log: () => {},
  });
  vite = await createServer({
    configFile: join(WEB_DIR, "vite.config.ts"),
    root: WEB_DIR,
    logLevel: "warn",
    server: {
      host: "127.0.0.1",
      port: 0,
      strictPort: false,
      proxy: proxyTargets({
        LIFELOOP_API_URL: "http://127.0.0.1:9",
        LIFELOOP_ENGINE_URL: engine.url,
        LIFELOOP_SIDECAR_TOKEN: TOKEN,
      }),
      hmr: false,
    },
  });
  await vite.listen();
  origin = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await vite?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the editor's /engine proxy", () => {
  it("reaches a sidecar that requires a token, which the page itself does not have", async () => {
    expect((await fetch(`${engine.url}/v1/messages`)).status).toBe(401);
    const proxied = await fetch(`${origin}/engine/v1/messages`);
    expect(proxied.status).toBe(200);
    // The page sends its API key on every call; the proxy puts the token in its place.
    const withKey = await fetch(`${origin}/engine/v1/messages`, {
      headers: { authorization: "Bearer ll_the-editors-api-key" },
    });
    expect(withKey.status).toBe(200);
  });

  it("serves the page and its code without the token in them", async () => {
    for (const path of ["/", "/src/main.tsx", "/src/api/client.ts", "/@vite/env"]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain(TOKEN);
    }
  });
});
