import { basename } from "node:path";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/**
 * WAL checkpoints off the event loop. SQLite copies the WAL back into the database file at the
 * commit that crosses 1,000 pages, on the connection that commits: on the applier's and the
 * ingest's thread, inside their commit. Measured on the applier benchmark, that copy (and its
 * fsync) was half of all commit time (1.65 s of 5.8 s for 100,000 grants; 0.72 s without).
 *
 * Here the store's own connection never checkpoints (`wal_autocheckpoint = 0`) and a worker
 * thread with its own connection runs `wal_checkpoint(PASSIVE)` every `intervalMs`: PASSIVE
 * takes no lock a writer or reader waits for, so commits only append to the WAL. Durability does
 * not change (a commit is in the WAL, fsynced, before it returns; a checkpoint only moves it). If
 * the thread dies, the connection checkpoints for itself again, as SQLite does by default.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(
    private readonly db: Database.Database,
    path: string,
    private readonly log: (line: string) => void,
    intervalMs = 100,
  ) {
    db.pragma("wal_autocheckpoint = 0");
    this.worker = new Worker(new URL("./checkpointer.worker.mjs", import.meta.url), {
      workerData: { path, intervalMs },
    });
    // The thread must not keep a process alive that has nothing else to do.
    this.worker.unref();
    // A store has one for each of its files: the lines name which.
    const file = basename(path);
    this.worker.on("message", (m: { type: "failed"; message: string } | { type: "ok" }) =>
      this.log(
        m.type === "failed"
          ? `lifeloop engine: WAL checkpoint of ${file} failed (${m.message}); retrying, commits go on meanwhile`
          : `lifeloop engine: WAL checkpoints of ${file} work again`,
      ),
    );
    this.worker.on("error", (e) => this.fallBack(`the checkpoint thread of ${file} failed: ${e.message}`));
    this.worker.on("exit", (code) => {
      if (!this.stopped) this.fallBack(`the checkpoint thread of ${file} exited (code ${code})`);
    });
  }

  /** Stops the thread and waits for it to close its connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage("stop");
    await exited;
  }

  private fallBack(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.db.open) this.db.pragma("wal_autocheckpoint = 1000");
    this.log(`lifeloop engine: ${why}; the store checkpoints on its own connection again`);
  }
}
