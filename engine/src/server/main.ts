#!/usr/bin/env -S node --import tsx
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseHoldoutSetting, parseLevelsSetting, type WorkspaceHoldout, type WorkspaceLevels } from "@lifeloop/shared";
import { parseChannelCaps, type ChannelCap } from "../core/gates/channel-cap.ts";
import { UnguardedListenError } from "./exposure.ts";
import { startSidecar } from "./sidecar.ts";

const HELP = `lifeloop engine sidecar — runs published journeys against your events

usage: pnpm --filter @lifeloop/engine start [flags]

  --db PATH|URL       SQLite file, or postgres://… (several engines may share one PostgreSQL)
                      env DATABASE_URL, or LIFELOOP_ENGINE_DB (data/engine.sqlite)
  --host HOST         address to listen on     env LIFELOOP_ENGINE_HOST    (127.0.0.1)
  --port N            port (0 = any free one)  env LIFELOOP_ENGINE_PORT    (8788)
  --api URL           API to pull journeys from env LIFELOOP_API_URL       (none)
  --api-key KEY       engine-role API key      env LIFELOOP_ENGINE_KEY
  --journey FILE|DIR  run journey files as version 1 instead of the API's feed (repeatable)
                      env LIFELOOP_ENGINE_JOURNEYS (one path); with them, env LIFELOOP_HOLDOUT is the
                      workspace holdout as JSON (from the API, its feed carries the API's own)
                      and env LIFELOOP_LEVELS the growth levels as JSON (likewise)
                      env LIFELOOP_ENGINE_POOLS: coupon pool files (a folder of <pool>.csv/.json/.txt)
                      imported at start; codes a pool has are skipped
  --webhook URL       deliver messages and rewards by POST here   env LIFELOOP_WEBHOOK_URL
                      (signed with env LIFELOOP_WEBHOOK_SECRET when set; without a webhook,
                      deliveries are logged and queryable at GET /v1/messages)
                      a failed delivery is retried for env LIFELOOP_DELIVERY_RETRY_HOURS (72),
                      each POST waits env LIFELOOP_WEBHOOK_TIMEOUT_MS (10000); then it is dead
                      until re-driven: lifeloop redrive --engine URL --all
  --token TOKEN       require "Authorization: Bearer TOKEN"       env LIFELOOP_SIDECAR_TOKEN
                      (required to listen on anything but loopback: 127.0.0.0/8, ::1, localhost)
  --read-token TOKEN  with --token: a token that may only read (GET)  env LIFELOOP_SIDECAR_READ_TOKEN
  --feed-interval MS  how often to ask the API for changes        env LIFELOOP_FEED_INTERVAL_MS (5000)
  (timeline retention in days, by when the engine recorded a step: env LIFELOOP_TIMELINE_DAYS (90);
  how far ahead of the engine's clock an event may be: env LIFELOOP_MAX_FUTURE_HOURS (24);
  PostgreSQL partition lease length: env LIFELOOP_LEASE_TTL_MS (10000); how long start-up waits
  for a PostgreSQL server that is not up yet: env LIFELOOP_DB_START_WAIT_SECONDS (300);
  /readyz answers 503 while the oldest acknowledged event not yet applied is older than
  env LIFELOOP_MAX_APPLY_LAG_SECONDS (60); ?wait=applied waits at most env LIFELOOP_WAIT_APPLIED_MS (10000);
  after a commit the applier waits env LIFELOOP_APPLY_DELAY_MS (25; 0: at once) for more events to batch;
  frequency caps across all journeys: env LIFELOOP_CHANNEL_CAPS, e.g. "push:3/day,sms:1/week", periods in
  env LIFELOOP_CHANNEL_CAPS_TZ (UTC))

POST /v1/events answers 202 once the events are in the event log (durably accepted: each applied
exactly once, in order per person, by the applier behind the log); add ?wait=applied (or the header
Prefer: wait=applied) to be answered after their effects are committed.

Routes: POST /v1/events, GET /v1/users/:id, GET /v1/ledger, GET /v1/messages, POST /v1/messages/redrive,
        GET /v1/journeys/:id/stats,
        GET /v1/journeys/:id/report, /funnel?path=a,b,c, /report.csv?section=…,
        GET /healthz, GET /readyz, GET /metrics, GET /openapi.json (every route, OpenAPI 3.1)`;

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    host: { type: "string" },
    port: { type: "string" },
    api: { type: "string" },
    "api-key": { type: "string" },
    journey: { type: "string", multiple: true },
    webhook: { type: "string" },
    token: { type: "string" },
    "read-token": { type: "string" },
    "feed-interval": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const env = process.env;
const root = resolve(new URL("../../..", import.meta.url).pathname);
// Paths given on the command line are relative to where the command was typed (pnpm runs package
// scripts in the package folder and keeps the original in INIT_CWD); defaults are in the repo root.
const here = env.INIT_CWD ?? process.cwd();
const journeyPaths =
  values.journey?.map((p) => resolve(here, p)) ??
  (env.LIFELOOP_ENGINE_JOURNEYS ? [resolve(root, env.LIFELOOP_ENGINE_JOURNEYS)] : []);
const files = journeyPaths.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => join(p, f))
    : [p],
);
// Coupon pool files (LIFELOOP_ENGINE_POOLS: a folder of <pool>.csv / .json / .txt, or one file), imported at start.
const poolPath = env.LIFELOOP_ENGINE_POOLS ? resolve(root, env.LIFELOOP_ENGINE_POOLS) : null;
const poolFiles =
  poolPath === null
    ? []
    : statSync(poolPath).isDirectory()
      ? readdirSync(poolPath)
          .filter((f) => /\.(csv|json|txt)$/.test(f))
          .sort()
          .map((f) => join(poolPath, f))
      : [poolPath];
const apiUrl = values.api ?? env.LIFELOOP_API_URL;
const apiKey = values["api-key"] ?? env.LIFELOOP_ENGINE_KEY;
const webhookUrl = values.webhook ?? env.LIFELOOP_WEBHOOK_URL;
const token = values.token ?? env.LIFELOOP_SIDECAR_TOKEN;
let holdout: WorkspaceHoldout | null = null;
try {
  holdout = env.LIFELOOP_HOLDOUT ? parseHoldoutSetting(env.LIFELOOP_HOLDOUT) : null;
} catch (e) {
  console.error(`lifeloop engine: LIFELOOP_HOLDOUT: ${(e as Error).message}`);
  process.exit(2);
}
let levels: WorkspaceLevels | null = null;
try {
  levels = env.LIFELOOP_LEVELS ? parseLevelsSetting(env.LIFELOOP_LEVELS) : null;
} catch (e) {
  console.error(`lifeloop engine: LIFELOOP_LEVELS: ${(e as Error).message}`);
  process.exit(2);
}
const readToken = values["read-token"] ?? env.LIFELOOP_SIDECAR_READ_TOKEN;

/** A positive number from the environment, or the default; anything else stops the start with a clear line. */
function positive(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`lifeloop engine: ${name} must be a positive number, not "${text}"`);
    process.exit(2);
  }
  return n;
}
const retryHours = positive("LIFELOOP_DELIVERY_RETRY_HOURS", 72);
const maxApplyLagSeconds = positive("LIFELOOP_MAX_APPLY_LAG_SECONDS", 60);
const waitAppliedMs = positive("LIFELOOP_WAIT_APPLIED_MS", 10_000);
const webhookTimeoutMs = positive("LIFELOOP_WEBHOOK_TIMEOUT_MS", 10_000);
// 0 is a setting here (apply after every commit), so not `positive`.
const applyDelayMs = env.LIFELOOP_APPLY_DELAY_MS === "0" ? 0 : positive("LIFELOOP_APPLY_DELAY_MS", 25);
const reportThread = env.LIFELOOP_REPORT_THREAD || "auto";
if (reportThread !== "thread" && reportThread !== "loop" && reportThread !== "auto") {
  console.error(`lifeloop engine: LIFELOOP_REPORT_THREAD is thread, loop or auto, not "${reportThread}"`);
  process.exit(2);
}

/** LIFELOOP_CHANNEL_CAPS ("push:3/day,sms:1/week") in LIFELOOP_CHANNEL_CAPS_TZ (UTC); a bad one stops the start. */
function channelCaps(): ChannelCap[] {
  try {
    return parseChannelCaps(env.LIFELOOP_CHANNEL_CAPS ?? "", env.LIFELOOP_CHANNEL_CAPS_TZ || "UTC");
  } catch (e) {
    console.error(`lifeloop engine: LIFELOOP_CHANNEL_CAPS: ${(e as Error).message}`);
    process.exit(2);
  }
}

/** --db, then DATABASE_URL when it names PostgreSQL, then LIFELOOP_ENGINE_DB, then the default file. */
function dbSetting(): string {
  const isUrl = (v: string) => /^postgres(ql)?:\/\//.test(v);
  if (values.db) return isUrl(values.db) ? values.db : resolve(here, values.db);
  if (env.DATABASE_URL && isUrl(env.DATABASE_URL)) return env.DATABASE_URL;
  return resolve(root, env.LIFELOOP_ENGINE_DB ?? "data/engine.sqlite");
}

const sidecar = await startSidecar({
  db: dbSetting(),
  ...(env.LIFELOOP_LEASE_TTL_MS ? { leaseTtlMs: Number(env.LIFELOOP_LEASE_TTL_MS) } : {}),
  host: values.host ?? env.LIFELOOP_ENGINE_HOST ?? "127.0.0.1",
  port: Number(values.port ?? env.LIFELOOP_ENGINE_PORT ?? 8788),
  ...(apiUrl ? { api: { url: apiUrl, ...(apiKey ? { key: apiKey } : {}) } } : {}),
  journeyFiles: files,
  poolFiles,
  holdout,
  levels,
  ...(webhookUrl
    ? {
        webhook: {
          url: webhookUrl,
          timeoutMs: webhookTimeoutMs,
          ...(env.LIFELOOP_WEBHOOK_SECRET ? { secret: env.LIFELOOP_WEBHOOK_SECRET } : {}),
        },
      }
    : {}),
  retryWindowMs: retryHours * 3_600_000,
  ...(token ? { token } : {}),
  ...(readToken ? { readToken } : {}),
  feedIntervalMs: Number(values["feed-interval"] ?? env.LIFELOOP_FEED_INTERVAL_MS ?? 5000),
  timelineDays: Number(env.LIFELOOP_TIMELINE_DAYS ?? 90),
  maxFutureMs: Number(env.LIFELOOP_MAX_FUTURE_HOURS ?? 24) * 3_600_000,
  ...(env.LIFELOOP_DB_START_WAIT_SECONDS ? { dbStartWaitMs: Number(env.LIFELOOP_DB_START_WAIT_SECONDS) * 1000 } : {}),
  maxApplyLagMs: maxApplyLagSeconds * 1000,
  waitAppliedMs,
  applyDelayMs,
  reportThread,
  channelCaps: channelCaps(),
  timerIntervalMs: 250,
  outboxIntervalMs: 500,
}).catch((e: unknown) => {
  // Listening beyond loopback without a token: say why and stop, before anything is served.
  if (!(e instanceof UnguardedListenError)) throw e;
  console.error(`lifeloop engine: ${e.message}`);
  process.exit(2);
});
console.log(`lifeloop engine listening on ${sidecar.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sidecar.close().then(() => process.exit(0));
  });
}
