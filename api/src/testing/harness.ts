/**
 * The real server for tests: a fresh SQLite file in a temp directory (or, after usePostgres(url), a
 * fresh database on that PostgreSQL server), the app built by createApp,
 * served on a loopback port, spoken to over HTTP with fetch. Nothing is mocked; the clock is the
 * only thing a test controls, through the same injection main.ts uses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { createDatabase } from "@lifeloop/engine/testing";
import type { WorkspaceHoldout, WorkspaceLevels } from "@lifeloop/shared";
import { type Contract, contractAt, welcomeJourney } from "@lifeloop/shared/testing";
import { sql, type SQL } from "drizzle-orm";
import { createApp } from "../app.ts";
import { initialize } from "../bootstrap.ts";
import type { EngineConnection, Limits, Role } from "../context.ts";
import type { Logger } from "../errors.ts";
import { openDatabase, type OpenDatabase } from "../db/open.ts";
import type { SamplesMode } from "../samples.ts";
import { listen } from "../server.ts";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: any;
}

interface CallOptions {
  key?: string | null;
  json?: unknown;
  body?: RequestInit["body"];
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  dir: string;
  /** The SQLite file, or the PostgreSQL database's URL. */
  dbFile: string;
  dialect: "sqlite" | "postgres";
  /**
   * The publisher key `call` sends when given no key (keys.publisher). Keys are managed with
   * keys["key-admin"], the key-admin key made at the first start. Both are "" when this start made no
   * key-admin key (a restart on an earlier server's directory).
   */
  publisherKey: string;
  /** One key per role: key-admin is the start's own; the others were created with it through POST /v1/keys. */
  keys: Record<Role, string>;
  clock: { now: number; advance(ms: number): void };
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Rows per table, read on a separate connection. */
  counts(): Promise<Record<(typeof TABLES)[number], number>>;
  close(): Promise<void>;
}

const TABLES = [
  "journeys",
  "journey_versions",
  "segments",
  "profiles",
  "profile_events",
  "api_keys",
  "audit_log",
] as const;

export interface StartOptions {
  samples?: SamplesMode;
  limits?: Partial<Limits>;
  engineKey?: string;
  editorKey?: string;
  adminKey?: string;
  start?: string;
  editorOrigin?: string;
  /** Reuse a directory (and its database) from an earlier server. */
  dir?: string;
  /** The engine sidecar live reports are forwarded to. */
  engine?: EngineConnection;
  /** The workspace holdout the engine feed carries (LIFELOOP_HOLDOUT). */
  holdout?: WorkspaceHoldout;
  /** The workspace's growth levels the engine feed carries and GET /v1/levels shows (LIFELOOP_LEVELS). */
  levels?: WorkspaceLevels;
  /** SQLite: how long a write waits for another process's lock before the API answers 503. */
  busyTimeoutMs?: number;
  /** Where the server's log lines go (default: nowhere). */
  log?: Logger;
}

/** The PostgreSQL server this test file's servers use, or null for SQLite (the default). */
let postgresServer: string | null = null;
/** PostgreSQL databases by test directory, so a server started again on `dir` finds its data. */
const postgresDatabases = new Map<string, { url: string; drop(): Promise<void> }>();

/** From now on, startServer puts each new server's data in a fresh database on this PostgreSQL server. */
export function usePostgres(url: string): void {
  postgresServer = url;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "lifeloop-api-"));
  let dbFile = join(dir, "api.sqlite");
  if (postgresServer !== null) {
    let pgDb = postgresDatabases.get(dir);
    if (!pgDb) {
      pgDb = await createDatabase(postgresServer, "lifeloop_api_test");
      postgresDatabases.set(dir, pgDb);
    }
    dbFile = pgDb.url;
  }
  const database = await openDatabase(
    dbFile,
    options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {},
  );
  const clock = {
    now: Date.parse(options.start ?? "2026-11-23T08:00:00Z"),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const { app, deps } = await createApp({
    db: database.db,
    clock: () => new Date(clock.now),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.editorOrigin ? { editorOrigin: options.editorOrigin } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.holdout ? { holdout: options.holdout } : {}),
    ...(options.levels ? { levels: options.levels } : {}),
    log: options.log ?? (() => {}),
  });
  const started = await initialize(deps, {
    engineKey: options.engineKey,
    editorKey: options.editorKey,
    adminKey: options.adminKey,
    samples: options.samples ?? "off",
  });
  const server = await listen(app, 0);
  const reader = database.dialect === "sqlite" ? new Sqlite(dbFile, { readonly: true, fileMustExist: true }) : null;
  const counter: OpenDatabase | null = database.dialect === "postgres" ? await openDatabase(dbFile) : null;

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? publisherKey : o.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    contract ??= await contractAt(server.url);
    const broken = contract.check(method, path, res.status, res.headers.get("content-type"), parsed, text);
    // Every answer a test sees keeps the document's promise, or the test fails (shared/src/testing/contract.ts).
    if (broken !== null) throw new Error(`the API broke its OpenAPI document: ${broken}`);
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  let contract: Contract | null = null;

  const keys = {} as Record<Role, string>;
  let publisherKey = "";
  const adminToken = started.adminToken ?? options.adminKey ?? null;
  if (adminToken !== null) {
    keys["key-admin"] = adminToken;
    for (const role of ["viewer", "editor", "publisher", "approver", "engine"] as const) {
      const r = await call("POST", "/v1/keys", { key: adminToken, json: { name: `test ${role}`, role } });
      if (r.status !== 201) throw new Error(`could not create a ${role} key: ${r.text}`);
      keys[role] = r.body.key;
    }
    publisherKey = keys.publisher;
  }

  return {
    url: server.url,
    dir,
    dbFile,
    dialect: database.dialect,
    publisherKey,
    keys,
    clock,
    call,
    counts: async () => {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        if (reader) out[t] = (reader.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        // Q is typed as SQLite's builder (see db/open.ts); on PostgreSQL it has execute().
        else
          out[t] = Number(
            (
              await (counter!.db.q as unknown as { execute(q: SQL): Promise<{ rows: Array<{ n: string }> }> }).execute(
                sql.raw(`SELECT count(*) AS n FROM ${t}`),
              )
            ).rows[0]!.n,
          );
      }
      return out as Record<(typeof TABLES)[number], number>;
    },
    close: async () => {
      await server.close();
      reader?.close();
      await counter?.close();
      await database.close();
      if (!options.dir) {
        rmSync(dir, { recursive: true, force: true });
        const pgDb = postgresDatabases.get(dir);
        postgresDatabases.delete(dir);
        await pgDb?.drop();
      }
    },
  };
}

interface TestNode {
  id: string;
  kind: string;
  label?: string;
  position: { x: number; y: number };
  params: Record<string, unknown>;
}
interface TestEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}
export interface TestJourney {
  schemaVersion: number;
  id: string;
  name: string;
  nodes: TestNode[];
  edges: TestEdge[];
  [field: string]: unknown;
}

/** A small valid journey: trigger → wait for an event (with timeout) → reward → exit (shared's builder). */
export function journeyDoc(id = "welcome", overrides: Record<string, unknown> = {}): TestJourney {
  return welcomeJourney(id, overrides);
}
