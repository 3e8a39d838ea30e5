/**
 * The editor talks to the API and the engine over HTTP only: nothing under web/src (the app and its
 * unit tests) imports an api or engine package; their types come from @lifeloop/client, generated
 * from the services' OpenAPI documents. Only web/e2e and web/bench start the real services.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const WEB = new URL("../web/", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe("the editor's dependencies", () => {
  it("imports no api or engine package under web/src", () => {
    const sources = files(join(WEB, "src"));
    expect(sources.length).toBeGreaterThan(50);
    const offending = sources.flatMap((f) =>
      [
        ...readFileSync(f, "utf8").matchAll(
          /\bfrom\s+["'](@lifeloop\/(?:api|engine)[^"']*)["']|\bimport\(\s*["'](@lifeloop\/(?:api|engine)[^"']*)["']/g,
        ),
      ].map((m) => `${f.slice(WEB.length)}: ${m[1] ?? m[2]}`),
    );
    expect(offending).toEqual([]);
  });

  it("has api and engine as dev dependencies only (web/e2e, web/bench), the client as a dependency", () => {
    const pkg = JSON.parse(readFileSync(join(WEB, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => d === "@lifeloop/api" || d === "@lifeloop/engine")).toEqual([]);
    expect(pkg.dependencies["@lifeloop/client"]).toBe("workspace:*");
  });
});
