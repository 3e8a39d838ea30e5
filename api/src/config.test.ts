import { describe, expect, it } from "vitest";
import { ConfigError, HELP, readConfig } from "./config.ts";

const root = "/repo";

describe("readConfig", () => {
  it("defaults: port 8787 on loopback, data/api.sqlite under the repository root, samples as drafts", () => {
    expect(readConfig([], {}, root)).toEqual({
      port: 8787,
      host: "127.0.0.1",
      dbFile: "/repo/data/api.sqlite",
      dialect: "sqlite",
      samples: "draft",
      editorOrigin: "http://localhost:5173",
      engineKey: undefined,
      editorKey: undefined,
      adminKey: undefined,
      createKey: null,
      holdout: null,
      levels: null,
      help: false,
    });
  });

  it("reads the workspace holdout from LIFELOOP_HOLDOUT, and names what is wrong in a bad one", () => {
    const holdout = { salt: "2026", shareBp: 500, journeys: ["welcome"] };
    expect(readConfig([], { LIFELOOP_HOLDOUT: JSON.stringify(holdout) }, root).holdout).toEqual(holdout);
    expect(() => readConfig([], { LIFELOOP_HOLDOUT: '{"salt":"s","shareBp":9000,"journeys":"all"}' }, root)).toThrow(
      /LIFELOOP_HOLDOUT: the holdout setting at \$\.shareBp/,
    );
    expect(() => readConfig([], { LIFELOOP_HOLDOUT: "5%" }, root)).toThrow(ConfigError);
  });

  it("reads the environment, and flags win over it", () => {
    const env = {
      PORT: "9000",
      LIFELOOP_API_DB: "/var/lib/lifeloop.db",
      LIFELOOP_EDITOR_ORIGIN: "https://editor.example/",
      LIFELOOP_ENGINE_KEY: "k",
      LIFELOOP_EDITOR_KEY: "e",
      LIFELOOP_ADMIN_KEY: "a",
      LIFELOOP_API_SAMPLES: "off",
    };
    expect(readConfig([], env, root)).toMatchObject({
      port: 9000,
      dbFile: "/var/lib/lifeloop.db",
      editorOrigin: "https://editor.example",
      engineKey: "k",
      editorKey: "e",
      adminKey: "a",
      samples: "off",
    });
    expect(readConfig([], { LIFELOOP_API_PORT: "9001" }, root).port).toBe(9001);
    expect(readConfig(["--", "--port", "0", "--db", "tmp/x.sqlite", "--samples", "publish"], env, root)).toMatchObject({
      port: 0,
      dbFile: "/repo/tmp/x.sqlite",
      samples: "publish",
    });
    expect(readConfig(["--create-key", "ci bot:editor"], {}, root).createKey).toEqual({
      name: "ci bot",
      role: "editor",
    });
    expect(readConfig(["--create-key", "ops:key-admin"], {}, root).createKey).toEqual({
      name: "ops",
      role: "key-admin",
    });
  });

  it("selects PostgreSQL with DATABASE_URL=postgres://… (or a postgres:// --db); SQLite stays the default", () => {
    expect(readConfig([], { DATABASE_URL: "postgresql://u:p@db:5432/lifeloop" }, root)).toMatchObject({
      dialect: "postgres",
      dbFile: "postgresql://u:p@db:5432/lifeloop",
    });
    expect(readConfig(["--db", "postgres://db/lifeloop"], {}, root)).toMatchObject({
      dialect: "postgres",
      dbFile: "postgres://db/lifeloop",
    });
    expect(readConfig([], {}, root)).toMatchObject({ dialect: "sqlite", dbFile: "/repo/data/api.sqlite" });
    // The API's own setting wins over the shared one; a non-PostgreSQL DATABASE_URL is not the API's.
    expect(
      readConfig([], { DATABASE_URL: "postgres://db/lifeloop", LIFELOOP_API_DB: "/var/lib/api.sqlite" }, root),
    ).toMatchObject({ dialect: "sqlite", dbFile: "/var/lib/api.sqlite" });
    expect(readConfig([], { DATABASE_URL: "mysql://db/x" }, root)).toMatchObject({
      dialect: "sqlite",
      dbFile: "/repo/data/api.sqlite",
    });
  });

  it("refuses what it cannot use, saying why", () => {
    for (const [argv, env, text] of [
      [["--port", "http"], {}, "port"],
      [[], { PORT: "70000" }, "port"],
      [["--samples", "maybe"], {}, "samples"],
      [["--create-key", "x:admin"], {}, "role"],
      [["--editor-origin", "nope"], {}, "origin"],
      [["--verbose"], {}, "--help"],
    ] as const) {
      expect(() => readConfig(argv, env, root)).toThrow(ConfigError);
      expect(() => readConfig(argv, env, root)).toThrow(text);
    }
  });

  it("--help names every flag and environment variable", () => {
    expect(readConfig(["-h"], {}, root).help).toBe(true);
    for (const word of [
      "--port",
      "--host",
      "--db",
      "--samples",
      "--editor-origin",
      "--create-key",
      "PORT",
      "LIFELOOP_API_PORT",
      "LIFELOOP_API_DB",
      "LIFELOOP_API_HOST",
      "LIFELOOP_API_SAMPLES",
      "LIFELOOP_EDITOR_ORIGIN",
      "LIFELOOP_ENGINE_KEY",
      "LIFELOOP_EDITOR_KEY",
      "LIFELOOP_ADMIN_KEY",
      "key-admin",
    ]) {
      expect(HELP).toContain(word);
    }
  });
});
