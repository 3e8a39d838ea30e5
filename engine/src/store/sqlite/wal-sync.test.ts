import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventId, UserId } from "@lifeloop/shared";
import { afterEach, describe, expect, it } from "vitest";
import { unavailableReason } from "../unavailable.ts";
import { SqliteStore } from "./store.ts";
import type { SyncFile } from "./wal-sync.ts";

/** A sync the test releases by hand: each call waits in `held` until the test answers it. */
function heldSync() {
  const held: Array<(e: NodeJS.ErrnoException | null) => void> = [];
  const syncFile: SyncFile = (_fd, done) => void held.push(done);
  return { held, syncFile };
}

const turn = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

const event = (n: number) => ({
  id: EventId.parse(`e${n}`),
  userId: UserId.parse("u1"),
  type: "login",
  at: n,
  props: {},
});

describe("SqliteStore commits and the WAL's fsync", () => {
  const dirs: string[] = [];
  const storeWith = (syncFile: SyncFile) => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-walsync-"));
    dirs.push(dir);
    return new SqliteStore({ path: join(dir, "engine.sqlite"), syncFile });
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("reports a transaction done only after a sync that began after its COMMIT", async () => {
    const { held, syncFile } = heldSync();
    const store = storeWith(syncFile);
    let done = false;
    const tx = store.transaction(async (t) => t.insertEvents([event(1)], 0)).then(() => (done = true));
    await turn();
    // Committed (the connection sees it) but not on disk yet: not reported.
    expect(store.db.prepare("SELECT count(*) FROM events").pluck().get()).toBe(1);
    expect(held).toHaveLength(1);
    expect(done).toBe(false);
    held.shift()!(null);
    await tx;
    expect(done).toBe(true);
    await store.close();
  });

  it("lets commits that land while a sync runs share the next one", async () => {
    const { held, syncFile } = heldSync();
    const store = storeWith(syncFile);
    const first = store.transaction(async (t) => t.insertEvents([event(1)], 0));
    await turn();
    expect(held).toHaveLength(1);
    // Two more commit while the first sync is under way: the event loop is free, the lock too.
    const later = [2, 3].map((n) => store.transaction(async (t) => t.insertEvents([event(n)], 0)));
    await turn();
    expect(store.db.prepare("SELECT count(*) FROM events").pluck().get()).toBe(3);
    expect(held).toHaveLength(1);
    held.shift()!(null);
    await first;
    await turn();
    // One sync for both, begun after their commits.
    expect(held).toHaveLength(1);
    held.shift()!(null);
    await Promise.all(later);
    expect(held).toHaveLength(0);
    await store.close();
  });

  it("fails the transactions a failed sync covered (the store unavailable), and syncs again for the next", async () => {
    const { held, syncFile } = heldSync();
    const store = storeWith(syncFile);
    const lost = store.transaction(async (t) => t.insertEvents([event(1)], 0));
    await turn();
    held.shift()!(Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" }));
    const error = await lost.then(
      () => null,
      (e: unknown) => e,
    );
    expect(unavailableReason(error)).toBe("the disk cannot be written (EIO)");
    // The client retries: the event is in the log already (a duplicate), and this sync works.
    const retry = store.transaction(async (t) => t.insertEvents([event(1)], 0));
    await turn();
    held.shift()!(null);
    expect(await retry).toEqual([false]);
    await store.close();
  });

  it("sends nothing from the outbox before the commits that wrote it are on disk", async () => {
    const { held, syncFile } = heldSync();
    const store = storeWith(syncFile);
    const tx = store.transaction(async (t) => t.insertEvents([event(1)], 0));
    await turn();
    let claimed = false;
    const claim = store.claimOutbox(0, 10).then(() => (claimed = true));
    await turn();
    expect(claimed).toBe(false);
    held.shift()!(null);
    await Promise.all([tx, claim]);
    expect(claimed).toBe(true);
    await store.close();
  });

  it("syncs the real WAL file with node's fsync by default", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-walsync-"));
    dirs.push(dir);
    const store = new SqliteStore({ path: join(dir, "engine.sqlite") });
    expect(store.db.pragma("synchronous", { simple: true })).toBe(1);
    expect(await store.transaction(async (t) => t.insertEvents([event(1), event(2)], 0))).toEqual([true, true]);
    await store.close();
  });
});
