import { close, fsync, open } from "node:fs";

/** Syncs a file descriptor and calls back; node's `fs.fsync` (libuv's thread pool) unless a test injects one. */
export type SyncFile = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

/**
 * Durable commits that do not hold the event loop while the disk syncs.
 *
 * better-sqlite3 runs on the event loop. At synchronous=FULL every COMMIT waits there for the WAL's
 * fsync (2–5 ms on the machines here, far longer on a busy disk), and with one event per request
 * those waits were a quarter of the sidecar's main thread: nothing else ran meanwhile, not HTTP, not
 * the applier. So the connection commits at synchronous=NORMAL (the commit is written to the WAL,
 * not synced) and this class syncs the WAL file on libuv's thread pool. A transaction is reported
 * done (its promise resolves; ingest answers 202) only after a sync that began after its COMMIT.
 *
 * - One fsync covers every commit before it: fsync flushes the file, whichever descriptor wrote it.
 *   Commits that land while a sync runs share the next one (a group commit on the disk's time).
 * - A power cut loses only commits not yet synced, and nothing reported done. SQLite's WAL keeps a
 *   checksum chain over its frames, so recovery keeps a prefix: no commit survives one before it
 *   that was lost (an applier's batch never outlives the events it applied; the log replays them).
 * - Checkpoints and WAL restarts are SQLite's own: at NORMAL it still syncs the database file
 *   before it reuses the WAL.
 * - A failed sync (EIO, ENOSPC) rejects the transactions it covered: their callers answer 503 and
 *   the clients retry, which is safe because the log dedupes by event id. The next sync tries again.
 */
export class WalSync {
  private commits = 0;
  private synced = 0;
  private running: Promise<void> | null = null;
  private fd: number | null = null;
  private readonly waiters: Array<{ upTo: number; resolve: () => void; reject: (e: unknown) => void }> = [];

  constructor(
    private readonly walPath: string,
    private readonly syncFile: SyncFile = fsync,
  ) {}

  /** Counts a commit; call it right after COMMIT returns. */
  committed(): void {
    this.commits++;
  }

  /** Resolves once every commit counted so far is on disk. */
  durable(): Promise<void> {
    const upTo = this.commits;
    if (upTo <= this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      this.next();
    });
  }

  /** Waits for a sync under way and closes the file (the store is closing). */
  async close(): Promise<void> {
    while (this.running) await this.running;
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      await new Promise<void>((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));
    }
  }

  private next(): void {
    if (this.running || this.waiters.length === 0) return;
    // Everything committed before the sync starts is covered by it.
    const covering = this.commits;
    this.running = this.syncOnce()
      .then(
        () => {
          this.synced = Math.max(this.synced, covering);
          this.settle(covering, null);
        },
        (e: unknown) => this.settle(covering, e),
      )
      .finally(() => {
        this.running = null;
        this.next();
      });
  }

  private settle(covering: number, error: unknown): void {
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      if (w.upTo > covering) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      if (error === null) w.resolve();
      else w.reject(error);
    }
  }

  private async syncOnce(): Promise<void> {
    // Opened at the first sync: SQLite creates the WAL file at its first write, not when it opens.
    this.fd ??= await new Promise<number>((resolve, reject) =>
      open(this.walPath, "r", (e, fd) => (e ? reject(e) : resolve(fd))),
    );
    const fd = this.fd;
    await new Promise<void>((resolve, reject) => this.syncFile(fd, (e) => (e ? reject(e) : resolve())));
  }
}
