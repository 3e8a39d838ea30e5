// The checkpointer's thread (see checkpointer.ts). Plain JavaScript so it loads the same under
// node, tsx and vitest, which do not hand a worker thread their TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const { path, intervalMs } = workerData;
const db = new Database(path);
// PASSIVE never waits on readers or writers; a busy answer only means "some frames next time".
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let failing = false;
const timer = setInterval(() => {
  try {
    checkpoint.get();
    if (failing) parentPort.postMessage({ type: "ok" });
    failing = false;
  } catch (e) {
    // A full disk or an I/O error: say so once, keep trying (the frames stay in the WAL meanwhile).
    if (!failing) parentPort.postMessage({ type: "failed", message: String(e?.message ?? e) });
    failing = true;
  }
}, intervalMs);
parentPort.on("message", (m) => {
  if (m === "stop") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
