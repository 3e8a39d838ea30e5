import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { EventEnvelope, UserId } from "@lifeloop/shared";
import { afterAll, expect } from "vitest";
import type { Effect } from "../core/index.ts";
import { MemoryEngine } from "../runtime/memory.ts";
import { feedFromFiles, worldFromFeed } from "../runtime/feed.ts";
import { simulate, toCoreEvent } from "../simulate.ts";

/**
 * The crash test of the engine issue (run on SQLite by crash.test.ts, on PostgreSQL by crash.pg.test.ts): a child
 * engine process is sent SIGKILL at random moments
 * during HTTP ingest, many times, and restarted on the same database (a SQLite file, or PostgreSQL). The client
 * re-sends the
 * batch it was not answered for (same ids) and goes on. In the end every acknowledged event must
 * be in the log exactly once, applied exactly once, and the ledger, counters, outbox, timeline and
 * every person's state must equal a clean in-memory run over the same events in the same order.
 *
 * Journeys without waits, so the outcome depends on the events alone (not on wall-clock timers).
 */

const root = fileURLToPath(new URL("../../../", import.meta.url));
const child = join(root, "engine", "src", "testing", "sidecar-child.ts");
/** The engines' clock: after the whole stream (which spans November into December 2026), whatever today is. */
const ENGINE_CLOCK = "2027-01-01T00:00:00Z";
const JOURNEYS = ["invite-reward", "tiered-rebate", "daily-checkin"].map((n) =>
  join(root, "samples", "journeys", `${n}.json`),
);

const SEED = 0x11fe100b;
const EVENTS = 3000;
const USERS = 50;
export const INVITE_BUDGET_KEY = "budget/invite-reward/invite_campaign";

/** mulberry32: small, seeded, good enough to pick moments and events. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** A deterministic stream in time order, crossing a month boundary (Asia/Shanghai), with unique ids. */
export function eventStream(seed: number): EventEnvelope[] {
  const r = prng(seed);
  const events: EventEnvelope[] = [];
  let at = Date.parse("2026-11-18T00:00:00Z");
  for (let i = 0; i < EVENTS; i++) {
    at += r.int(1, 25 * 60) * 1000;
    const userId = `u${r.int(1, USERS)}`;
    const p = r.next();
    const base = { id: `crash-${seed.toString(16)}-${i}`, userId, at: new Date(at).toISOString() };
    if (p < 0.1)
      events.push(EventEnvelope.parse({ ...base, type: "invite_accepted", props: { inviteeId: `friend-${i}` } }));
    else if (p < 0.55)
      events.push(EventEnvelope.parse({ ...base, type: "transaction", props: { amount: r.int(1, 8000) * 100 } }));
    else events.push(EventEnvelope.parse({ ...base, type: "checkin", props: {} }));
  }
  return events;
}

/** Batches of 1–50 events, in stream order. */
export function batchesOf(events: EventEnvelope[], seed: number): EventEnvelope[][] {
  const r = prng(seed ^ 0x5a5a5a5a);
  const out: EventEnvelope[][] = [];
  for (let i = 0; i < events.length; ) {
    const n = r.int(1, 50);
    out.push(events.slice(i, i + n));
    i += n;
  }
  return out;
}

export interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<void>;
  stderr: () => string;
  /** What the engine logged (it logs to stdout), the last 200 000 characters. */
  stdout: () => string;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Starts the real engine entry point as `node --import tsx` (not the tsx wrapper: SIGKILL must hit the engine itself).
 */
export function startEngine(db: string, extraEnv: Record<string, string> = {}): Promise<Child> {
  const args = ["--import", "tsx", child, "--db", db, ...JOURNEYS.flatMap((j) => ["--journey", j])];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("LIFELOOP_")) delete env[k];
  // ?wait=applied answers "not applied yet" after LIFELOOP_WAIT_APPLIED_MS (a valid 202 the
  // scenario counts as a problem). On PostgreSQL a killed worker's partitions wait out their lease
  // (10 s) before the restarted one applies them, so the default 10 s wait can lose that race on a
  // busy machine; 60 s keeps the check about loss and duplicates, not about timing.
  Object.assign(env, { LIFELOOP_TEST_CLOCK: ENGINE_CLOCK, LIFELOOP_WAIT_APPLIED_MS: "60000" }, extraEnv);
  const proc = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(proc);
  let out = "";
  let err = "";
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.stderr!.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`the engine did not start within 20 s; stderr: ${err}`));
    }, 20_000);
    let listening = false;
    proc.stdout!.on("data", (d: Buffer) => {
      out = (out + d.toString()).slice(-200_000);
      if (listening) return;
      const m = /lifeloop engine listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, exited, stderr: () => err, stdout: () => out });
      }
    });
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the engine exited before listening (code ${code}, signal ${signal}); stderr: ${err}`));
    });
  });
}

/** The clean run: the same journeys and events through the in-memory engine (what simulate runs). */
function cleanRun(events: EventEnvelope[]) {
  const world = worldFromFeed(feedFromFiles(JOURNEYS));
  const effects: Effect[] = [];
  let traces = 0;
  const engine = new MemoryEngine(world, {
    onEffects: (e) => effects.push(...e),
    onTrace: (t) => (traces += t.length),
  });
  for (const e of events) engine.ingest(toCoreEvent(e));
  const rewards = effects.filter((e): e is Extract<Effect, { kind: "reward" }> => e.kind === "reward");
  const messages = effects.filter((e): e is Extract<Effect, { kind: "message" }> => e.kind === "message");
  return {
    world,
    engine,
    ledger: rewards.map((e) => `${e.grantKey} ${e.reward.amount} ${e.userId} ${e.nodeId}`).sort(),
    outbox: [...rewards.map((e) => `reward:${e.grantKey}`), ...messages.map((e) => `message:${e.outboxKey}`)].sort(),
    timeline: effects.filter((e) => e.kind !== "move").length + traces,
    inviteGrants: rewards.filter((e) => e.journeyId === "invite-reward").length,
  };
}

/** Equal multisets, with a failure message that names a few differences instead of dumping thousands of rows. */
function expectSame(what: string, actual: string[], expected: string[]): void {
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const a = count(actual);
  const e = count(expected);
  const missing = [...e].filter(([x, n]) => (a.get(x) ?? 0) < n).map(([x]) => x);
  const extra = [...a].filter(([x, n]) => (e.get(x) ?? 0) < n).map(([x]) => x);
  const show = (xs: string[]) => `${xs.length}${xs.length ? ` (e.g. ${xs.slice(0, 5).join(", ")})` : ""}`;
  expect(
    { missing: missing.length, extra: extra.length },
    `${what}: missing ${show(missing)}; extra or repeated ${show(extra)}`,
  ).toEqual({ missing: 0, extra: 0 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Events in the log the applier has not applied (read from the database while no engine runs, or beside one). */
export async function pendingInLog(db: string): Promise<number> {
  const inspect = db.startsWith("postgres") ? postgresInspector(db) : sqliteInspector(db);
  try {
    const sql = db.startsWith("postgres")
      ? "SELECT count(*) AS n FROM events e JOIN applier_cursors c ON c.part = e.part WHERE (e.xid, e.seq) > " +
        "(c.xid, c.seq)"
      : "SELECT count(*) AS n FROM events WHERE seq > (SELECT seq FROM applier_cursors WHERE part = 0)";
    return Number((await inspect.all<{ n: number }>(sql))[0]!.n);
  } finally {
    await inspect.close();
  }
}

/** Polls /readyz until the engine's applier has nothing pending (at most 60 s). */
export async function untilCaughtUp(engine: { url: string }): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const res = await fetch(`${engine.url}/readyz`);
    const body = (await res.json()) as { applier?: { pending: number } };
    if (res.status === 200 && body.applier?.pending === 0) return;
    if (performance.now() > deadline)
      throw new Error(`the applier did not catch up within 60 s: ${JSON.stringify(body)}`);
    await sleep(20);
  }
}

/** Reads what the engine left behind, in SQL both stores understand (`?` placeholders). */
export interface Inspector {
  all<T>(sql: string, args?: unknown[]): Promise<T[]>;
  /** The SQL for "how many entries are in the timeline" (its rows are JSON arrays). */
  timelineEntries: string;
  close(): Promise<void>;
}

function sqliteInspector(path: string): Inspector {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  return {
    all: async <T>(sql: string, args: unknown[] = []) => db.prepare(sql).all(...args) as T[],
    timelineEntries: "SELECT sum(json_array_length(record)) AS n FROM timeline",
    close: async () => void db.close(),
  };
}

export function postgresInspector(url: string): Inspector {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection the server ended (the restart test restarts it): the pool has already
  // dropped it and the next query connects again; without a listener the test process would die.
  pool.on("error", (e) => void e);
  return {
    all: async <T>(sql: string, args: unknown[] = []) => {
      let i = 0;
      return (
        await pool.query(
          sql.replace(/\?/g, () => `$${++i}`),
          args,
        )
      ).rows as T[];
    },
    timelineEntries: "SELECT sum(json_array_length(record::json)) AS n FROM timeline",
    close: () => pool.end(),
  };
}

/** A SQLite file in a fresh temp directory. */
export function tempSqlite(): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-crash-"));
  dirs.push(dir);
  return join(dir, "engine.sqlite");
}

/**
 * Runs the scenario against `db` (a SQLite path or a postgres:// URL) with `KILLS` SIGKILLs, and
 * checks everything stored against the clean run. Returns the closing line it also prints.
 */
export async function crashScenario(db: string, KILLS: number): Promise<string> {
  const started = performance.now();
  const events = eventStream(SEED);
  const batches = batchesOf(events, SEED);
  const r = prng(SEED ^ 0x0c0ffee);

  // The killer: each life of the engine dies a few requests in, a random 0–20 ms after the client
  // sends one — mid-request, mid-commit, between commit and answer, or between requests.
  const perLife = Math.max(2, Math.floor(batches.length / KILLS));
  let kills = 0;
  let current = await startEngine(db);
  let ready: Promise<Child> = Promise.resolve(current);
  let untilKill = r.int(1, perLife);
  let finished = false;
  const kill = (victim: Child) => {
    if (finished || victim !== current || victim.proc.killed || victim.proc.exitCode !== null) return;
    kills++;
    ready = (async () => {
      await victim.exited;
      if ((await pendingInLog(db)) > 0) killsWithBacklog++;
      current = await startEngine(db);
      untilKill = kills < KILLS ? r.int(1, perLife) : Infinity;
      return current;
    })();
    // The client awaits it and fails on a start that failed; this only keeps Node from calling it unhandled meanwhile.
    ready.catch(() => {});
    victim.proc.kill("SIGKILL");
  };
  const onSend = (c: Child) => {
    if (--untilKill !== 0) return;
    setTimeout(() => kill(c), r.int(0, 20));
  };

  // The client: batches in order, one at a time; an unanswered batch is re-sent as is.
  const acked = new Set<string>();
  const problems: string[] = [];
  let attempts = 0;
  let duplicatesSeen = 0;
  /** What the re-sent batch found after a kill: committed but not answered, or not committed. */
  const resent = { committed: 0, notCommitted: 0 };
  /** Kills that found events acknowledged and not applied yet (read from the log right after). */
  let killsWithBacklog = 0;
  for (const [b, batch] of batches.entries()) {
    const body = JSON.stringify(batch);
    // Every other batch waits for its effects; the rest are answered once in the log, so kills
    // also land between acknowledgement and application, and in the middle of applier batches.
    const wait = b % 2 === 1 ? "?wait=applied" : "";
    for (let tries = 0; ; tries++) {
      expect(tries, "a batch kept failing").toBeLessThan(50);
      const child = await ready;
      attempts++;
      onSend(child);
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${child.url}/v1/events${wait}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(75_000), // past the 60 s ?wait=applied bound (startEngine)
        });
        text = await res.text();
      } catch {
        // Connection refused or reset: the engine died. Wait for the next one and re-send.
        if (child === current && child.proc.exitCode === null && child.proc.signalCode === null) await sleep(20);
        continue;
      }
      if (res.status !== 202) {
        problems.push(`HTTP ${res.status}: ${text.slice(0, 300)}`);
        await sleep(20);
        continue;
      }
      const result = JSON.parse(text) as { accepted: number; duplicates: number; failed?: number; applied: boolean };
      if (
        (result.failed ?? 0) !== 0 ||
        result.accepted + result.duplicates !== batch.length ||
        result.applied !== (wait !== "")
      )
        problems.push(`unexpected answer ${text} for a batch of ${batch.length}`);
      duplicatesSeen += result.duplicates;
      if (tries > 0) {
        if (result.duplicates === batch.length) resent.committed++;
        else if (result.accepted === batch.length) resent.notCommitted++;
        else problems.push(`a re-sent batch was half committed: ${text}`);
      }
      for (const e of batch) acked.add(e.id);
      break;
    }
  }
  // A last kill with everything acknowledged: everything must be in the log, and a fresh start
  // must apply what was not applied yet, once, by itself (no client re-sends anything now).
  finished = true;
  const last = current;
  last.proc.kill("SIGKILL");
  await last.exited;
  const backlogAtEnd = await pendingInLog(db);
  const recovery = await startEngine(db);
  await untilCaughtUp(recovery);
  recovery.proc.kill("SIGKILL");
  await recovery.exited;

  expect(problems).toEqual([]);
  expect(acked.size).toBe(events.length);
  expect(kills).toBeGreaterThanOrEqual(Math.floor(KILLS * 0.75));

  const clean = cleanRun(events);
  // Sanity of the stream itself: the budget runs out (10 × 500), so an overspend would show.
  expect(clean.inviteGrants).toBe(10);

  const store = db.startsWith("postgres") ? postgresInspector(db) : sqliteInspector(db);
  try {
    const all = <T>(sql: string, args: unknown[] = []) => store.all<T>(sql, args);
    const one = async (sql: string, args: unknown[] = []) =>
      Number(Object.values((await store.all<Record<string, unknown>>(sql, args))[0]!)[0]);
    const column = async (sql: string) =>
      (await store.all<Record<string, unknown>>(sql)).map((r) => Object.values(r)[0] as string);

    // The log: each id exactly once, exactly the set sent, none failed.
    const stored = await column("SELECT id FROM events");
    expectSame("acknowledged events in the log", stored, [...acked]);
    expectSame(
      "events in the log",
      stored,
      events.map((e) => e.id),
    );
    expect(await one("SELECT count(*) FROM events")).toBe(events.length);
    expect(await all("SELECT id, error FROM events WHERE status <> 'applied'")).toEqual([]);
    // In the order sent (sequential client): what the clean run assumed.
    expect(await column("SELECT id FROM events ORDER BY seq")).toEqual(events.map((e) => e.id));

    // The ledger equals the clean run's, grant for grant.
    const ledger = (
      await column("SELECT grant_key || ' ' || amount || ' ' || user_id || ' ' || node_id AS k FROM ledger")
    ).sort();
    expectSame("ledger (grant_key amount user node) against the clean run", ledger, clean.ledger);
    // And simulate (the library function) agrees on who got what, when.
    const sim = simulate({
      journeys: feedFromFiles(JOURNEYS).journeys.map((j) => ({ executable: j.versions[0]!.executable })),
      events,
    });
    const simRewards = sim.effects
      .filter((e) => e.kind === "reward")
      .map((e) => `${e.at} ${e.userId} ${e.nodeId} ${(e.reward as { amount: number }).amount}`)
      .sort();
    const dbRewards = (
      await all<{ at: number; u: string; n: string; a: number }>(
        'SELECT at, user_id AS "u", node_id AS "n", amount AS "a" FROM ledger',
      )
    )
      .map((x) => `${new Date(Number(x.at)).toISOString()} ${x.u} ${x.n} ${x.a}`)
      .sort();
    expectSame("ledger (at user node amount) against simulate()", dbRewards, simRewards);

    // Budgets: never past their cap; each equals what the ledger granted from it; the invite budget is spent exactly.
    const counters = (await all<{ key: string; used: number; cap: number }>("SELECT key, used, cap FROM counters")).map(
      (c) => ({ key: c.key, used: Number(c.used), cap: Number(c.cap) }),
    );
    expect(counters.filter((c) => c.used > c.cap)).toEqual([]);
    expect(Object.fromEntries(counters.map((c) => [c.key, c.used]))).toEqual(Object.fromEntries(clean.engine.counters));
    for (const c of counters.filter((c) => c.key.startsWith("budget/"))) {
      const [, journeyId, budgetId] = c.key.split("/");
      const spent = await one("SELECT coalesce(sum(amount), 0) FROM ledger WHERE journey_id = ? AND budget_id = ?", [
        journeyId,
        budgetId,
      ]);
      expect(spent, c.key).toBe(c.used);
    }
    const invite = counters.find((c) => c.key === INVITE_BUDGET_KEY)!;
    expect(invite.used).toBe(await one("SELECT sum(amount) FROM ledger WHERE journey_id = 'invite-reward'"));
    expect(invite.used).toBeLessThanOrEqual(5000);
    expect(invite.used).toBe(5000);

    // Outbox: one reward row per grant, one message row per message, nothing twice.
    const outbox = (await column("SELECT key FROM outbox")).sort();
    expectSame("outbox keys against the clean run", outbox, clean.outbox);
    expect(await one("SELECT count(*) FROM outbox WHERE kind = 'reward'")).toBe(
      await one("SELECT count(*) FROM ledger"),
    );

    // Applied exactly once, all the way down: the timeline and each person's state (aggregates, caps, entries).
    expect(await one(store.timelineEntries)).toBe(clean.timeline);
    const states = await all<{ user_id: string; state: string }>("SELECT user_id, state FROM users");
    expect(states.length).toBe(clean.engine.users.size);
    for (const s of states)
      expect(JSON.parse(s.state), s.user_id).toEqual(clean.engine.users.get(UserId.parse(s.user_id)));

    const grants = await one("SELECT count(*) FROM ledger");
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line =
      `crash test (${db.startsWith("postgres") ? "PostgreSQL" : "SQLite"}): ${kills} SIGKILLs + 1 final ` +
      `(${killsWithBacklog} + ${backlogAtEnd > 0 ? 1 : 0} with events acknowledged but not ` +
      `applied; ${backlogAtEnd} left for the restart to apply), ${events.length} events in ${batches.length} ` +
      `batches (${attempts} requests; re-sent after a kill: ${resent.committed} batches already ` +
      `committed, ${resent.notCommitted} not; ${duplicatesSeen} duplicate events), ${grants} grants (invite ` +
      `budget ${invite.used}/${invite.cap}), ledger == clean run, ${seconds} s`;
    console.log(line);
    return line;
  } finally {
    await store.close();
  }
}

/**
 * What several workers (workers.pg.test.ts, pg-restart.pg.test.ts) must have left behind: each
 * acknowledged event in the log exactly once and applied, no grant key twice, no counter over its
 * cap, the shared invite budget spent exactly (5000) and matching the ledger, and everything that
 * does not depend on how the workers interleaved on the shared budget equal to a clean run.
 */
export async function expectAppliedOnceAcrossWorkers(
  inspect: Inspector,
  acked: ReadonlySet<string>,
  events: EventEnvelope[],
) {
  const q = <T>(sql: string, args: unknown[] = []) => inspect.all<T>(sql, args);
  const one = async (sql: string) => Number(Object.values((await q<Record<string, unknown>>(sql))[0]!)[0]);
  expectSame(
    "events in the log",
    (await q<{ id: string }>("SELECT id FROM events")).map((x) => x.id),
    [...acked],
  );
  expect(await one("SELECT count(*) FROM events WHERE status <> 'applied'")).toBe(0);

  expect(await one("SELECT count(*) - count(DISTINCT grant_key) FROM ledger")).toBe(0);
  const counters = (await q<{ key: string; used: number; cap: number }>("SELECT key, used, cap FROM counters")).map(
    (c) => ({ ...c, used: Number(c.used), cap: Number(c.cap) }),
  );
  expect(counters.filter((c) => c.used > c.cap)).toEqual([]);
  const invite = counters.find((c) => c.key === INVITE_BUDGET_KEY)!;
  expect(invite.used).toBe(await one("SELECT coalesce(sum(amount), 0) FROM ledger WHERE journey_id = 'invite-reward'"));
  expect(invite.used).toBe(5000);
  expect(await one("SELECT count(*) FROM outbox WHERE kind = 'reward'")).toBe(await one("SELECT count(*) FROM ledger"));

  // Who got the shared invite budget depends on how the workers interleaved; nothing else does.
  const clean = cleanRun(events);
  const own = (rows: string[]) => rows.filter((x) => !x.includes("invite-reward"));
  const ledger = (
    await q<{ k: string }>("SELECT grant_key || ' ' || amount || ' ' || user_id || ' ' || node_id AS k FROM ledger")
  ).map((x) => x.k);
  expectSame("ledger without the shared budget, against a clean run", own(ledger), own(clean.ledger));
  expectSame(
    "outbox without the shared budget, against a clean run",
    own((await q<{ key: string }>("SELECT key FROM outbox")).map((x) => x.key)),
    own(clean.outbox),
  );
  expect(await one("SELECT count(*) FROM ledger WHERE journey_id = 'invite-reward'")).toBe(clean.inviteGrants);
  return { clean, counters, invite };
}
