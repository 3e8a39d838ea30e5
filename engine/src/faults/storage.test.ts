import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSidecar, type Sidecar } from "../server/sidecar.ts";
import type { SqliteStore } from "../store/sqlite/store.ts";

/**
 * The disk fills under the engine: a real tmpfs of a few MiB holds its SQLite file, a filler file
 * takes the rest, and clients keep sending. They must see 503 with Retry-After (never 500), /readyz
 * must say not ready, nothing acknowledged may be lost, and once space returns the same requests
 * go through without a restart. Mounting needs root (CI runs as root); elsewhere this says so and skips.
 */
const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const NOW = Date.parse("2026-11-06T12:00:00Z");
const root = mkdtempSync(join(tmpdir(), "lifeloop-diskfull-"));
const mnt = join(root, "mnt");

function mountTmpfs(): string | null {
  try {
    mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", mnt], { stdio: "pipe" });
    return null;
  } catch (e) {
    return (e as Error).message.split("\n")[0] ?? "mount failed";
  }
}
const cannotMount = mountTmpfs();
if (cannotMount) console.warn(`disk-full test skipped: cannot mount a tmpfs here (${cannotMount}); CI runs it as root`);
if (cannotMount && process.env.CI === "true")
  throw new Error(`the disk-full fault test must run on CI: cannot mount a tmpfs (${cannotMount})`);

/** Takes every free byte of the file system, in shrinking chunks, and returns the filler's path. */
function fill(path: string): void {
  const fd = openSync(path, "w");
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(cannotMount !== null)("the disk fills under the engine", () => {
  let s: Sidecar;
  beforeAll(async () => {
    s = await startSidecar({
      db: join(mnt, "engine.sqlite"),
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      journeyFiles: [join(SAMPLES, "invite-reward.json"), join(SAMPLES, "tiered-rebate.json")],
    });
  });
  afterAll(async () => {
    await s?.close();
    if (!cannotMount) execFileSync("umount", ["-l", mnt]);
    rmSync(root, { recursive: true, force: true });
  });

  const batch = (round: number) =>
    Array.from({ length: 40 }, (_, i) => ({
      id: `df-${round}-${i}`,
      userId: `u${(round * 40 + i) % 97}`,
      type: "transaction",
      at: new Date(NOW - 3_600_000 + round * 1000 + i).toISOString(),
      props: { amount: 10_000 + i, note: "x".repeat(1500) },
    }));
  const post = (body: unknown) =>
    fetch(`${s.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it(
    "answers 503 with Retry-After while full, loses nothing acknowledged, and recovers by itself when space " +
      "returns",
    async () => {
      const acked = new Set<string>();
      const send = async (round: number) => {
        const res = await post(batch(round));
        const text = await res.text();
        if (res.status === 202) for (const e of batch(round)) acked.add(e.id);
        return { status: res.status, retryAfter: res.headers.get("retry-after"), text };
      };
      for (let r = 0; r < 3; r++) expect((await send(r)).status).toBe(202);

      const filler = join(mnt, "filler");
      fill(filler);
      // The WAL may still have room it already took; keep sending until the disk says no.
      const statuses: number[] = [];
      let refused: { status: number; retryAfter: string | null; text: string } | null = null;
      let round = 3;
      for (; round < 300 && refused === null; round++) {
        const r = await send(round);
        statuses.push(r.status);
        if (r.status !== 202) refused = r;
      }
      expect(refused, "the disk never filled").not.toBeNull();
      expect(statuses.filter((x) => x !== 202 && x !== 503)).toEqual([]);
      expect(refused!.status).toBe(503);
      expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(refused!.text)).toMatchObject({ error: { code: "unavailable" } });
      expect(JSON.parse(refused!.text).error.message).toContain("disk is full");
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { reason: string }).reason).toContain("disk is full");
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

      // Space returns: no restart, the refused batch goes through whole (nothing of it was stored).
      const freedAt = performance.now();
      rmSync(filler);
      const failedRound = round - 1;
      let again = await send(failedRound);
      while (again.status === 503 && performance.now() - freedAt < 10_000) again = await send(failedRound);
      const recoveryMs = performance.now() - freedAt;
      expect(again.status).toBe(202);
      expect(JSON.parse(again.text)).toEqual({ accepted: 40, duplicates: 0, failed: 0, applied: true });
      expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
      console.log(
        `disk full: ${statuses.length} batches until the disk refused; 503 + ` +
          `Retry-After ${refused!.retryAfter}s; recovered ${recoveryMs.toFixed(0)} ms after space returned, no ` +
          `restart`,
      );

      // Every acknowledged event is in the log exactly once.
      const db = (s.store as SqliteStore).db;
      const stored = db.prepare("SELECT id FROM events").pluck().all() as string[];
      expect(new Set(stored).size).toBe(stored.length);
      for (const id of acked) expect(stored.includes(id), id).toBe(true);
      expect(stored.length).toBe(acked.size);
    },
  );
});

describe("the database is locked by another process", () => {
  it("answers 503 with Retry-After after the 1 s busy timeout, then commits once the lock goes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-locked-"));
    const path = join(dir, "engine.sqlite");
    const s = await startSidecar({
      db: path,
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
    });
    // Another process's connection (a backup tool, an operator's sqlite3 shell) holding the write lock.
    const Database = (await import("better-sqlite3")).default;
    const other = new Database(path);
    try {
      other.exec("BEGIN EXCLUSIVE");
      const event = {
        id: "locked-1",
        userId: "u1",
        type: "invite_accepted",
        at: new Date(NOW).toISOString(),
        props: { inviteeId: "f1" },
      };
      const post = () =>
        fetch(`${s.url}/v1/events?wait=applied`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(event),
        });
      const res = await post();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).not.toBeNull();
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("locked");
      other.exec("ROLLBACK");
      const again = await post();
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual({ accepted: 1, duplicates: 0, failed: 0, applied: true });
    } finally {
      other.close();
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
