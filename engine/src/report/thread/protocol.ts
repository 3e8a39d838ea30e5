/** Messages between the main thread and the report projector's thread (projector-thread.ts, body.ts). */
import type { ProjectResult } from "../project.ts";

export interface ProjectorThreadData {
  path: string;
  batch: number;
  busyTimeoutMs: number;
}

/** Time zones of the journeys, sent with each request: the world changes on the main thread. */
export interface ZoneTable {
  byJourney: Record<string, string>;
  all: string[];
}

export type ProjectorRequest =
  | { type: "catchUp"; id: number; maxBatches: number | null; zones: ZoneTable }
  | { type: "stop" };

export type ProjectorReply =
  | { id: number; ok: true; result: ProjectResult & { more: boolean } }
  | { id: number; ok: false; message: string; code: string | null };
