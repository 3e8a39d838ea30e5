/**
 * Scale-out benchmark: the engine on PostgreSQL with 1, 2 and 3 worker processes sharing one
 * database, against the engine on SQLite and against a plain SKIP LOCKED queue on the same
 * PostgreSQL server, all in one run.
 *
 *   pnpm --filter @lifeloop/engine bench        (runs engine.bench.ts, then this)
 *   pnpm --filter @lifeloop/engine exec tsx bench/scale.bench.ts
 *
 * The server is a throwaway cluster (Debian's binaries, see src/store/pg/testing/server.ts) with
 * fsync on — durable, like the SQLite file (WAL, synchronous=FULL) — or LIFELOOP_BENCH_DATABASE_URL.
 *
 * a) Durable ingest: each worker is the real sidecar (`src/server/main.ts`, all sample journeys)
 *    in its own process; autocannon sends one unique event per request, the connections split
 *    evenly over the workers. events/s = 202 answers per second (each after COMMIT).
 * b) Grants: a reward journey with one shared budget; clients send batches of purchases from
 *    20 k people round-robin over the workers; the budget covers exactly the events sent, then
 *    more are sent and must all be refused. Checks: ledger sum == counter used == budget.
 * c) Baseline: a bare `jobs` table on the same server: enqueue one row per transaction from as
 *    many connections as (a) uses, and 1/2/3 consumers claiming 100 rows per transaction with
 *    `DELETE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`.
 *
 * A report, not a test: figures vary on a shared 2-core machine. Correctness checks abort the run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import pg from "pg";
import { createDatabase, startServer as startPostgres, type TestServer } from "../src/store/pg/testing/server.ts";
import { startServer, type Server } from "./child.ts";

const SAMPLE_JOURNEYS = fileURLToPath(new URL("../../samples/journeys", import.meta.url));
const HTTP = { connections: 32, durationS: 8, warmupS: 2 };
const GRANTS = { events: 20_000, users: 20_000, points: 10, batch: 100, clients: 6 };
const QUEUE = { rows: 200_000, claim: 100, enqueueS: 5 };

const scratch = mkdtempSync(join(tmpdir(), "lifeloop-scale-"));
let server: TestServer | null = null;
const cleanup = () => {
  server?.stop();
  rmSync(scratch, { recursive: true, force: true });
};
process.on("exit", cleanup);
for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => process.exit(130));

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const log = (line: string) => console.log(line);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
function fail(message: string): never {
  console.error(`scale bench: ${message}`);
  process.exit(1);
}

// ------------------------------------------------------------------------------------------ workers

const startWorker = (db: string, journeys: string[]): Promise<Server> =>
  startServer(
    "src/server/main.ts",
    ["--db", db, "--port", "0", ...journeys.flatMap((j) => ["--journey", j])],
    "a worker",
  );

const EVENT_TYPES = ["transaction", "checkin", "invite_accepted", "login", "transaction", "checkin"];
function eventJson(tag: string, n: number): string {
  const type = EVENT_TYPES[n % EVENT_TYPES.length]!;
  const props =
    type === "transaction"
      ? `{"amount":${((n * 7919) % 5000) * 100 + 100}}`
      : type === "invite_accepted"
        ? `{"inviteeId":"f${n}"}`
        : "{}";
  return (
    `{"id":"${tag}-${n}","userId":"user-${(n * 7) % 20_000}","type":"${type}` +
    `","at":"${new Date().toISOString()}","props":${props}}`
  );
}

/**
 * autocannon against every worker at once, the connections split evenly; 2xx answers per second in
 * all. Each worker's stream starts at a different person (not the same people in lockstep on every
 * worker, which would measure nothing but per-person lock waits).
 */
async function loadAll(
  workers: Server[],
  seconds: number,
  tag: string,
): Promise<{ eps: number; ok: number; errors: number; non2xx: number }> {
  const per = Math.max(1, Math.floor(HTTP.connections / workers.length));
  const results = await Promise.all(
    workers.map((w, k) => {
      let n = 0;
      return new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(
          {
            url: `${w.url}/v1/events`,
            connections: per,
            duration: seconds,
            requests: [
              {
                method: "POST",
                headers: { "content-type": "application/json" },
                setupRequest: (req) => ({ ...req, body: eventJson(`${tag}-${k}`, k * 6661 + n++) }),
              },
            ],
          },
          (err, r) => (err ? reject(err) : resolve(r)),
        );
      });
    }),
  );
  const ok = results.reduce((a, r) => a + r["2xx"], 0);
  return {
    eps: ok / seconds,
    ok,
    errors: results.reduce((a, r) => a + r.errors, 0),
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
  };
}

function grantJourneyFile(budget: number): string {
  const path = join(scratch, "grant-bench.json");
  writeFileSync(
    path,
    JSON.stringify({
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
    }),
  );
  return path;
}

/**
 * Sends `count` purchases (ids tagged) in batches, `GRANTS.clients` clients round-robin over the workers; with `wait`,
 * each answered once applied.
 */
async function sendPurchases(workers: Server[], tag: string, count: number, wait = false): Promise<number> {
  const at = new Date().toISOString();
  const batches: string[] = [];
  for (let i = 0; i < count; i += GRANTS.batch) {
    const n = Math.min(GRANTS.batch, count - i);
    batches.push(
      JSON.stringify(
        Array.from({ length: n }, (_, j) => ({
          id: `${tag}-${i + j}`,
          userId: `c${((i + j) * 7919) % GRANTS.users}`,
          type: "purchase",
          at,
          props: {},
        })),
      ),
    );
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: GRANTS.clients }, async (_, c) => {
      // biome-ignore lint/suspicious/noImplicitAnyLet: a loop counter: number from its first assignment
      for (let b; (b = next++) < batches.length; ) {
        const w = workers[(b + c) % workers.length]!;
        const res = await fetch(`${w.url}/v1/events${wait ? "?wait=applied" : ""}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: batches[b]!,
        });
        const text = await res.text();
        if (res.status !== 202 || (wait && !(JSON.parse(text) as { applied: boolean }).applied))
          fail(`purchase batch answered ${res.status}: ${text}`);
      }
    }),
  );
  return performance.now() - started;
}

interface Figures {
  label: string;
  workers: number;
  ingest: number;
  grants: number;
  /** Events applied per second, from the load's start until the last was applied. */
  applyEps: number;
  /** CPU seconds per 1,000 events, all workers together, and in the database server. */
  cpuWorker: number;
  cpuDb: number;
}

/** One configuration: fresh database, N workers, ingest then grants, checks. */
async function runConfig(
  label: string,
  db: string,
  n: number,
  count: (sql: string) => Promise<number>,
  stats?: () => Promise<string>,
): Promise<Figures> {
  const budget = GRANTS.events * GRANTS.points;
  const journeys = [SAMPLE_JOURNEYS, grantJourneyFile(budget)];
  // One at a time: the first applies the migrations, the rest find them done.
  const workers: Server[] = [];
  for (let i = 0; i < n; i++) workers.push(await startWorker(db, journeys));
  await loadAll(workers, HTTP.warmupS, `${label}-warm`);
  await untilApplied(workers);
  const storedBefore = await count("SELECT count(*) FROM events");
  const cpuBefore = { workers: workers.map((w) => cpuSeconds(w.proc.pid!)), db: await dbCpu() };
  const ingest = await loadAll(workers, HTTP.durationS, `${label}-run`);
  if (ingest.errors || ingest.non2xx)
    fail(
      `${label}: ${ingest.errors} errors, ${ingest.non2xx} non-2xx during ingest; stderr: ${workers
        .map((w) => w.stderr())
        .join(" | ")
        .slice(0, 1000)}`,
    );
  // Acknowledged is in the log; how long until the appliers have applied all of it.
  const drainStarted = performance.now();
  await untilApplied(workers);
  const drainMs = performance.now() - drainStarted;
  const appliedEvents = (await count("SELECT count(*) FROM events")) - storedBefore;
  const cpu = {
    workers: workers.map((w, i) => cpuSeconds(w.proc.pid!) - cpuBefore.workers[i]!),
    db: (await dbCpu()) - cpuBefore.db,
  };
  const per1000 = (sec: number) => (1000 * sec) / Math.max(1, appliedEvents);
  const applyEps = appliedEvents / ((HTTP.durationS * 1000 + drainMs) / 1000);
  log(
    `${label}: ${fmt(appliedEvents)} events acknowledged in ${HTTP.durationS} s, all applied ${fmt(drainMs)} ` +
      `ms after the load ended (${fmt(applyEps)} events/s applied end to end); CPU per 1,000 ` +
      `events: ${cpu.workers.map((c) => fmt(per1000(c), 2)).join(" + ")} s in the ` +
      `worker${n > 1 ? "s" : ""}${cpu.db > 0 ? `, ${fmt(per1000(cpu.db), 2)} s in the database server` : ""}`,
  );

  const ms = await sendPurchases(workers, `${label}-buy`, GRANTS.events, true);
  // The budget is spent; 1 000 more purchases must all be refused.
  await sendPurchases(workers, `${label}-over`, 1000, true);
  const used = await count("SELECT used FROM counters WHERE key = 'budget/grant-bench/pool'");
  const ledgerSum = await count("SELECT coalesce(sum(amount), 0) FROM ledger WHERE journey_id = 'grant-bench'");
  const ledgerRows = await count("SELECT count(*) FROM ledger WHERE journey_id = 'grant-bench'");
  const dupKeys = await count("SELECT count(*) - count(DISTINCT grant_key) FROM ledger");
  if (used !== budget || ledgerSum !== budget || ledgerRows !== GRANTS.events || dupKeys !== 0)
    fail(
      `${label}: budget check failed: used ${used}, ledger ${ledgerSum} in ${ledgerRows} rows, ${dupKeys} ` +
        `repeated keys, budget ${budget}`,
    );
  const stored = await count("SELECT count(*) FROM events");
  if (stored < ingest.ok) fail(`${label}: ${ingest.ok} acknowledged but ${stored} events stored`);
  for (const w of workers) await w.stop();
  const grants = GRANTS.events / (ms / 1000);
  if (stats) log(`${label}: ${await stats()}`);
  log(
    `${label}: ingest ${fmt(ingest.eps)} events/s (1 event/request, ${HTTP.connections} connections ` +
      `over ${n} worker${n > 1 ? "s" : ""}); grants ${fmt(grants)}/s (${fmt(GRANTS.events)} from one budget, ` +
      `batches of ${GRANTS.batch}, ${GRANTS.clients} clients); budget ${fmt(used)}/${fmt(budget)}, 1,000 ` +
      `over-budget purchases refused, no key twice`,
  );
  return {
    label,
    workers: n,
    ingest: ingest.eps,
    grants,
    applyEps,
    cpuWorker: cpu.workers.reduce((a, c) => a + per1000(c), 0),
    cpuDb: per1000(cpu.db),
  };
}

/** Polls every worker's /readyz until none has events pending (the log is applied). */
async function untilApplied(workers: Server[]): Promise<void> {
  const deadline = performance.now() + 300_000;
  for (;;) {
    const states = await Promise.all(
      workers.map(
        async (w) =>
          ((await (await fetch(`${w.url}/readyz`)).json()) as { applier?: { pending: number } }).applier?.pending ?? -1,
      ),
    );
    if (states.every((p) => p === 0)) return;
    if (performance.now() > deadline) fail(`the appliers did not catch up within 300 s: ${states.join(", ")} pending`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux; 0 elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // After "pid (comm) ": state is field 0; utime, stime are fields 11 and 12 (stat's 14th and 15th).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/** CPU seconds of the PostgreSQL server this bench started: the postmaster and its children (0 for a given server). */
let postmaster: number | null = null;
async function dbCpu(): Promise<number> {
  if (postmaster === null) return 0;
  let total = cpuSeconds(postmaster);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const after = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(after[1]) === postmaster) total += cpuSeconds(Number(entry));
    } catch {
      // The process ended while it was read: its CPU is gone with it.
    }
  }
  return total;
}

// ------------------------------------------------------------------------------------ SKIP LOCKED

async function skipLockedQueue(url: string): Promise<{ enqueue: number; dequeue: number[] }> {
  const pool = new pg.Pool({ connectionString: url, max: HTTP.connections + 4 });
  await pool.query("CREATE TABLE jobs (id bigserial PRIMARY KEY, user_id text NOT NULL, payload text NOT NULL)");
  const payload = eventJson("q", 1);
  // Enqueue: one row per transaction (one commit each), as many connections as the ingest runs.
  let enq = 0;
  const until = performance.now() + QUEUE.enqueueS * 1000;
  await Promise.all(
    Array.from({ length: HTTP.connections }, async (_, c) => {
      while (performance.now() < until) {
        await pool.query("INSERT INTO jobs (user_id, payload) VALUES ($1, $2)", [`user-${c}-${enq}`, payload]);
        enq++;
      }
    }),
  );
  const enqueue = enq / QUEUE.enqueueS;
  log(`SKIP LOCKED queue, enqueue 1 row per transaction over ${HTTP.connections} connections: ${fmt(enqueue)} rows/s`);
  const dequeue: number[] = [];
  for (const consumers of [1, 2, 3]) {
    await pool.query("TRUNCATE jobs");
    await pool.query(
      "INSERT INTO jobs (user_id, payload) SELECT 'user-' || g % 20000, $1 FROM generate_series(1, $2) g",
      [payload, QUEUE.rows],
    );
    await pool.query("VACUUM ANALYZE jobs");
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: consumers }, async () => {
        const client = await pool.connect();
        try {
          for (;;) {
            await client.query("BEGIN");
            const r = await client.query(
              "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs ORDER BY id LIMIT $1 FOR UPDATE SKIP " +
                "LOCKED) RETURNING id, payload",
              [QUEUE.claim],
            );
            await client.query("COMMIT");
            done += r.rowCount ?? 0;
            if ((r.rowCount ?? 0) === 0) break;
          }
        } finally {
          client.release();
        }
      }),
    );
    if (done !== QUEUE.rows) fail(`queue: ${done} rows consumed of ${QUEUE.rows}`);
    const rate = done / ((performance.now() - started) / 1000);
    dequeue.push(rate);
    log(
      `SKIP LOCKED queue, ${consumers} consumer${consumers > 1 ? "s" : ""} claiming ${QUEUE.claim} rows per ` +
        `transaction: ${fmt(rate)} rows/s`,
    );
  }
  await pool.end();
  return { enqueue, dequeue };
}

// ------------------------------------------------------------------------------------------- report

const wall = performance.now();
const loadAtStart = (await import("node:os")).loadavg()[0]!.toFixed(1);
log(`Lifeloop scale-out benchmark — node ${process.version}, ${process.platform}/${process.arch}; scratch ${scratch}`);
const given = process.env.LIFELOOP_BENCH_DATABASE_URL;
if (!given) server = await startPostgres({ fast: false });
const baseUrl = given ?? server!.url;
{
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  if (!given) {
    // The server's CPU per 1,000 events: its postmaster (first line of postmaster.pid) and children.
    const dataDir = (await c.query("SHOW data_directory")).rows[0].data_directory as string;
    postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  }
  log(
    `PostgreSQL: ${(await c.query("SELECT version()")).rows[0].version.split(",")[0]}; ` +
      `fsync ${(await c.query("SHOW fsync")).rows[0].fsync}, ` +
      `synchronous_commit ${(await c.query("SHOW synchronous_commit")).rows[0].synchronous_commit}`,
  );
  await c.end();
}

log(`\n## SQLite (1 worker; WAL, synchronous=FULL)`);
const sqlitePath = join(scratch, "engine.sqlite");
const sqlite = await runConfig("SQLite × 1", sqlitePath, 1, async (sql) => {
  const db = new Database(sqlitePath, { readonly: true });
  try {
    return Number(db.prepare(sql).pluck().get() ?? 0);
  } finally {
    db.close();
  }
});

log(`\n## PostgreSQL, 1, 2 and 3 workers on one database`);
const pgRuns: Figures[] = [];
const databases: Array<{ drop(): Promise<void> }> = [];
for (const n of [1, 2, 3]) {
  const db = await createDatabase(baseUrl, `lifeloop_bench_${n}`);
  databases.push(db);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const stats = async () => {
    const r = (
      await pool.query(
        "SELECT xact_commit, xact_rollback, deadlocks FROM pg_stat_database WHERE datname = current_database()",
      )
    ).rows[0];
    return (
      `server: ${fmt(Number(r.xact_commit))} commits, ${fmt(Number(r.xact_rollback))} rollbacks (re-run ` +
      `transactions and failed batches), ${fmt(Number(r.deadlocks))} deadlocks`
    );
  };
  pgRuns.push(
    await runConfig(
      `PostgreSQL × ${n}`,
      db.url,
      n,
      async (sql) => Number(Object.values((await pool.query(sql)).rows[0] ?? { n: 0 })[0] ?? 0),
      stats,
    ),
  );
  await pool.end();
}

log(`\n## Baseline: a plain SKIP LOCKED queue on the same server`);
const qdb = await createDatabase(baseUrl, "lifeloop_bench_queue");
databases.push(qdb);
const queue = await skipLockedQueue(qdb.url);
if (given) for (const d of databases) await d.drop();

const rows: string[][] = [
  [
    "configuration",
    "ingest events/s",
    "vs SQLite",
    "vs SKIP LOCKED enqueue",
    "grants/s",
    "vs SQLite",
    "vs 1 PG worker",
  ],
  [sqlite.label, fmt(sqlite.ingest), "1.00×", ratio(sqlite.ingest, queue.enqueue), fmt(sqlite.grants), "1.00×", ""],
  ...pgRuns.map((r) => [
    r.label,
    fmt(r.ingest),
    ratio(r.ingest, sqlite.ingest),
    ratio(r.ingest, queue.enqueue),
    fmt(r.grants),
    ratio(r.grants, sqlite.grants),
    ratio(r.grants, pgRuns[0]!.grants),
  ]),
  [
    "SKIP LOCKED queue",
    `${fmt(queue.enqueue)} enq`,
    "",
    "1.00×",
    `${queue.dequeue.map((d) => fmt(d)).join(" / ")} deq (1/2/3)`,
    "",
    "",
  ],
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) =>
  `| ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
log(`\n## Summary (${fmt((performance.now() - wall) / 1000)} s; ratios against baselines measured in this run)\n`);
log(line(rows[0]!));
log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const r of rows.slice(1)) log(line(r));
const { cpus, loadavg } = await import("node:os");
log(
  `\nPostgreSQL with 3 workers: ingest ${ratio(pgRuns[2]!.ingest, pgRuns[0]!.ingest)}, ` +
    `grants ${ratio(pgRuns[2]!.grants, pgRuns[0]!.grants)} one worker's. ` +
    `All grants come from one budget row, so they commit one after another whatever the worker count. The ` +
    `workers, the server and the load generator share ${cpus().length} cores ` +
    `(load average ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(1)} at the end): more worker ` +
    `processes than cores add no CPU.`,
);
process.exit(0);
