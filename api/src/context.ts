/**
 * What every handler can reach: the injected services (database, clock, randomness, limits) and,
 * per request, who is calling and the body as read and checked by the body middleware.
 */
import type { WorkspaceHoldout, WorkspaceLevels } from "@lifeloop/shared";
import type { Db } from "./db/open.ts";
import type { Logger } from "./errors.ts";

/**
 * viewer < editor < publisher do journey work, each what the one before can and more; approver reads
 * what a viewer reads and approves or rejects publish requests, nothing else; engine reads the feed;
 * key-admin manages keys and the workspace's compliance policy (see auth.ts).
 */
export const ROLES = ["viewer", "editor", "publisher", "approver", "engine", "key-admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  /** Key id ("key_…"), or "system" for what the server does itself (samples, bootstrap). */
  id: string;
  name: string;
  role: Role;
}

export const SYSTEM: Actor = { id: "system", name: "system", role: "publisher" };

export interface Limits {
  /** Bytes of one journey document, segment or other JSON body. */
  documentBytes: number;
  /** Bytes of a workspace import. */
  workspaceBytes: number;
  /** Bytes of an uploaded event stream (simulation, profile ingest). */
  eventStreamBytes: number;
  /** Events in one uploaded stream. */
  maxEvents: number;
  /** Profiles one segment preview evaluates before it stops and says so. */
  previewProfiles: number;
}

export interface Deps {
  db: Db;
  /** The only clock the API reads. */
  clock: () => Date;
  /** The only randomness the API uses (key tokens, workspace id). */
  random: (bytes: number) => Buffer;
  limits: Limits;
  /** Where the sample journeys and event streams live (simulate by sample name reads here). */
  samplesDir: string;
  /** Origin allowed by CORS: the editor. */
  editorOrigin: string;
  log: Logger;
  /** The engine sidecar that live reports are read from (LIFELOOP_ENGINE_URL), or null when none is configured. */
  engine: EngineConnection | null;
  /** The workspace holdout the engine feed carries (LIFELOOP_HOLDOUT), or null for none. */
  holdout: WorkspaceHoldout | null;
  /** The workspace's growth levels the engine feed carries (LIFELOOP_LEVELS), or null for none. */
  levels: WorkspaceLevels | null;
}

export interface EngineConnection {
  url: string;
  /** Sent as `Authorization: Bearer` when the sidecar requires one (LIFELOOP_SIDECAR_TOKEN). */
  token?: string;
  /** The sidecar's read-only token (LIFELOOP_SIDECAR_READ_TOKEN): what a backtest reads the event log with. */
  readToken?: string;
  /** How long to wait for an answer (default 10 s). */
  timeoutMs?: number;
}

export type ParsedBody =
  | { kind: "json"; value: unknown; bytes: number }
  | { kind: "multipart"; form: FormData; bytes: number }
  | { kind: "ndjson"; text: string; bytes: number }
  /** A text file as it is (text/csv, text/plain): a coupon pool's codes. */
  | { kind: "text"; text: string; bytes: number }
  | { kind: "none" };

export type AppEnv = {
  Variables: {
    actor: Actor | undefined;
    body: ParsedBody;
  };
};

export const iso = (d: Date): string => d.toISOString();
