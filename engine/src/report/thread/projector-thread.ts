/**
 * The report projector on a thread of its own, for the sidecar's SQLite file.
 *
 * Folding the timeline into the fact tables was a quarter of the sidecar's main thread under
 * ingest load (~110 µs a timeline row here), on the event loop that also answers requests and
 * runs the applier. Here a worker thread folds with its own connection to the same file (WAL: the
 * main connection reads facts while it writes them). The two share SQLite's one write lock: a
 * batch of the projector holds it a few ms, and the main thread waits that long at most where it
 * used to fold the batch itself.
 *
 * The main thread asks (`catchUp`) and gets what the pass did; a report asks before it is read.
 * Requests queue in the thread, one pass at a time. If the thread dies, the requests under way
 * fail (the caller's outage handling retries them) and the next request starts a new thread.
 */
import { Worker } from "node:worker_threads";
import type { World } from "../../core/index.ts";
import { zonesOf } from "../index.ts";
import type { ProjectResult } from "../project.ts";
import type { ProjectorReply, ProjectorRequest, ProjectorThreadData, ZoneTable } from "./protocol.ts";

export interface ProjectorThreadOptions {
  /** The SQLite file (not ":memory:": the thread opens a connection of its own). */
  path: string;
  /** Timeline rows or events per transaction. */
  batch: number;
  world: () => World;
  log: (line: string) => void;
}

/** An error the thread sent back, its SQLite code kept (store/unavailable.ts reads it). */
class ProjectorThreadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class ProjectorThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: ProjectResult & { more: boolean }) => void; reject: (e: unknown) => void }
  >();
  private zoneCache: { world: World; table: ZoneTable } | null = null;
  private stopped = false;

  constructor(private readonly options: ProjectorThreadOptions) {}

  /** Projects what is committed (at most `maxBatches` batches); resolves with what the pass did. */
  catchUp(o: { maxBatches?: number } = {}): Promise<ProjectResult & { more: boolean }> {
    if (this.stopped) return Promise.reject(new Error("the report projector's thread is stopped"));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: ProjectorRequest = { type: "catchUp", id, maxBatches: o.maxBatches ?? null, zones: this.zones() };
      worker.postMessage(request);
    });
  }

  /** Stops the thread after the pass under way; it closes its connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    const w = this.worker;
    if (!w) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => w.once("exit", () => resolve()));
    const stop: ProjectorRequest = { type: "stop" };
    w.postMessage(stop);
    await exited;
    this.failPending(new Error("the report projector's thread stopped"));
  }

  private start(): Worker {
    const workerData: ProjectorThreadData = {
      path: this.options.path,
      batch: this.options.batch,
      busyTimeoutMs: 10_000,
    };
    // No inherited flags: the entry registers its own TypeScript loader (worker.mjs).
    const w = new Worker(new URL("./worker.mjs", import.meta.url), { workerData, execArgv: [] });
    // Requests under way keep their callers waiting, not the process: the sidecar's server does that.
    w.unref();
    w.on("message", (r: ProjectorReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(new ProjectorThreadError(`report projector: ${r.message}`, r.code ?? undefined));
    });
    // What a thread throws arrives structured-cloned: a SqliteError may come as a bare { code }.
    w.on("error", (e: Partial<Error> & { code?: unknown }) =>
      this.lost(w, new Error(`the report projector's thread failed: ${e.message || String(e.code ?? e)}`)),
    );
    w.on("exit", (code) => this.lost(w, new Error(`the report projector's thread exited (code ${code})`)));
    this.worker = w;
    return w;
  }

  private lost(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.options.log(`lifeloop engine: ${e.message}; a new thread starts at the next pass`);
    this.failPending(e);
  }

  private failPending(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** The journeys' time zones as the world has them now (computed once per world). */
  private zones(): ZoneTable {
    const world = this.options.world();
    if (this.zoneCache?.world !== world) {
      const z = zonesOf(() => world);
      const byJourney: Record<string, string> = {};
      for (const id of world.journeyIds()) byJourney[id] = z.zoneOf(id);
      this.zoneCache = { world, table: { byJourney, all: z.zones() } };
    }
    return this.zoneCache.table;
  }
}
