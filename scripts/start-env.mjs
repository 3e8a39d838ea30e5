// What `npm start` (scripts/start.mjs) hands the servers it starts: one environment for all of them,
// with the keys and the sidecar token they share. Secrets live in data/ (git-ignored), made on the
// first start (mode 0600) so every side agrees across restarts.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The secret in `file`, made first if missing; a file others can read is narrowed to 0600. */
export function secretFrom(file, prefix) {
  mkdirSync(join(file, ".."), { recursive: true });
  if (!existsSync(file))
    writeFileSync(file, `${prefix}${randomBytes(24).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  else if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (secret === "") throw new Error(`${file} is empty: delete it and start again to make a new one`);
  return secret;
}

/** The secrets `npm start` keeps, by file in the data folder. */
export const SECRET_FILES = {
  engineKey: ".engine-key",
  editorKey: ".editor-key",
  adminKey: ".admin-key",
  sidecarToken: ".sidecar-token",
};

/** A loopback address for a host a server listens on ("0.0.0.0" listens on all, loopback included). */
const reachable = (host) => (host && host !== "0.0.0.0" ? host : "127.0.0.1");

/**
 * The environment for `servers` (a subset of "api", "engine", "web"), from the caller's: values the
 * caller set win; the rest are made (or read back) in `dataDir`. Also the API's URL and the editor's
 * (LIFELOOP_EDITOR_HOST, LIFELOOP_EDITOR_PORT: 127.0.0.1:5173), which `npm start` waits for and prints.
 */
export function startEnv(servers, given, dataDir = "data") {
  const env = { ...given };
  const has = (s) => servers.includes(s);
  const secret = (which, prefix) => secretFrom(join(dataDir, SECRET_FILES[which]), prefix);
  const apiUrl = env.LIFELOOP_API_URL ?? `http://127.0.0.1:${env.LIFELOOP_API_PORT ?? env.PORT ?? 8787}`;
  const editorPort = env.LIFELOOP_EDITOR_PORT ?? "5173";
  if (!/^\d+$/.test(editorPort) || Number(editorPort) < 1 || Number(editorPort) > 65535) {
    throw new Error(`LIFELOOP_EDITOR_PORT must be a port from 1 to 65535, not "${editorPort}"`);
  }
  const editorUrl = `http://${reachable(env.LIFELOOP_EDITOR_HOST)}:${editorPort}/`;

  // The engine pulls published journeys from the API with an engine-role key. Without the API, the
  // engine runs the sample journeys directly.
  if (has("engine")) {
    if (has("api")) {
      env.LIFELOOP_ENGINE_KEY ??= secret("engineKey", "llk_engine_");
      env.LIFELOOP_API_URL ??= apiUrl;
      // A new workspace sees the samples live at once: the engine runs them as version 1.
      env.LIFELOOP_API_SAMPLES ??= "publish";
    } else {
      env.LIFELOOP_ENGINE_JOURNEYS ??= "samples/journeys";
    }
    // The sample journeys' coupon pools (samples/pools): imported at each start, codes it has skipped.
    env.LIFELOOP_ENGINE_POOLS ??= "samples/pools";
    // The sidecar takes events and answers with ledgers and timelines: it requires this token, and
    // what talks to it here (the API's live reports, the editor's dev-server proxy at /engine) sends
    // it from the server side. The browser never sees it.
    env.LIFELOOP_SIDECAR_TOKEN ??= secret("sidecarToken", "llt_sidecar_");
  }

  // The API forwards live reports (GET /v1/journeys/{id}/report, /funnel, /report.csv) to the engine.
  if (has("engine") && has("api")) {
    env.LIFELOOP_ENGINE_URL ??= `http://${reachable(env.LIFELOOP_ENGINE_HOST)}:${env.LIFELOOP_ENGINE_PORT ?? 8788}`;
  }

  if (has("api")) {
    // The operator's key for key management (key-admin role: it lists, creates and revokes keys and
    // does nothing else). It stays in data/.admin-key and is never handed to the browser.
    env.LIFELOOP_ADMIN_KEY ??= secret("adminKey", "llk_admin_");
  }

  // The editor gets a publisher-role key in its URL fragment (never sent to a server; the editor keeps
  // it in localStorage and clears the address bar). Its dev server proxies the API and the engine, so
  // it is same-origin with both.
  if (has("web") && has("api")) {
    env.LIFELOOP_EDITOR_KEY ??= secret("editorKey", "llk_editor_");
    env.LIFELOOP_API_URL ??= apiUrl;
    // The one browser origin the API's CORS allows: the editor's, wherever it listens.
    env.LIFELOOP_EDITOR_ORIGIN ??= new URL(editorUrl).origin;
  }
  if (has("web")) env.LIFELOOP_EDITOR_PORT ??= editorPort;
  return { env, apiUrl, editorUrl };
}
