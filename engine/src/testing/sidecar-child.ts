/**
 * The sidecar in a process of its own with an injected clock, for the tests that kill, restart or
 * starve real engine processes (crash, workers, faults). The clock starts at LIFELOOP_TEST_CLOCK
 * (an ISO instant) and moves with the process's monotonic time, so every life of the engine agrees
 * on "now" whatever day the suite runs on (CI also runs it with the wall clock a year ahead).
 *
 *   node --import tsx sidecar-child.ts --db PATH|URL [--journey FILE]... [--webhook URL]
 * env: LIFELOOP_TEST_CLOCK, LIFELOOP_LEASE_TTL_MS, LIFELOOP_TIMER_INTERVAL_MS, LIFELOOP_OUTBOX_INTERVAL_MS
 */
import { parseArgs } from "node:util";
import { startSidecar } from "../server/sidecar.ts";

const { values } = parseArgs({
  options: { db: { type: "string" }, journey: { type: "string", multiple: true }, webhook: { type: "string" } },
  strict: true,
});
if (!values.db) throw new Error("sidecar-child: --db is required");
const env = process.env;
const start = Date.parse(env.LIFELOOP_TEST_CLOCK ?? "");
if (!Number.isFinite(start)) throw new Error("sidecar-child: set LIFELOOP_TEST_CLOCK to an ISO instant");
const born = performance.now();
const now = () => start + Math.floor(performance.now() - born);

const sidecar = await startSidecar({
  db: values.db,
  host: "127.0.0.1",
  port: 0,
  journeyFiles: values.journey ?? [],
  ...(values.webhook ? { webhook: { url: values.webhook } } : {}),
  ...(env.LIFELOOP_LEASE_TTL_MS ? { leaseTtlMs: Number(env.LIFELOOP_LEASE_TTL_MS) } : {}),
  feedIntervalMs: 60_000,
  timerIntervalMs: Number(env.LIFELOOP_TIMER_INTERVAL_MS ?? 250),
  outboxIntervalMs: Number(env.LIFELOOP_OUTBOX_INTERVAL_MS ?? 500),
  now,
});
console.log(`lifeloop engine listening on ${sidecar.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void sidecar.close().then(() => process.exit(0)));
