/**
 * Start-up settings from flags and environment (flags win). Pure, so --help and every default are
 * tested without starting anything.
 */
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROLES, type Role } from "./context.ts";
import type { SamplesMode } from "./samples.ts";
import { parseHoldoutSetting, parseLevelsSetting, type WorkspaceHoldout, type WorkspaceLevels } from "@lifeloop/shared";

export interface Config {
  port: number;
  host: string;
  /** The SQLite file (absolute), or the PostgreSQL URL. */
  dbFile: string;
  dialect: "sqlite" | "postgres";
  samples: SamplesMode;
  editorOrigin: string;
  engineKey: string | undefined;
  editorKey: string | undefined;
  adminKey: string | undefined;
  createKey: { name: string; role: Role } | null;
  /** The engine sidecar live reports are read from, and the bearer token it wants (if any). */
  engineUrl: string | undefined;
  engineToken: string | undefined;
  /** LIFELOOP_HOLDOUT: the workspace holdout the engine feed carries. */
  holdout: WorkspaceHoldout | null;
  /** LIFELOOP_LEVELS: the workspace's growth levels the engine feed carries. */
  levels: WorkspaceLevels | null;
  engineReadToken: string | undefined;
  help: boolean;
}

export const HELP = `Lifeloop API — journeys, versions, import/export, segments, simulation, engine feed

Usage: pnpm --filter @lifeloop/api start [-- options]     (or: tsx api/src/main.ts [options])

Options (each also settable by the environment variable shown):
  --port <n>            port to listen on                 PORT or LIFELOOP_API_PORT   (default 8787; 0 = any free)
  --host <address>      address to listen on              LIFELOOP_API_HOST           (default 127.0.0.1;
                        0.0.0.0 for all)
  --db <file|url>       SQLite database file, or a postgres:// URL   LIFELOOP_API_DB  (default data/api.sqlite;
                        relative paths are from the repository root; created with its directory if missing)
  --samples <mode>      on a new database, load the sample journeys as drafts, publish them, or skip
                        draft | publish | off                LIFELOOP_API_SAMPLES        (default draft)
  --editor-origin <url> the one browser origin CORS allows LIFELOOP_EDITOR_ORIGIN      (default http://localhost:5173)
  --create-key <name>:<role>
                        create an API key (role: ${ROLES.join(", ")}), print it, and exit
  -h, --help            show this and exit

Environment only:
  DATABASE_URL          postgres://… runs the API (and the engine) on PostgreSQL, when --db / LIFELOOP_API_DB
                        are not given; the migrations in api/drizzle-pg are applied at start.
  LIFELOOP_ENGINE_KEY   registered (hashed) as an engine-role key at start, so the engine sidecar can pull
                        GET /v1/engine/feed; changing it and restarting revokes the previous one.
  LIFELOOP_ENGINE_URL   the engine sidecar (e.g. http://127.0.0.1:8788) that GET /v1/journeys/{id}/report,
                        /funnel and /report.csv read live figures from; without it those answer 503.
  LIFELOOP_SIDECAR_TOKEN
                        bearer token the sidecar requires, if it was started with one.
  LIFELOOP_HOLDOUT      the workspace holdout, carried on GET /v1/engine/feed, as JSON:
                        {"salt":"2026","shareBp":500,"journeys":"all"} (or "journeys":["id",…]); see
                        docs/reports.md, "Incrementality".
  LIFELOOP_LEVELS       the workspace's growth levels (xp rules, levels, review), carried on GET /v1/engine/feed
                        and shown at GET /v1/levels, as JSON: samples/levels.json; see docs/engine.md, "Growth levels".
  LIFELOOP_SIDECAR_READ_TOKEN
                        the sidecar's read-only token (its --read-token): backtests read the event log with it.
  LIFELOOP_EDITOR_KEY   registered (hashed) as a publisher-role key named "editor (LIFELOOP_EDITOR_KEY)", so
                        npm start can open the editor with it; changing it and restarting revokes the previous one.
  LIFELOOP_ADMIN_KEY    registered (hashed) as a key-admin key named "admin (LIFELOOP_ADMIN_KEY)": the only role that
                        lists, creates and revokes keys (npm start keeps one in data/.admin-key).

When no key-admin key is active (a first start without LIFELOOP_ADMIN_KEY), one is created and printed once;
it manages keys only: create a publisher key with it for journey work.
Migrations are applied on every start. Docs: /docs · OpenAPI: /openapi.json · JSON Schema: /v1/schema/journey.json
`;

export class ConfigError extends Error {}

export function readConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  repoRoot: string,
): Config {
  // assigned in the try below from a typed parse; its type is that parse's
  // biome-ignore lint/suspicious/noImplicitAnyLet: the reason above
  let values;
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --port 1` hands the "--" through.
      args: argv[0] === "--" ? argv.slice(1) : [...argv],
      options: {
        port: { type: "string" },
        host: { type: "string" },
        db: { type: "string" },
        samples: { type: "string" },
        "editor-origin": { type: "string" },
        "create-key": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}\nRun with --help for the options.`);
  }
  const portText = values.port ?? env.PORT ?? env.LIFELOOP_API_PORT ?? "8787";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new ConfigError(`port must be a number from 0 to 65535, not "${portText}"`);
  const samples = values.samples ?? env.LIFELOOP_API_SAMPLES ?? "draft";
  if (samples !== "draft" && samples !== "publish" && samples !== "off")
    throw new ConfigError(`samples must be draft, publish or off, not "${samples}"`);
  const dbText = values.db ?? env.LIFELOOP_API_DB ?? "data/api.sqlite";
  // One setting selects PostgreSQL for the engine and the API: DATABASE_URL=postgres://…, unless
  // --db / LIFELOOP_API_DB name the API's database themselves (a file, or a postgres:// URL).
  const postgres = /^postgres(ql)?:\/\//;
  const fromDatabaseUrl =
    values.db === undefined &&
    env.LIFELOOP_API_DB === undefined &&
    env.DATABASE_URL !== undefined &&
    postgres.test(env.DATABASE_URL);
  const location = fromDatabaseUrl ? env.DATABASE_URL! : dbText;
  const dialect = postgres.test(location) ? "postgres" : "sqlite";
  if (dialect === "postgres") {
    try {
      new URL(location);
    } catch {
      throw new ConfigError(`the PostgreSQL URL is not a URL (postgres://user:password@host:5432/database)`);
    }
  }
  let createKey: Config["createKey"] = null;
  if (values["create-key"] !== undefined) {
    const m = /^(.{1,100}):([a-z-]+)$/.exec(values["create-key"]);
    if (!m || !(ROLES as readonly string[]).includes(m[2]!))
      throw new ConfigError(`--create-key takes <name>:<role> with role one of ${ROLES.join(", ")}`);
    createKey = { name: m[1]!, role: m[2] as Role };
  }
  const origin = values["editor-origin"] ?? env.LIFELOOP_EDITOR_ORIGIN ?? "http://localhost:5173";
  try {
    new URL(origin);
  } catch {
    throw new ConfigError(`the editor origin must be a URL such as http://localhost:5173, not "${origin}"`);
  }
  const engineUrl = env.LIFELOOP_ENGINE_URL || undefined;
  if (engineUrl !== undefined) {
    const wrong = new ConfigError(
      `LIFELOOP_ENGINE_URL must be an http(s) URL such as http://127.0.0.1:8788, not "${engineUrl}"`,
    );
    let protocol: string;
    try {
      protocol = new URL(engineUrl).protocol;
    } catch {
      throw wrong;
    }
    if (protocol !== "http:" && protocol !== "https:") throw wrong;
  }
  let holdout: WorkspaceHoldout | null = null;
  if (env.LIFELOOP_HOLDOUT) {
    try {
      holdout = parseHoldoutSetting(env.LIFELOOP_HOLDOUT);
    } catch (e) {
      throw new ConfigError(`LIFELOOP_HOLDOUT: ${(e as Error).message}`);
    }
  }
  let levels: WorkspaceLevels | null = null;
  if (env.LIFELOOP_LEVELS) {
    try {
      levels = parseLevelsSetting(env.LIFELOOP_LEVELS);
    } catch (e) {
      throw new ConfigError(`LIFELOOP_LEVELS: ${(e as Error).message}`);
    }
  }
  return {
    port,
    host: values.host ?? env.LIFELOOP_API_HOST ?? "127.0.0.1",
    dbFile:
      dialect === "postgres" || location === ":memory:" || isAbsolute(location)
        ? location
        : resolve(repoRoot, location),
    dialect,
    samples,
    editorOrigin: origin.replace(/\/$/, ""),
    engineKey: env.LIFELOOP_ENGINE_KEY || undefined,
    editorKey: env.LIFELOOP_EDITOR_KEY || undefined,
    adminKey: env.LIFELOOP_ADMIN_KEY || undefined,
    createKey,
    engineUrl: engineUrl?.replace(/\/$/, ""),
    engineToken: env.LIFELOOP_SIDECAR_TOKEN || undefined,
    holdout,
    levels,
    engineReadToken: env.LIFELOOP_SIDECAR_READ_TOKEN || undefined,
    help: values.help ?? false,
  };
}
