import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "vitest";
import { Receiver, type ReceiverMode } from "../testing/receiver.ts";
import { startSidecar, type Sidecar, type SidecarConfig } from "./sidecar.ts";

/**
 * The webhook-outage scenarios (run on SQLite by outage.test.ts, on PostgreSQL by
 * outage.pg.test.ts), against real processes: a real node:http receiver on 127.0.0.1, the real
 * sidecar over HTTP, and the real `lifeloop` command in a child process. Time is the sidecar's
 * injected clock, moved in steps; the only real waits are the receiver's 250 ms timeouts.
 */

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
const cli = join(root, "engine", "src", "cli", "main.ts");
const JOURNEY = join(root, "samples", "journeys", "invite-reward.json");
const T0 = Date.parse("2026-11-06T10:00:00Z");
const TOKEN = "outage-test-token";
const run = promisify(execFile);

interface Message {
  seq: number;
  key: string;
  userId: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  retryUntil: string | null;
  lastError: string | null;
  redrivenAt: string | null;
}

function harness(s: Sidecar, clock: { now: number }) {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${s.url}${path}`, { headers: auth });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  return {
    get,
    messages: async () => (await get<{ messages: Message[] }>("/v1/messages?limit=1000")).messages,
    post: (body: unknown) =>
      fetch(`${s.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    /** Moves the injected clock and runs one timer and one delivery pass. */
    step: async (ms: number) => {
      clock.now += ms;
      await s.pump();
    },
  };
}

/** The real command, in a child process (the sidecar in this process keeps answering while it runs). */
async function lifeloop(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(tsx, [cli, ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, LIFELOOP_DEBUG: "", LIFELOOP_SIDECAR_TOKEN: "" },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : -1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
    };
  }
}

const invites = (users: number, each: number) =>
  Array.from({ length: users * each }, (_, i) => ({
    id: `inv-${i}`,
    userId: `u${i % users}`,
    type: "invite_accepted",
    at: new Date(T0 - 3_600_000 + i * 1000).toISOString(),
    props: { inviteeId: `f${i}` },
  }));

/**
 * A receiver down longer than the retry window (2 s of the injected clock): its port closed, then
 * 503s, then a handler that hangs. Every delivery goes dead, keeping its last error. The receiver
 * comes back; `lifeloop redrive --all` moves them back to pending; each reward and message is
 * then acknowledged exactly once per key, and each person's timeline shows the re-drive.
 */
export async function outageThenRedrive(db: string): Promise<void> {
  const receiver = await Receiver.start();
  await receiver.set("closed");
  const clock = { now: T0 };
  const config: SidecarConfig = {
    db,
    host: "127.0.0.1",
    port: 0,
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    log: () => {},
    journeyFiles: [JOURNEY],
    token: TOKEN,
    now: () => clock.now,
    random: () => 0.5,
    webhook: { url: receiver.url, timeoutMs: 250 },
    retryWindowMs: 2000,
    delivery: {
      backoffMs: 100,
      maxBackoffMs: 400,
      concurrency: 4,
      circuit: { threshold: 3, coolOffMs: 200, maxCoolOffMs: 800 },
    },
  };
  const s = await startSidecar(config);
  try {
    const h = harness(s, clock);
    expect((await h.post(invites(3, 2))).status).toBe(202);
    const rows = await h.messages();
    expect(rows).toHaveLength(12); // 6 rewards and their 6 thank-you messages
    const keys = rows.map((r) => r.key).sort();
    expect(
      rows.every(
        (r) => r.status === "pending" && r.nextAttemptAt !== null && r.retryUntil === new Date(T0 + 2000).toISOString(),
      ),
    ).toBe(true);
    const reportBefore = await h.get<{ totals: unknown; nodes: unknown }>("/v1/journeys/invite-reward/report");

    // The outage: 0.7 s refused, 0.7 s of 503s, then hanging, until every row is dead.
    const schedule = (elapsed: number): ReceiverMode => (elapsed < 700 ? "closed" : elapsed < 1400 ? "503" : "hang");
    let sawPending = false;
    for (let i = 0; i < 200; i++) {
      await receiver.set(schedule(clock.now - T0));
      await h.step(100);
      const now = await h.messages();
      if (now.some((r) => r.status === "pending" && r.attempts > 0 && r.lastError !== null && r.nextAttemptAt !== null))
        sawPending = true;
      if (now.every((r) => r.status === "dead")) break;
    }
    expect(sawPending).toBe(true); // a failed row showed attempts, its error and when it is next tried
    const dead = await h.messages();
    expect(dead.map((r) => r.status)).toEqual(Array(12).fill("dead"));
    // No row gave up before its window ended, and every one says what it last failed with.
    expect(clock.now).toBeGreaterThanOrEqual(T0 + 2000);
    for (const r of dead) {
      expect(r.lastError).toMatch(/ECONNREFUSED|HTTP 503|timed out/);
      expect(r.nextAttemptAt).toBeNull();
      expect(r.retryUntil).toBeNull();
    }
    expect(receiver.acknowledged.size).toBe(0);
    const attemptsDuringOutage = dead.reduce((n, r) => n + r.attempts, 0);
    // The circuit held the attempts down: without it, 12 rows with 100 ms backoff over 2 s would draw far more.
    expect(attemptsDuringOutage).toBeLessThanOrEqual(30);
    const health = (await (await fetch(`${s.url}/healthz`)).json()) as { delivery: { circuit: string } };
    expect(health.delivery.circuit).not.toBe("closed");
    expect(await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()).toMatch(
      new RegExp(`^lifeloop_delivery_circuit_open\\{receiver="127\\.0\\.0\\.1:${receiver.port}"\\} 1$`, "m"),
    );

    // The receiver is back. Nothing is retried by itself: the rows are dead, for good, until re-driven.
    await receiver.set("ok");
    for (let i = 0; i < 5; i++) await h.step(1000);
    expect(receiver.acknowledged.size).toBe(0);

    // Bad requests name the problem and change nothing.
    const none = await lifeloop("redrive", "--engine", s.url, "--token", TOKEN);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("--all, --journey ID or --id SEQ");
    const bad = await fetch(`${s.url}/v1/messages/redrive`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ ids: [1, "two"] }),
    });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path),
    ).toEqual(["$.ids[1]"]);
    const neither = await fetch(`${s.url}/v1/messages/redrive`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ all: true, journeyId: "invite-reward" }),
    });
    expect(neither.status).toBe(400);
    expect(
      ((await neither.json()) as { error: { issues: Array<{ path: string; message: string }> } }).error.issues,
    ).toEqual([{ path: "$", message: expect.stringContaining("exactly one of") }]);
    const status = await fetch(`${s.url}/v1/messages?status=failed`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(status.status).toBe(400);
    expect(((await status.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
      "query.status",
    );
    expect((await h.messages()).map((r) => r.status)).toEqual(Array(12).fill("dead"));
    const unauthorized = await lifeloop("redrive", "--engine", s.url, "--all");
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toContain("wants a token");

    // One re-drive by id first, in human text.
    const first = dead[0]!;
    const one = await lifeloop(
      "redrive",
      "--engine",
      s.url,
      "--token",
      TOKEN,
      "--id",
      String(first.seq),
      "--id",
      "999999",
    );
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("re-drove 1 dead delivery");
    expect(one.stdout).toContain(`#${first.seq} ${first.key} (${first.userId}, invite-reward)`);
    expect(one.stdout).toContain("not dead (delivered, still pending, or no such delivery): #999999");
    // …then the rest, as JSON.
    const redriveAt = clock.now;
    const all = await lifeloop("redrive", "--engine", s.url, "--token", TOKEN, "--all", "--json");
    expect(all.stderr).toBe("");
    expect(all.code).toBe(0);
    const answer = JSON.parse(all.stdout) as {
      redriven: number;
      deliveries: Array<{ key: string; previousError: string | null; previousAttempts: number }>;
      retryUntil: string;
    };
    expect(answer.redriven).toBe(11);
    expect(answer.retryUntil).toBe(new Date(redriveAt + 2000).toISOString());
    expect(
      answer.deliveries.every(
        (d) => d.previousError !== null && /ECONNREFUSED|HTTP 503|timed out/.test(d.previousError),
      ),
    ).toBe(true);
    const pendingAgain = await h.messages();
    expect(pendingAgain.filter((r) => r.status === "dead")).toEqual([]);
    // Every row has its re-drive time; one still pending has a fresh window and no attempts in it yet
    // (the sidecar starts delivering at once, so some may be delivered already).
    expect(pendingAgain.map((r) => r.redrivenAt)).toEqual(Array(12).fill(new Date(redriveAt).toISOString()));
    for (const r of pendingAgain.filter((r) => r.status === "pending")) {
      expect(r.attempts).toBe(0);
      expect(r.retryUntil).toBe(new Date(redriveAt + 2000).toISOString());
    }

    // Deliveries resume without a restart (the re-drive let the circuit probe at once).
    for (let i = 0; i < 50 && receiver.acknowledged.size < 12; i++) await h.step(100);
    const delivered = await h.messages();
    expect(delivered.map((r) => r.status)).toEqual(Array(12).fill("delivered"));
    expect([...receiver.acknowledged.keys()].sort()).toEqual(keys);
    expect([...receiver.acknowledged.values()]).toEqual(Array(12).fill(1)); // exactly once per key
    expect(receiver.mismatched).toEqual([]);
    expect(delivered.every((r) => r.lastError === null && r.nextAttemptAt === null && r.attempts >= 1)).toBe(true);
    expect(clock.now - redriveAt).toBeLessThan(2000); // within the fresh window
    // Still exactly once: nothing is sent again later.
    for (let i = 0; i < 5; i++) await h.step(60_000);
    expect([...receiver.acknowledged.values()]).toEqual(Array(12).fill(1));

    // Each person's timeline says what was re-driven, when and why it had failed.
    const u0 = await h.get<{ timeline: Array<Record<string, unknown>> }>("/v1/users/u0");
    const redrives = u0.timeline.filter((t) => t.kind === "redrive");
    expect(redrives.map((t) => t.key).sort()).toEqual(
      dead
        .filter((r) => r.userId === "u0")
        .map((r) => r.key)
        .sort(),
    );
    expect(redrives).toHaveLength(4);
    for (const t of redrives) {
      expect(t).toMatchObject({ userId: "u0", journeyId: "invite-reward", nodeId: null });
      expect(String(t.previousError)).toMatch(/ECONNREFUSED|HTTP 503|timed out/);
      expect(Date.parse(String(t.at))).toBeGreaterThanOrEqual(T0 + 2000);
    }
    // A re-drive is not a step of the journey: the report is what it was.
    const reportAfter = await h.get<{ totals: unknown; nodes: unknown }>("/v1/journeys/invite-reward/report");
    expect(reportAfter.totals).toEqual(reportBefore.totals);
    expect(reportAfter.nodes).toEqual(reportBefore.nodes);

    const again = await lifeloop("redrive", "--engine", s.url, "--token", TOKEN, "--journey", "invite-reward");
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining("nothing to re-drive") });
    expect(
      ((await (await fetch(`${s.url}/healthz`)).json()) as { delivery: { circuit: string } }).delivery.circuit,
    ).toBe("closed");
  } finally {
    await s.close();
    await receiver.close();
  }
}

/**
 * A receiver that hangs, with a backlog bigger than a pass's concurrency: over many pump passes it
 * gets a bounded number of attempts (the first pass's few, then one probe per growing cool-off),
 * rows that were never tried keep 0 attempts, and once it answers again every row is delivered,
 * once per key, without a restart. Prints the recovery time.
 */
export async function hangingReceiverIsNotHammered(db: string, label: string): Promise<void> {
  const receiver = await Receiver.start();
  await receiver.set("hang");
  const clock = { now: T0 };
  const s = await startSidecar({
    db,
    host: "127.0.0.1",
    port: 0,
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    log: () => {},
    journeyFiles: [JOURNEY],
    token: TOKEN,
    now: () => clock.now,
    random: () => 0.5,
    webhook: { url: receiver.url, timeoutMs: 200 },
    delivery: { concurrency: 4, circuit: { threshold: 3, coolOffMs: 1000, maxCoolOffMs: 4000 } },
  });
  try {
    const h = harness(s, clock);
    expect((await h.post(invites(10, 2))).status).toBe(202);
    // The campaign budget pays 10 rewards; the other 10 invites get the "ended" message instead.
    expect(await h.messages()).toHaveLength(30);
    const passes = 60;
    const started = performance.now();
    for (let i = 0; i < passes; i++) await h.step(500);
    const outageMs = performance.now() - started;
    // First pass: at most threshold + concurrency - 1 = 6 (4 under way; two workers take one more
    // row each before the third timeout opens the circuit). Then one probe per cool-off (0.75, 1.5,
    // then 3 s: jitter 0.5 of 1, 2, 4 s), in passes at 1.5, 3, 6, 9 … 30 s: 11.
    const attempts = receiver.attempts;
    expect(attempts).toBeGreaterThanOrEqual(4 + 11);
    expect(attempts).toBeLessThanOrEqual(6 + 11);
    const rows = await h.messages();
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(attempts);
    // the circuit spent none of theirs
    expect(rows.filter((r) => r.attempts === 0).length).toBeGreaterThanOrEqual(30 - attempts);
    const metrics = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toMatch(/^lifeloop_delivery_circuit_open\{receiver="127\.0\.0\.1:\d+"\} 1$/m);
    const health = (await (await fetch(`${s.url}/healthz`)).json()) as {
      delivery: { circuit: string; failingSince: string; failuresInARow: number };
    };
    expect(health.delivery).toMatchObject({
      circuit: "open",
      failingSince: new Date(T0 + 500).toISOString(),
      failuresInARow: attempts,
    });
    expect(rows.find((r) => r.attempts > 0)!.lastError).toBe("timed out after 200 ms");

    await receiver.set("ok");
    const recoveredAt = clock.now;
    const realStart = performance.now();
    let steps = 0;
    for (; steps < 100 && receiver.acknowledged.size < 30; steps++) await h.step(500);
    const realMs = performance.now() - realStart;
    expect(receiver.acknowledged.size).toBe(30);
    // Once each, unless an answer reached the engine after its 200 ms timeout (a loaded machine):
    // then the key is sent again, at least once being the promise and the key the receiver's
    // dedupe. What must never happen is a second send while the first is still in flight.
    const repeated = [...receiver.acknowledged.values()].filter((n) => n > 1).length;
    expect(receiver.overlapping(200)).toEqual([]);
    expect(repeated).toBeLessThanOrEqual(4); // at most the deliveries one pass has in flight
    expect((await h.messages()).every((r) => r.status === "delivered")).toBe(true);
    expect(await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text()).toMatch(
      /^lifeloop_delivery_circuit_open\{receiver="127\.0\.0\.1:\d+"\} 0$/m,
    );
    console.log(
      `delivery circuit (${label}): a hanging receiver got ${attempts} attempts for 30 deliveries ` +
        `over ${passes} passes (30 s of engine clock, ${Math.round(outageMs)} ms real); ` +
        `after it recovered, all 30 delivered (${repeated} again after a timeout) ` +
        `in ${clock.now - recoveredAt} ms of engine clock (${steps} passes, ${Math.round(realMs)} ms real), ` +
        `no restart`,
    );
  } finally {
    await s.close();
    await receiver.close();
  }
}
