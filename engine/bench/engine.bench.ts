import { UserId, EventId } from "@lifeloop/shared";
/**
 * Engine benchmark: durable HTTP ingest, timer firing with 1 M pending timers, and grants under
 * contention on one budget — each against a baseline measured in the same run.
 *
 *   pnpm --filter @lifeloop/engine bench        (or `pnpm bench` at the root)
 *
 * a) The real sidecar (`src/server/main.ts`, all sample journeys, a temp SQLite file) in a child
 *    process, driven by autocannon with one unique event per request; against a bare Hono
 *    hello-world in a child process with the same autocannon settings, and a raw better-sqlite3
 *    batched insert of the same kind of rows (WAL, synchronous=FULL). Also 100 events per request.
 * b) 1 M people waiting in a journey (trigger → wait 1h → update-attribute): one person's state
 *    is made by the real engine, then copied 1 M times with their timers; the clock jumps past the
 *    due time and DurableEngine.runDueTimers() runs until nothing is due. Against a raw
 *    `SELECT … ORDER BY due_at LIMIT 1000` + `DELETE` loop over a copy of the same timer rows.
 * c) 50 k events from 20 k people on one reward node whose budget runs out halfway, through
 *    DurableEngine.ingest in batches; against a raw guarded `UPDATE counters … WHERE used + ? <= cap`
 *    + ledger insert loop, one transaction per batch. Checks 0 overspend.
 *
 * A report, not a test: figures vary ±15 % on a shared 2-core machine. Nothing here asserts on speed;
 * correctness checks (counts, budget) abort the run if they fail.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import type { CoreEvent } from "../src/core/index.ts";
import { DurableEngine } from "../src/runtime/durable.ts";
import { SqliteStore } from "../src/store/sqlite/store.ts";
import { followUpJourney } from "../src/testing/follow-up.ts";
import { worldOf } from "../src/testing/world.ts";
import { startServer } from "./child.ts";

const SAMPLE_JOURNEYS = fileURLToPath(new URL("../../samples/journeys", import.meta.url));
const HTTP = {
  connections: 32,
  durationS: 10,
  warmupS: 2,
  batchDurationS: 8,
  pacedS: 5,
  pacedRate: 250,
  pacedHighRate: 1000,
};
const TIMERS = { pending: 1_000_000, fire: 1_000_000, insertChunk: 50_000 };
const GRANTS = { events: 50_000, users: 20_000, points: 10, batch: 500 };
const LAG = { events: 100_000 };
const APPLY = { events: 100_000, users: 20_000, acceptBatch: 1000 };
const BUDGET = (GRANTS.events / 2) * GRANTS.points; // runs out exactly halfway

const scratch = mkdtempSync(join(tmpdir(), "lifeloop-bench-"));
const cleanup = () => {
  rmSync(scratch, { recursive: true, force: true });
};
process.on("exit", cleanup);
for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => process.exit(130));

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)} %`;
const log = (line: string) => console.log(line);
const isoAt = (ms: number) => new Date(ms).toISOString();

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

interface Load {
  /** 2xx answers per second over the run. */
  rps: number;
  /** 2xx answers: what the server acknowledged. */
  ok: number;
  /** Requests sent (some may be in flight, unanswered, when the run stops). */
  sent: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * POSTs bodies from `body(n)` (n = a counter unique per request) for `seconds`, optionally at a
 * fixed overall rate. Latency percentiles come from every 2xx response time at full precision
 * (autocannon's own histogram rounds to whole milliseconds).
 */
async function load(
  url: string,
  seconds: number,
  body: (n: number) => string,
  options: { connections?: number; rate?: number } = {},
): Promise<Load> {
  let n = 0;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/events`,
        connections: options.connections ?? HTTP.connections,
        duration: seconds,
        ...(options.rate ? { overallRate: options.rate } : {}),
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => ({ ...req, body: body(n++) }),
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
    // autocannon emits (client, status, bytes, ms); its typings leave out the client.
    (instance as unknown as NodeJS.EventEmitter).on(
      "response",
      (_client: unknown, status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) times.push(ms);
      },
    );
  });
  const sorted = Float64Array.from(times).sort();
  const ok = result["2xx"];
  return {
    rps: ok / result.duration,
    ok,
    sent: result.requests.sent,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

const ms = (x: number) => x.toFixed(2);

/**
 * POSTs `rate` requests a second, evenly spaced (each sent when its time comes, whatever is in flight),
 * for `seconds`; latency from each request's send to its answer. autocannon's `overallRate` sends each
 * second's quota as fast as its connections allow and then waits: 250 req/s arrived as bursts of
 * ~1,700 req/s for 150 ms, which measured the burst, not the rate.
 */
async function evenLoad(url: string, seconds: number, rate: number, body: (n: number) => string): Promise<Load> {
  const target = new URL(`${url}/v1/events`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(seconds * rate);
  const times: number[] = [];
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let non2xx = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const settle = () => {
      if (++answered === total) resolve();
    };
    const send = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      while (sent < due) {
        const text = body(sent++);
        const t0 = performance.now();
        const req = http.request(
          target,
          {
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
          },
          (res) => {
            res.resume();
            res.on("end", () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) times.push(performance.now() - t0);
              else non2xx++;
              settle();
            });
          },
        );
        req.on("error", () => {
          errors++;
          settle();
        });
        req.end(text);
      }
      if (sent < total) setTimeout(send, 1);
    };
    send();
  });
  agent.destroy();
  const duration = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(times).sort();
  return {
    rps: times.length / duration,
    ok: times.length,
    sent,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors,
    non2xx,
  };
}

/** POSTs `requests` bodies as fast as HTTP.connections allow; how long it took and how many were acknowledged. */
async function loadAmount(
  url: string,
  requests: number,
  body: (n: number) => string,
): Promise<{ ok: number; sent: number; seconds: number }> {
  let n = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      // A long timeout: with the applier working through a backlog on the same cores, a 100-event
      // request may wait seconds on a loaded machine; an error here would be the bench's, not the engine's.
      {
        url: `${url}/v1/events`,
        connections: HTTP.connections,
        amount: requests,
        timeout: 120,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => ({ ...req, body: body(n++) }),
          },
        ],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
  });
  if (result.errors || result.non2xx)
    fail(`load of ${requests} requests: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return { ok: result["2xx"], sent: result.requests.sent, seconds: (performance.now() - started) / 1000 };
}

/** The applier's state as /readyz reports it. */
async function readyz(url: string): Promise<{ pending: number; lagSeconds: number }> {
  const body = (await (await fetch(`${url}/readyz`)).json()) as { applier?: { pending: number; lagSeconds: number } };
  if (!body.applier) fail(`/readyz said nothing about the applier: ${JSON.stringify(body)}`);
  return body.applier;
}

/** Polls /readyz (every 20 ms) until the lag is under `seconds` (0: nothing pending); when that was. */
async function untilLag(url: string, seconds: number, timeoutMs: number): Promise<{ ms: number; at: number }> {
  const started = performance.now();
  for (;;) {
    const a = await readyz(url);
    if (seconds === 0 ? a.pending === 0 : a.lagSeconds < seconds)
      return { ms: performance.now() - started, at: performance.now() };
    if (performance.now() - started > timeoutMs)
      fail(`the applier did not get under ${seconds} s of lag within ${timeoutMs} ms: ${JSON.stringify(a)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const EVENT_TYPES = ["transaction", "checkin", "invite_accepted", "login", "transaction", "checkin"];
/** One event, unique id, one of 20 k people, now. */
function eventJson(tag: string, n: number): string {
  const type = EVENT_TYPES[n % EVENT_TYPES.length]!;
  const props =
    type === "transaction"
      ? `{"amount":${((n * 7919) % 5000) * 100 + 100}}`
      : type === "invite_accepted"
        ? `{"inviteeId":"f${n}"}`
        : "{}";
  return (
    `{"id":"${tag}-${n}","userId":"user-${(n * 7) % 20_000}` +
    `","type":"${type}","at":"${isoAt(Date.now())}","props":${props}}`
  );
}

// ---------------------------------------------------------------------------------------- a) ingest

async function benchIngest() {
  log(
    `\n## a) Durable ingest over HTTP (autocannon, ${HTTP.connections} connections, ${HTTP.durationS} s ` +
      `after ${HTTP.warmupS} s warm-up)`,
  );

  const hello = await startServer("bench/hello-world.ts", []);
  await load(hello.url, HTTP.warmupS, (n) => eventJson("hw-warm", n));
  const bare = await load(hello.url, HTTP.durationS, (n) => eventJson("hw", n));
  await hello.stop();
  log(
    `hello-world (bare Hono, same requests, body not read): ${fmt(bare.rps)} req/s, p50 ${ms(bare.p50)} ms, ` +
      `p99 ${ms(bare.p99)} ms, errors ${bare.errors}, non-2xx ${bare.non2xx}`,
  );
  // The baseline of the goal: a bare route that reads and parses the same JSON body.
  const parsing = await startServer("bench/hello-world.ts", ["--parse"]);
  await load(parsing.url, HTTP.warmupS, (n) => eventJson("hp-warm", n));
  const hw = await load(parsing.url, HTTP.durationS, (n) => eventJson("hp", n));
  await parsing.stop();
  log(
    `bare Hono route reading and parsing the JSON body: ${fmt(hw.rps)} req/s, p50 ${ms(hw.p50)} ms, ` +
      `p99 ${ms(hw.p99)} ms, errors ${hw.errors}, non-2xx ${hw.non2xx}`,
  );

  const db = join(scratch, "ingest.sqlite");
  const engine = await startServer("src/server/main.ts", ["--db", db, "--port", "0", "--journey", SAMPLE_JOURNEYS]);
  const BATCH = 100;
  const runs = {
    warm: await load(engine.url, HTTP.warmupS, (n) => eventJson("warm", n)),
    single: await load(engine.url, HTTP.durationS, (n) => eventJson("one", n)),
    paced: await evenLoad(engine.url, HTTP.pacedS, HTTP.pacedRate, (n) => eventJson("paced", n)),
    pacedHigh: await evenLoad(engine.url, HTTP.pacedS, HTTP.pacedHighRate, (n) => eventJson("paced-high", n)),
    batched: await load(
      engine.url,
      HTTP.batchDurationS,
      (n) => `[${Array.from({ length: BATCH }, (_, i) => eventJson(`b${n}`, i + n * BATCH)).join(",")}]`,
    ),
  };
  // The applier behind the log: how long it takes to catch up with everything acknowledged above,
  // then a load of LAG.events (100 per request, flat out) and how long after it ends the lag
  // (the oldest acknowledged event not applied yet) is back under 1 s.
  const caughtUpAfterRuns = await untilLag(engine.url, 0, 120_000);
  log(`applier: caught up with the runs above ${fmt(caughtUpAfterRuns.ms)} ms after they ended`);
  const lagLoad = await loadAmount(
    engine.url,
    LAG.events / BATCH,
    (n) => `[${Array.from({ length: BATCH }, (_, i) => eventJson(`lag${n}`, i + n * BATCH)).join(",")}]`,
  );
  const lagEnded = performance.now();
  const peak = await readyz(engine.url);
  const under1s = await untilLag(engine.url, 1, 120_000);
  const drained = await untilLag(engine.url, 0, 120_000);
  const lag = {
    events: lagLoad.ok * BATCH,
    loadSeconds: lagLoad.seconds,
    pendingAtEnd: peak.pending,
    lagAtEnd: peak.lagSeconds,
    under1sMs: under1s.at - lagEnded,
    drainedMs: drained.at - lagEnded,
  };
  log(
    `lag: ${fmt(lag.events)} events in ${fmt(lagLoad.seconds, 1)} s (${fmt(lag.events / lagLoad.seconds)} ` +
      `events/s acknowledged); at the end ${fmt(peak.pending)} pending, lag ${peak.lagSeconds.toFixed(2)} s; ` +
      `under 1 s ${fmt(under1s.at - lagEnded)} ms after the load ended, nothing pending ` +
      `after ${fmt(drained.at - lagEnded)} ms`,
  );
  await engine.stop();
  if (engine.stderr().trim()) log(`engine stderr: ${engine.stderr().trim().slice(0, 1000)}`);
  for (const [name, r] of Object.entries(runs))
    if (r.errors || r.non2xx) fail(`engine ${name} ingest: ${r.errors} errors, ${r.non2xx} non-2xx`);
  const { single, paced, pacedHigh, batched } = runs;
  // Every 202 is an event in the log (requests cut off in flight when a run stops may be stored unanswered).
  const check = new Database(db, { readonly: true });
  const stored = check.prepare("SELECT count(*) FROM events").pluck().get() as number;
  const grants = check.prepare("SELECT count(*) FROM ledger").pluck().get() as number;
  const outbox = check.prepare("SELECT count(*) FROM outbox").pluck().get() as number;
  check.close();
  const events = (r: Load, per = 1) => ({ acked: r.ok * per, sent: r.sent * per });
  const parts = [
    events(runs.warm),
    events(single),
    events(paced),
    events(pacedHigh),
    events(batched, BATCH),
    { acked: lagLoad.ok * BATCH, sent: lagLoad.sent * BATCH },
  ];
  const acked = parts.reduce((x, p) => x + p.acked, 0);
  const sent = parts.reduce((x, p) => x + p.sent, 0);
  if (stored < acked || stored > sent)
    fail(`the engine acknowledged ${acked} events (of ${sent} sent) but its log holds ${stored}`);
  log(
    `engine, 1 event/request: ${fmt(single.rps)} events/s, ack p50 ${ms(single.p50)} ms, ` +
      `p99 ${ms(single.p99)} ms (${fmt(single.ok)} acknowledged)`,
  );
  for (const [rate, r] of [
    [HTTP.pacedRate, paced],
    [HTTP.pacedHighRate, pacedHigh],
  ] as const)
    log(
      `engine, 1 event/request at ${fmt(rate)} req/s evenly spaced: ${fmt(r.rps)} events/s, ack p50 ` +
        `${ms(r.p50)} ms, p99 ${ms(r.p99)} ms`,
    );
  log(
    `engine, ${BATCH} events/request: ${fmt(batched.rps * BATCH)} events/s (${fmt(batched.rps)} req/s), ` +
      `p50 ${ms(batched.p50)} ms, p99 ${ms(batched.p99)} ms`,
  );
  log(
    `log check: ${fmt(stored)} events stored, ${fmt(acked)} acknowledged, ${fmt(sent)} sent; ${fmt(grants)} ` +
      `grants, ${fmt(outbox)} outbox rows`,
  );

  // Raw better-sqlite3: the same rows into a table like `events`, 100 per transaction, WAL + FULL.
  const raw = new Database(join(scratch, "raw-insert.sqlite"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.exec(
    "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, user_id TEXT NOT NULL, " +
      "type TEXT NOT NULL, at INTEGER NOT NULL, props TEXT NOT NULL, received_at INTEGER NOT NULL, status TEXT " +
      "NOT NULL DEFAULT 'applied', error TEXT); CREATE UNIQUE INDEX events_id ON events (id); CREATE INDEX " +
      "events_user ON events (user_id, seq);",
  );
  const insert = raw.prepare(
    "INSERT INTO events (id, user_id, type, at, props, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT " +
      "(id) DO NOTHING",
  );
  const rows = Array.from(
    { length: 200_000 },
    (_, n) =>
      JSON.parse(eventJson("raw", n)) as { id: string; userId: string; type: string; at: string; props: unknown },
  );
  const insertBatch = raw.transaction((batch: typeof rows) => {
    const now = Date.now();
    for (const e of batch) insert.run(e.id, e.userId, e.type, Date.parse(e.at), JSON.stringify(e.props), now);
  });
  const t0 = performance.now();
  let inserted = 0;
  for (let i = 0; i < rows.length && performance.now() - t0 < 5000; i += BATCH) {
    insertBatch(rows.slice(i, i + BATCH));
    inserted += Math.min(BATCH, rows.length - i);
  }
  const rawRate = inserted / ((performance.now() - t0) / 1000);
  raw.close();
  log(`raw better-sqlite3 insert, ${BATCH} events/transaction, WAL + synchronous=FULL: ${fmt(rawRate)} events/s`);
  return { bare, hw, single, paced, pacedHigh, batched: { ...batched, eps: batched.rps * BATCH }, rawRate, lag };
}

// ---------------------------------------------------------------------------------------- b) timers

const H = 3_600_000;

function timerJourney() {
  return worldOf([{ doc: followUpJourney("timer-bench") }]);
}

async function benchTimers() {
  log(`\n## b) Timer firing with ${fmt(TIMERS.pending)} pending timers`);
  const t0 = Date.parse("2026-11-02T02:00:00Z");
  const clock = { now: t0 };
  const store = new SqliteStore({ path: join(scratch, "timers.sqlite"), backgroundCheckpoints: { log } });
  const engine = new DurableEngine(store, timerJourney(), { now: () => clock.now });

  // One person through the real engine: their state and timer are the template for everyone.
  await engine.ingest([{ id: EventId.parse("seed"), userId: UserId.parse("p0"), type: "signup", at: t0, props: {} }]);
  const seed = store.db.prepare("SELECT state FROM users WHERE user_id = 'p0'").pluck().get() as string;
  const timer = store.db
    .prepare("SELECT journey_id AS journeyId, due_at AS dueAt FROM timers WHERE user_id = 'p0'")
    .get() as { journeyId: string; dueAt: number };
  const [head, rest] = seed.split(`"userId":"p0"`);
  const [mid, tail] = (rest ?? "").split(`"until":${timer.dueAt}`);
  if (head === undefined || rest === undefined || mid === undefined || tail === undefined || timer.dueAt !== t0 + H)
    fail(`unexpected seed state: ${seed}`);
  const stateOf = (userId: string, due: number) => `${head}"userId":"${userId}"${mid}"until":${due}${tail}`;

  // Bulk copies (1 ms apart in due time), in big transactions; durability is restored before timing.
  const built = performance.now();
  store.db.pragma("synchronous = OFF");
  const addUser = store.db.prepare("INSERT INTO users (user_id, state, updated_at) VALUES (?, ?, ?)");
  const addTimer = store.db.prepare("INSERT INTO timers (user_id, journey_id, due_at) VALUES (?, ?, ?)");
  const fill = store.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const due = timer.dueAt + i;
      addUser.run(`p${i}`, stateOf(`p${i}`, due), t0);
      addTimer.run(`p${i}`, timer.journeyId, due);
    }
  });
  for (let i = 1; i < TIMERS.pending; i += TIMERS.insertChunk)
    fill(i, Math.min(TIMERS.pending, i + TIMERS.insertChunk));
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  store.db.pragma("synchronous = FULL");
  const pending = store.db.prepare("SELECT count(*) FROM timers").pluck().get() as number;
  if (pending !== TIMERS.pending) fail(`expected ${TIMERS.pending} timers, found ${pending}`);
  log(`built ${fmt(pending)} people with a pending timer in ${fmt((performance.now() - built) / 1000, 1)} s`);

  const due = t0 + 2 * H; // everyone is due
  const fire = Math.min(TIMERS.fire, TIMERS.pending);

  // Baseline: the same rows copied to a twin table, claimed by index and deleted, 1000 per transaction.
  store.db.exec(
    "CREATE TABLE timers_raw (user_id TEXT NOT NULL, journey_id TEXT NOT NULL, due_at INTEGER NOT NULL, " +
      "PRIMARY KEY (user_id, journey_id)); INSERT INTO timers_raw SELECT * FROM timers; CREATE INDEX " +
      "timers_raw_due ON timers_raw (due_at);",
  );
  const claim = store.db.prepare(
    "SELECT user_id AS userId, journey_id AS journeyId FROM timers_raw WHERE due_at <= ? ORDER BY due_at LIMIT 1000",
  );
  const remove = store.db.prepare("DELETE FROM timers_raw WHERE user_id = ? AND journey_id = ?");
  const claimBatch = store.db.transaction(() => {
    const rows = claim.all(due) as Array<{ userId: string; journeyId: string }>;
    for (const r of rows) remove.run(r.userId, r.journeyId);
    return rows.length;
  });
  let rawDone = 0;
  const rawStart = performance.now();
  while (rawDone < fire) {
    const n = claimBatch.immediate();
    if (n === 0) break;
    rawDone += n;
  }
  const rawRate = rawDone / ((performance.now() - rawStart) / 1000);
  store.db.exec("DROP TABLE timers_raw");
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  log(
    `raw SELECT … ORDER BY due_at LIMIT 1000 + DELETE, a transaction per 1000: ${fmt(rawDone)} rows ` +
      `at ${fmt(rawRate)} rows/s`,
  );

  // The engine's timer loop.
  clock.now = due;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let fired = 0;
  let passes = 0;
  const started = performance.now();
  while (fired < fire) {
    const n = await engine.runDueTimers();
    if (n === 0) break;
    fired += n;
    if (++passes % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const rssAfter = process.memoryUsage().rss;
  const left = store.db.prepare("SELECT count(*) FROM timers").pluck().get() as number;
  const marked = store.db
    .prepare("SELECT state FROM users WHERE user_id = ?")
    .pluck()
    .get(`p${Math.floor(fire / 2)}`) as string;
  store.close();
  if (fired !== fire || left !== TIMERS.pending - fire)
    fail(`fired ${fired}, ${left} timers left (expected ${fire} and ${TIMERS.pending - fire})`);
  if (!marked.includes(`"followed_up":true`) || marked.includes(`"runs":[{`))
    fail(`a fired person did not move on: ${marked.slice(0, 300)}`);
  const rate = fired / seconds;
  log(
    `DurableEngine.runDueTimers: fired ${fmt(fired)} of ${fmt(TIMERS.pending)} pending in ${fmt(seconds, 1)} ` +
      `s = ${fmt(rate)} timers/s (${passes} passes of ≤1000); RSS ${mb(rssBefore)} before, ` +
      `peak ${mb(peak)}, ${mb(rssAfter)} after`,
  );
  return { rate, rawRate, fired, rssBefore, peak, rssAfter };
}

// ---------------------------------------------------------------------------------------- c) grants

function grantJourney(budget = BUDGET) {
  return worldOf([
    {
      doc: {
        schemaVersion: 1,
        id: "grant-bench",
        name: "Points on every purchase, from one budget",
        timeZone: "Asia/Shanghai",
        entry: { reentry: "always" },
        nodes: [
          { id: "bought", kind: "trigger", params: { mode: "event", event: "purchase" } },
          {
            id: "points",
            kind: "reward",
            params: { reward: { type: "points", amount: GRANTS.points }, budget: { id: "pool", amount: budget } },
          },
          { id: "done", kind: "exit", params: { reason: "granted" } },
        ],
        edges: [
          { id: "e1", source: "bought", sourceHandle: "next", target: "points" },
          { id: "e2", source: "points", sourceHandle: "next", target: "done" },
        ],
      },
    },
  ]);
}

async function benchGrants() {
  log(
    `\n## c) Grants under contention: ${fmt(GRANTS.events)} events from ${fmt(GRANTS.users)} people on one ` +
      `reward node, budget ${fmt(BUDGET)} points (${fmt(BUDGET / GRANTS.points)} grants)`,
  );
  const t0 = Date.parse("2026-11-02T02:00:00Z");
  const events: CoreEvent[] = Array.from({ length: GRANTS.events }, (_, i) => ({
    id: EventId.parse(`g${i}`),
    userId: UserId.parse(`c${(i * 7919) % GRANTS.users}`),
    type: "purchase",
    at: t0 + i * 10,
    props: {},
  }));
  const batches: CoreEvent[][] = [];
  for (let i = 0; i < events.length; i += GRANTS.batch) batches.push(events.slice(i, i + GRANTS.batch));

  const store = new SqliteStore({ path: join(scratch, "grants.sqlite"), backgroundCheckpoints: { log } });
  let granted = 0;
  let lastGrantAt = 0;
  const engine = new DurableEngine(
    store,
    grantJourney(),
    { now: () => t0 + 60 * H },
    {
      onCommit: (info) => {
        const n = info.effects.filter((e) => e.kind === "reward").length;
        if (n > 0) {
          granted += n;
          lastGrantAt = performance.now();
        }
      },
    },
  );
  const started = performance.now();
  for (const b of batches) await engine.ingest(b);
  const ended = performance.now();
  const used = store.db
    .prepare("SELECT used FROM counters WHERE key = 'budget/grant-bench/pool'")
    .pluck()
    .get() as number;
  const cap = store.db
    .prepare("SELECT cap FROM counters WHERE key = 'budget/grant-bench/pool'")
    .pluck()
    .get() as number;
  const ledgerSum = store.db.prepare("SELECT coalesce(sum(amount), 0) FROM ledger").pluck().get() as number;
  const ledgerRows = store.db.prepare("SELECT count(*) FROM ledger").pluck().get() as number;
  const refused = store.db
    .prepare('SELECT count(*) FROM timeline WHERE record LIKE \'%"kind":"refuse"%\'')
    .pluck()
    .get() as number;
  store.close();
  const overspend = Math.max(0, used - BUDGET, ledgerSum - BUDGET);
  if (used !== ledgerSum || ledgerRows !== granted || cap !== BUDGET || overspend > 0)
    fail(
      `budget check failed: used ${used}, ledger ${ledgerSum} in ${ledgerRows} rows (${granted} granted), ` +
        `cap ${cap}, budget ${BUDGET}`,
    );
  const grantRate = granted / ((lastGrantAt - started) / 1000);
  const eventRate = events.length / ((ended - started) / 1000);
  log(
    `DurableEngine.ingest, ${GRANTS.batch} events per batch: ${fmt(granted)} grants at ${fmt(grantRate)} ` +
      `grants/s until the budget ran out; all ${fmt(events.length)} events at ${fmt(eventRate)} ` +
      `events/s; ${fmt(refused)} refused (budget)`,
  );
  log(
    `budget check: counter used ${fmt(used)} == ledger sum ${fmt(ledgerSum)} <= budget ${fmt(BUDGET)}: ` +
      `overspend ${overspend}`,
  );

  // Baseline: guarded counter update + ledger insert, nothing else, one transaction per batch.
  const raw = new Database(join(scratch, "raw-grants.sqlite"));
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.exec(
    "CREATE TABLE counters (key TEXT PRIMARY KEY NOT NULL, used INTEGER NOT NULL, cap INTEGER NOT NULL); " +
      "CREATE TABLE ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, grant_key TEXT NOT NULL, user_id TEXT NOT " +
      "NULL, amount INTEGER, at INTEGER NOT NULL); CREATE UNIQUE INDEX ledger_grant_key ON ledger (grant_key);",
  );
  raw.prepare("INSERT INTO counters VALUES ('pool', 0, ?)").run(BUDGET);
  const spend = raw.prepare("UPDATE counters SET used = used + ? WHERE key = ? AND used + ? <= cap");
  const grant = raw.prepare(
    "INSERT INTO ledger (grant_key, user_id, amount, at) VALUES (?, ?, ?, ?) ON CONFLICT (grant_key) DO NOTHING",
  );
  let rawGranted = 0;
  let rawLastGrantAt = 0;
  const rawBatch = raw.transaction((batch: CoreEvent[]) => {
    let n = 0;
    for (const e of batch) {
      if (spend.run(GRANTS.points, "pool", GRANTS.points).changes === 1) {
        grant.run(`grant-bench@1/points/${e.userId}/${e.id}`, e.userId, GRANTS.points, e.at);
        n++;
      }
    }
    return n;
  });
  const rawStarted = performance.now();
  for (const b of batches) {
    const n = rawBatch.immediate(b);
    if (n > 0) {
      rawGranted += n;
      rawLastGrantAt = performance.now();
    }
  }
  const rawUsed = raw.prepare("SELECT used FROM counters").pluck().get() as number;
  raw.close();
  if (rawUsed !== BUDGET || rawGranted * GRANTS.points !== BUDGET)
    fail(`raw baseline: used ${rawUsed}, granted ${rawGranted}`);
  const rawRate = rawGranted / ((rawLastGrantAt - rawStarted) / 1000);
  log(
    `raw guarded UPDATE + ledger INSERT, a transaction per ${GRANTS.batch}: ${fmt(rawGranted)} grants ` +
      `at ${fmt(rawRate)} grants/s`,
  );
  return { grantRate, eventRate, rawRate, overspend, granted };
}

// ----------------------------------------------------------------------------------- d) apply rate

/**
 * The applier alone: APPLY.events purchases (each granting points from one budget that covers
 * them all) accepted into the log first, then applied in batches — events applied per second, CPU
 * per 1,000 events, against the raw guarded-update + ledger-insert loop of (c) as the floor.
 */
async function benchApply(rawGrantRate: number) {
  log(
    `\n## d) The applier behind the log: ${fmt(APPLY.events)} events from ${fmt(APPLY.users)} people, each ` +
      `granting points from one budget`,
  );
  const t0 = Date.parse("2026-11-02T02:00:00Z");
  const store = new SqliteStore({ path: join(scratch, "apply.sqlite"), backgroundCheckpoints: { log } });
  let grants = 0;
  let batches = 0;
  const engine = new DurableEngine(
    store,
    grantJourney(APPLY.events * GRANTS.points),
    { now: () => t0 + 60 * H },
    {
      onCommit: (info) => {
        grants += info.effects.filter((e) => e.kind === "reward").length;
        if (info.events > 0) batches++;
      },
    },
  );
  for (let i = 0; i < APPLY.events; i += APPLY.acceptBatch) {
    await engine.accept(
      Array.from({ length: Math.min(APPLY.acceptBatch, APPLY.events - i) }, (_, j) => ({
        id: EventId.parse(`a${i + j}`),
        userId: UserId.parse(`a${((i + j) * 7919) % APPLY.users}`),
        type: "purchase",
        at: t0 + (i + j) * 10,
        props: {},
      })),
    );
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const applied = await engine.applyPending();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const ledger = store.db.prepare("SELECT count(*) FROM ledger").pluck().get() as number;
  const spent = store.db
    .prepare("SELECT used FROM counters WHERE key = 'budget/grant-bench/pool'")
    .pluck()
    .get() as number;
  store.close();
  if (
    applied !== APPLY.events ||
    grants !== APPLY.events ||
    ledger !== APPLY.events ||
    spent !== APPLY.events * GRANTS.points
  )
    fail(`apply check: applied ${applied}, ${grants} grants, ${ledger} ledger rows, ${spent} spent`);
  const rate = applied / seconds;
  const cpuPer1000 = (used.user + used.system) / 1000 / (applied / 1000);
  log(
    `DurableEngine.applyPending: ${fmt(applied)} events (a grant each) in ${fmt(seconds, 2)} s ` +
      `= ${fmt(rate)} events/s in ${fmt(batches)} batches; CPU ${fmt(cpuPer1000, 1)} ms per 1,000 events; ` +
      `against the raw guarded update + ledger insert at ${fmt(rawGrantRate)}/s: ${pct(rate, rawGrantRate)}`,
  );
  return { rate, cpuPer1000, batches };
}

// ------------------------------------------------------------------------------------------- report

const wall = performance.now();
const loadAtStart = (await import("node:os")).loadavg()[0]!.toFixed(1);
log(`Lifeloop engine benchmark — node ${process.version}, ${process.platform}/${process.arch}; scratch ${scratch}`);
const a = await benchIngest();
const b = await benchTimers();
const c = await benchGrants();
const d = await benchApply(c.rawRate);

const rows: string[][] = [
  ["measure", "Lifeloop", "baseline", "ratio", "goal", "met"],
  [
    "ingest, 1 event/request (events/s)",
    fmt(a.single.rps),
    `${fmt(a.hw.rps)} req/s Hono route parsing the JSON`,
    ratio(a.single.rps, a.hw.rps),
    "≥ 0.5×",
    a.single.rps >= 0.5 * a.hw.rps ? "yes" : "NO",
  ],
  [
    "  (the same against a route that does not read the body)",
    fmt(a.single.rps),
    `${fmt(a.bare.rps)} req/s bare hello-world`,
    ratio(a.single.rps, a.bare.rps),
    "",
    "",
  ],
  [
    `ack latency p50 / p99, ${HTTP.connections} conns flat out (ms)`,
    `${ms(a.single.p50)} / ${ms(a.single.p99)}`,
    `${ms(a.hw.p50)} / ${ms(a.hw.p99)} parsing route`,
    "",
    "p99 < 10 ms",
    a.single.p99 < 10 ? "yes" : "NO",
  ],
  ...(
    [
      [HTTP.pacedRate, a.paced],
      [HTTP.pacedHighRate, a.pacedHigh],
    ] as const
  ).map(([rate, r]) => [
    `ack latency p50 / p99 at ${fmt(rate)} req/s evenly spaced (ms)`,
    `${ms(r.p50)} / ${ms(r.p99)}`,
    "",
    "",
    "p99 < 10 ms",
    r.p99 < 10 ? "yes" : "NO",
  ]),
  [
    "ingest, 100 events/request (events/s)",
    fmt(a.batched.eps),
    `${fmt(a.rawRate)} raw insert (100/tx)`,
    ratio(a.batched.eps, a.rawRate),
    "≥ 0.5×",
    a.batched.eps >= 0.5 * a.rawRate ? "yes" : "NO",
  ],
  [
    "ack latency p99, 100 events/request (ms)",
    ms(a.batched.p99),
    "",
    "",
    "p99 < 50 ms",
    a.batched.p99 < 50 ? "yes" : "NO",
  ],
  [
    `timers fired/s (${fmt(b.fired)} of ${fmt(TIMERS.pending)} pending)`,
    fmt(b.rate),
    `${fmt(b.rawRate)} raw select+delete`,
    ratio(b.rate, b.rawRate),
    "≥ 50,000/s",
    b.rate >= 50_000 ? "yes" : "NO",
  ],
  [
    "timer loop RSS before / peak / after",
    `${mb(b.rssBefore)} / ${mb(b.peak)} / ${mb(b.rssAfter)}`,
    "",
    "",
    "bounded",
    b.peak - b.rssBefore < 256 * 1024 * 1024 ? "yes" : "NO",
  ],
  [
    "grants/s, one budget",
    fmt(c.grantRate),
    `${fmt(c.rawRate)} raw guarded update`,
    ratio(c.grantRate, c.rawRate),
    "≥ 20,000/s",
    c.grantRate >= 20_000 ? "yes" : "NO",
  ],
  ["budget overspend", String(c.overspend), "", "", "0", c.overspend === 0 ? "yes" : "NO"],
  [
    "applied/s, a grant each (applier alone)",
    fmt(d.rate),
    `${fmt(c.rawRate)} raw guarded update`,
    ratio(d.rate, c.rawRate),
    "≥ 20,000/s",
    d.rate >= 20_000 ? "yes" : "NO",
  ],
  ["applier CPU per 1,000 events (ms)", fmt(d.cpuPer1000, 1), "", "", "", ""],
  [
    `lag under 1 s after a ${fmt(a.lag.events)}-event load ends (ms)`,
    fmt(a.lag.under1sMs),
    `${fmt(a.lag.pendingAtEnd)} pending at the end`,
    "",
    "< 5,000 ms",
    a.lag.under1sMs < 5000 ? "yes" : "NO",
  ],
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const pad = (cell: string, i: number) =>
  i === 0 || i === 2 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!);
const line = (r: string[]) => `| ${r.map(pad).join(" | ")} |`;
log(`\n## Summary (${fmt((performance.now() - wall) / 1000)} s; ratios are Lifeloop / baseline, same run)\n`);
log(line(rows[0]!));
log(
  `|${widths.map((w, i) => (i === 0 || i === 2 || i === 4 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`,
);
for (const r of rows.slice(1)) log(line(r));
const { cpus, loadavg } = await import("node:os");
log(
  `\n202 = durably accepted (in the log; applied behind it). One event per request: requests that arrive ` +
    `together share a commit (group commit). ${cpus().length} cores, load average ${loadAtStart} at the ` +
    `start, ${loadavg()[0]!.toFixed(1)} at the end (the machine is shared: figures are noisy).`,
);
process.exit(0);
