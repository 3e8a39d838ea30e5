import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { secretFrom, startEnv } from "./start-env.mjs";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-start-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mode = (file: string) => statSync(file).mode & 0o777;
const ALL = ["api", "engine", "web"];

describe("npm start's environment", () => {
  it("makes a sidecar token and an admin key on the first start, 0600 in data/, and reads the same ones back", () => {
    const data = join(dir, "first", "data");
    const first = startEnv(ALL, {}, data).env;
    expect(first.LIFELOOP_SIDECAR_TOKEN).toMatch(/^llt_sidecar_[0-9a-f]{48}$/);
    expect(first.LIFELOOP_ADMIN_KEY).toMatch(/^llk_admin_[0-9a-f]{48}$/);
    for (const file of [".sidecar-token", ".admin-key", ".engine-key", ".editor-key"])
      expect(mode(join(data, file)), file).toBe(0o600);
    expect(readFileSync(join(data, ".sidecar-token"), "utf8").trim()).toBe(first.LIFELOOP_SIDECAR_TOKEN);
    const again = startEnv(ALL, {}, data).env;
    for (const v of ["LIFELOOP_SIDECAR_TOKEN", "LIFELOOP_ADMIN_KEY", "LIFELOOP_ENGINE_KEY", "LIFELOOP_EDITOR_KEY"])
      expect(again[v], v).toBe(first[v]);
    // Four different secrets: no two sides share one.
    expect(
      new Set([
        first.LIFELOOP_SIDECAR_TOKEN,
        first.LIFELOOP_ADMIN_KEY,
        first.LIFELOOP_ENGINE_KEY,
        first.LIFELOOP_EDITOR_KEY,
      ]).size,
    ).toBe(4);
  });

  it(
    "hands the engine, the API (live reports) and the editor's proxy one environment with the token and the " +
      "engine's URL",
    () => {
      const { env } = startEnv(ALL, {}, join(dir, "wired"));
      expect(env.LIFELOOP_ENGINE_URL).toBe("http://127.0.0.1:8788");
      expect(env.LIFELOOP_API_URL).toBe("http://127.0.0.1:8787");
      expect(env.LIFELOOP_SIDECAR_TOKEN).toBeDefined();
    },
  );

  it("keeps values the caller set, and makes no token without an engine, no admin key without the API", () => {
    const data = join(dir, "given");
    const { env } = startEnv(ALL, { LIFELOOP_SIDECAR_TOKEN: "mine", LIFELOOP_ADMIN_KEY: "ours" }, data);
    expect(env.LIFELOOP_SIDECAR_TOKEN).toBe("mine");
    expect(env.LIFELOOP_ADMIN_KEY).toBe("ours");
    const webOnly = startEnv(["web"], {}, join(dir, "web-only")).env;
    expect(webOnly.LIFELOOP_SIDECAR_TOKEN).toBeUndefined();
    expect(webOnly.LIFELOOP_ADMIN_KEY).toBeUndefined();
    const engineOnly = startEnv(["engine"], {}, join(dir, "engine-only")).env;
    expect(engineOnly.LIFELOOP_SIDECAR_TOKEN).toMatch(/^llt_sidecar_/);
    expect(engineOnly.LIFELOOP_ENGINE_JOURNEYS).toBe("samples/journeys");
  });

  it("puts the editor on LIFELOOP_EDITOR_PORT (5173 unless set), and tells the API that origin for CORS", () => {
    const defaults = startEnv(ALL, {}, join(dir, "editor-default"));
    expect(defaults.editorUrl).toBe("http://127.0.0.1:5173/");
    expect(defaults.env.LIFELOOP_EDITOR_PORT).toBe("5173");
    expect(defaults.env.LIFELOOP_EDITOR_ORIGIN).toBe("http://127.0.0.1:5173");
    const moved = startEnv(ALL, { LIFELOOP_EDITOR_PORT: "6100", LIFELOOP_EDITOR_HOST: "0.0.0.0" }, join(dir, "moved"));
    // Listening on every address includes loopback, where the link points.
    expect(moved.editorUrl).toBe("http://127.0.0.1:6100/");
    expect(moved.env.LIFELOOP_EDITOR_ORIGIN).toBe("http://127.0.0.1:6100");
    const given = startEnv(ALL, { LIFELOOP_EDITOR_ORIGIN: "https://editor.example" }, join(dir, "editor-origin"));
    expect(given.env.LIFELOOP_EDITOR_ORIGIN).toBe("https://editor.example");
    for (const bad of ["0", "70000", "http", "-1"]) {
      expect(() => startEnv(ALL, { LIFELOOP_EDITOR_PORT: bad }, join(dir, "bad"))).toThrow(
        /LIFELOOP_EDITOR_PORT must be a port/,
      );
    }
    // Without the editor there is no editor port to pass on.
    expect(startEnv(["api", "engine"], {}, join(dir, "no-editor")).env.LIFELOOP_EDITOR_PORT).toBeUndefined();
  });

  it("narrows a secret file others can read to 0600, and refuses an empty one", () => {
    const loose = join(dir, "loose");
    writeFileSync(loose, "llt_sidecar_abc\n", { mode: 0o644 });
    expect(secretFrom(loose, "llt_sidecar_")).toBe("llt_sidecar_abc");
    expect(mode(loose)).toBe(0o600);
    const empty = join(dir, "empty");
    writeFileSync(empty, "\n", { mode: 0o600 });
    expect(() => secretFrom(empty, "x")).toThrow(/is empty/);
  });
});
