/** Starts the API: reads flags and environment, opens and migrates the database, serves. */
import { fileURLToPath } from "node:url";
import { createApp } from "./app.ts";
import { createKey } from "./auth.ts";
import { initialize } from "./bootstrap.ts";
import { ConfigError, HELP, readConfig } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { listen } from "./server.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

async function main(): Promise<number> {
  const config = readConfig(process.argv.slice(2), process.env, repoRoot);
  if (config.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const database = await openDatabase(config.dbFile);
  const { app, deps } = await createApp({
    db: database.db,
    editorOrigin: config.editorOrigin,
    engine: config.engineUrl
      ? {
          url: config.engineUrl,
          ...(config.engineToken ? { token: config.engineToken } : {}),
          ...(config.engineReadToken ? { readToken: config.engineReadToken } : {}),
        }
      : null,
    holdout: config.holdout,
    levels: config.levels,
  });

  if (config.createKey) {
    const { token, key } = await createKey(deps, { ...config.createKey, source: "cli", createdBy: "cli" });
    process.stdout.write(`Created ${key.role} key "${key.name}" (${key.id}). It is shown this once:\n\n  ${token}\n\n`);
    await database.close();
    return 0;
  }

  const started = await initialize(deps, {
    engineKey: config.engineKey,
    editorKey: config.editorKey,
    adminKey: config.adminKey,
    samples: config.samples,
  });
  const server = await listen(app, config.port, config.host);
  const loaded = started.samples;
  process.stdout.write(
    `${[
      `[api] Lifeloop API on ${server.url}  ·  reference ${server.url}/docs  ·  database ${database.location}`,
      loaded.journeys + loaded.events > 0
        ? `[api] loaded the samples: ${loaded.journeys} ` +
          `journeys${config.samples === "publish" ? " (published)" : " (drafts)"}, ${loaded.segments} ` +
          `segments, ${loaded.events} profile events`
        : null,
      config.engineKey ? "[api] LIFELOOP_ENGINE_KEY registered as an engine key" : null,
      config.editorKey ? "[api] LIFELOOP_EDITOR_KEY registered as a publisher key for the editor" : null,
      config.adminKey ? "[api] LIFELOOP_ADMIN_KEY registered as a key-admin key (key management only)" : null,
      started.adminToken
        ? `[api] no key-admin key yet: created one. It manages keys and nothing else, and is shown this once; ` +
          `keep it:\n\n    ${started.adminToken}\n\n  Make a publisher key for journey work with it:\n\n      ` +
          `curl -H "Authorization: Bearer ${started.adminToken}" -H "content-type: application/json" -d ` +
          `'{"name":"me","role":"publisher"}' ${server.url}/v1/keys\n`
        : null,
    ]
      .filter((l) => l !== null)
      .join("\n")}\n`,
  );

  const stop = (signal: string) => {
    process.stdout.write(`[api] ${signal}: closing\n`);
    server.close().then(
      () =>
        database.close().then(
          () => process.exit(0),
          (e: unknown) => {
            console.error("[api] could not close the database", e);
            process.exit(1);
          },
        ),
      (e: unknown) => {
        console.error("[api] could not close cleanly", e);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError) {
      console.error(`[api] ${e.message}`);
      process.exit(2);
    }
    console.error("[api] failed to start:", e);
    process.exit(1);
  },
);
