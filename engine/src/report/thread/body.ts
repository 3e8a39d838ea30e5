/**
 * The report projector's thread: its own connection to the sidecar's facts file (the engine's file
 * attached), folding the timeline and the event log into the fact tables when the main thread asks
 * (projector-thread.ts). Facts are derived, so its commits are not synced (synchronous=NORMAL): a
 * power cut loses a batch and its cursor together, and the batch is folded again.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { JourneyId } from "@lifeloop/shared";
import type Database from "better-sqlite3";
import { openFactsConnection } from "../../store/sqlite/facts.ts";
import { ReportProjector } from "../project.ts";
import type { ProjectorReply, ProjectorRequest, ProjectorThreadData } from "./protocol.ts";

const port = parentPort;
if (!port) throw new Error("report projector thread: started outside a worker thread");
// Typed where the main thread builds it (projector-thread.ts): structured-cloned, not parsed.
const { path, batch, busyTimeoutMs } = workerData as ProjectorThreadData;
let zones: { byJourney: Record<string, string>; all: string[] } = { byJourney: {}, all: ["UTC"] };
let db: Database.Database | null = null;
let projector: ReportProjector | null = null;

/** Opened at the first request, in its try: a file that cannot be opened fails that request, not the thread. */
function open(): ReportProjector {
  if (projector) return projector;
  // The facts file, the engine's attached: the thread writes only the facts' lock, which no one
  // else takes; waiting out an operator's or a backup's lock here costs no request anything.
  db ??= openFactsConnection(path, { busyTimeoutMs });
  projector = new ReportProjector(db, {
    batch,
    zoneOf: (journeyId: JourneyId) => zones.byJourney[journeyId] ?? "UTC",
    zones: () => zones.all,
  });
  return projector;
}

port.on("message", (m: ProjectorRequest) => {
  if (m.type === "stop") {
    db?.close();
    port.close();
    return;
  }
  zones = m.zones;
  let reply: ProjectorReply;
  try {
    const result = open().catchUp(m.maxBatches === null ? {} : { maxBatches: m.maxBatches });
    reply = { id: m.id, ok: true, result };
  } catch (e) {
    const code = typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : null;
    reply = { id: m.id, ok: false, message: e instanceof Error ? e.message : String(e), code };
  }
  port.postMessage(reply);
});
