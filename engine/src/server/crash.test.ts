import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { EventEnvelope } from "@lifeloop/shared";
import { afterAll, describe, expect, it } from "vitest";
import type { Effect } from "../core/index.ts";
import { MemoryEngine } from "../runtime/memory.ts";
import { feedFromFiles, worldFromFeed } from "../runtime/feed.ts";
import { simulate, toCoreEvent } from "../simulate.ts";

/**
 * The crash test of the engine issue: a child engine process is sent SIGKILL at random moments
 * during HTTP ingest, many times, and restarted on the same SQLite file. The client re-sends the
 * batch it was not answered for (same ids) and goes on. In the end every acknowledged event must
 * be in the log exactly once, applied exactly once, and the ledger, counters, outbox, timeline and
 * every person's state must equal a clean in-memory run over the same events in the same order.
 *
 * Journeys without waits, so the outcome depends on the events alone (not on wall-clock timers).
 */

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "engine", "src", "server", "main.ts");
const JOURNEYS = ["invite-reward", "tiered-rebate", "daily-checkin"].map((n) => join(root, "samples", "journeys", `${n}.json`));

const SEED = 0x11fe100b;
const EVENTS = 3000;
const USERS = 50;
const KILLS = 20;
const INVITE_BUDGET_KEY = "budget/invite-reward/invite_campaign";

/** mulberry32: small, seeded, good enough to pick moments and events. */
function prng(seed: number) {
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
function eventStream(seed: number): EventEnvelope[] {
  const r = prng(seed);
  const events: EventEnvelope[] = [];
  let at = Date.parse("2026-11-18T00:00:00Z");
  for (let i = 0; i < EVENTS; i++) {
    at += r.int(1, 25 * 60) * 1000;
    const userId = `u${r.int(1, USERS)}`;
    const p = r.next();
    const base = { id: `crash-${seed.toString(16)}-${i}`, userId, at: new Date(at).toISOString() };
    if (p < 0.1) events.push({ ...base, type: "invite_accepted", props: { inviteeId: `friend-${i}` } });
    else if (p < 0.55) events.push({ ...base, type: "transaction", props: { amount: r.int(1, 8000) * 100 } });
    else events.push({ ...base, type: "checkin", props: {} });
  }
  return events;
}

/** Batches of 1–50 events, in stream order. */
function batchesOf(events: EventEnvelope[], seed: number): EventEnvelope[][] {
  const r = prng(seed ^ 0x5a5a5a5a);
  const out: EventEnvelope[][] = [];
  for (let i = 0; i < events.length; ) {
    const n = r.int(1, 50);
    out.push(events.slice(i, i + n));
    i += n;
  }
  return out;
}

interface Child {
  proc: ChildProcess;
  url: string;
  exited: Promise<void>;
  stderr: () => string;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts the real engine entry point as `node --import tsx` (not the tsx wrapper: SIGKILL must hit the engine itself). */
function startEngine(db: string): Promise<Child> {
  const args = ["--import", "tsx", main, "--db", db, "--host", "127.0.0.1", "--port", "0", ...JOURNEYS.flatMap((j) => ["--journey", j])];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("LIFELOOP_")) delete env[k];
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
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /lifeloop engine listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, exited, stderr: () => err });
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
  const engine = new MemoryEngine(world, { onEffects: (e) => effects.push(...e), onTrace: (t) => (traces += t.length) });
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
  expect({ missing: missing.length, extra: extra.length }, `${what}: missing ${show(missing)}; extra or repeated ${show(extra)}`).toEqual({ missing: 0, extra: 0 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("crash test: SIGKILL at random moments during HTTP ingest", () => {
  it("loses no acknowledged event, applies each exactly once, and ends with a clean run's ledger", async () => {
    const started = performance.now();
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-crash-"));
    dirs.push(dir);
    const db = join(dir, "engine.sqlite");
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
    for (const batch of batches) {
      const body = JSON.stringify(batch);
      for (let tries = 0; ; tries++) {
        expect(tries, "a batch kept failing").toBeLessThan(50);
        const child = await ready;
        attempts++;
        onSend(child);
        let res: Response;
        let text: string;
        try {
          res = await fetch(`${child.url}/v1/events`, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(15_000) });
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
        const result = JSON.parse(text) as { accepted: number; duplicates: number; failed: number };
        if (result.failed !== 0 || result.accepted + result.duplicates !== batch.length) problems.push(`unexpected answer ${text} for a batch of ${batch.length}`);
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
    // A last kill with everything acknowledged: what is on disk must already be complete.
    finished = true;
    const last = current;
    last.proc.kill("SIGKILL");
    await last.exited;

    expect(problems).toEqual([]);
    expect(acked.size).toBe(events.length);
    expect(kills).toBeGreaterThanOrEqual(15);

    const clean = cleanRun(events);
    // Sanity of the stream itself: the budget runs out (10 × 500), so an overspend would show.
    expect(clean.inviteGrants).toBe(10);

    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const all = <T>(sql: string) => sqlite.prepare(sql).all() as T[];
      const one = <T>(sql: string) => sqlite.prepare(sql).pluck().get() as T;

      // The log: each id exactly once, exactly the set sent, none failed.
      const stored = sqlite.prepare("SELECT id FROM events").pluck().all() as string[];
      expectSame("acknowledged events in the log", stored, [...acked]);
      expectSame("events in the log", stored, events.map((e) => e.id));
      expect(one<number>("SELECT count(*) FROM events")).toBe(events.length);
      expect(all("SELECT id, error FROM events WHERE status <> 'applied'")).toEqual([]);
      // In the order sent (sequential client): what the clean run assumed.
      expect((sqlite.prepare("SELECT id FROM events ORDER BY seq").pluck().all() as string[])).toEqual(events.map((e) => e.id));

      // The ledger equals the clean run's, grant for grant.
      const ledger = all<{ k: string }>("SELECT grant_key || ' ' || amount || ' ' || user_id || ' ' || node_id AS k FROM ledger").map((x) => x.k).sort();
      expectSame("ledger (grant_key amount user node) against the clean run", ledger, clean.ledger);
      // And simulate (the library function) agrees on who got what, when.
      const sim = simulate({ journeys: feedFromFiles(JOURNEYS).journeys.map((j) => ({ executable: j.versions[0]!.executable })), events });
      const simRewards = sim.effects.filter((e) => e.kind === "reward").map((e) => `${e.at} ${e.userId} ${e.nodeId} ${(e.reward as { amount: number }).amount}`).sort();
      const dbRewards = all<{ at: number; u: string; n: string; a: number }>("SELECT at, user_id AS u, node_id AS n, amount AS a FROM ledger").map((x) => `${new Date(x.at).toISOString()} ${x.u} ${x.n} ${x.a}`).sort();
      expectSame("ledger (at user node amount) against simulate()", dbRewards, simRewards);

      // Budgets: never past their cap; each equals what the ledger granted from it; the invite budget is spent exactly.
      const counters = all<{ key: string; used: number; cap: number }>("SELECT key, used, cap FROM counters");
      expect(counters.filter((c) => c.used > c.cap)).toEqual([]);
      expect(Object.fromEntries(counters.map((c) => [c.key, c.used]))).toEqual(Object.fromEntries(clean.engine.counters));
      for (const c of counters.filter((c) => c.key.startsWith("budget/"))) {
        const [, journeyId, budgetId] = c.key.split("/");
        const spent = sqlite.prepare("SELECT coalesce(sum(amount), 0) FROM ledger WHERE journey_id = ? AND budget_id = ?").pluck().get(journeyId, budgetId) as number;
        expect(spent, c.key).toBe(c.used);
      }
      const invite = counters.find((c) => c.key === INVITE_BUDGET_KEY)!;
      expect(invite.used).toBe(one<number>("SELECT sum(amount) FROM ledger WHERE journey_id = 'invite-reward'"));
      expect(invite.used).toBeLessThanOrEqual(5000);
      expect(invite.used).toBe(5000);

      // Outbox: one reward row per grant, one message row per message, nothing twice.
      const outbox = all<{ key: string }>("SELECT key FROM outbox").map((x) => x.key).sort();
      expectSame("outbox keys against the clean run", outbox, clean.outbox);
      expect(one<number>("SELECT count(*) FROM outbox WHERE kind = 'reward'")).toBe(one<number>("SELECT count(*) FROM ledger"));

      // Applied exactly once, all the way down: the timeline and each person's state (aggregates, caps, entries).
      expect(one<number>("SELECT sum(json_array_length(record)) FROM timeline")).toBe(clean.timeline);
      const states = all<{ user_id: string; state: string }>("SELECT user_id, state FROM users");
      expect(states.length).toBe(clean.engine.users.size);
      for (const s of states) expect(JSON.parse(s.state), s.user_id).toEqual(clean.engine.users.get(s.user_id));

      const grants = one<number>("SELECT count(*) FROM ledger");
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `crash test: ${kills} SIGKILLs + 1 final, ${events.length} events in ${batches.length} batches (${attempts} requests; re-sent after a kill: ${resent.committed} batches already committed, ${resent.notCommitted} not; ${duplicatesSeen} duplicate events), ${grants} grants (invite budget ${invite.used}/${invite.cap}), ledger == clean run, ${seconds} s`,
      );
    } finally {
      sqlite.close();
    }
  }, 180_000);
});
