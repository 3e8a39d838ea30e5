/**
 * The editor talks to the API and the engine over HTTP only: nothing under web/src (the app and its
 * unit tests) imports an api or engine package; their types come from @lifeloop/client, generated
 * from the services' OpenAPI documents. Only web/e2e and web/bench start the real services.
 * And every package is reached through its declared surface: an import of `@lifeloop/<pkg>/<entry>`
 * anywhere in the repository must name an entry of that package's `exports` map, which lists its
 * entries one by one (no `./*` that would export every file).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../", import.meta.url).pathname;
const WEB = join(ROOT, "web");

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
      ].map((m) => `${f.slice(WEB.length + 1)}: ${m[1] ?? m[2]}`),
    );
    expect(offending).toEqual([]);
  });

  it("has api and engine as dev dependencies only (web/e2e, web/bench), the client as a dependency", () => {
    const pkg = JSON.parse(readFileSync(join(WEB, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).filter((d) => d === "@lifeloop/api" || d === "@lifeloop/engine")).toEqual([]);
    expect(pkg.dependencies["@lifeloop/client"]).toBe("workspace:*");
  });
});

type Exports = Record<string, string> | undefined;

/** Every workspace package by name, with its exports map. */
function packages(): Map<string, Exports> {
  const out = new Map<string, Exports>();
  for (const dir of readdirSync(ROOT, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name.startsWith(".") || dir.name === "node_modules") continue;
    let text: string;
    try {
      text = readFileSync(join(ROOT, dir.name, "package.json"), "utf8");
    } catch {
      continue; // a folder that is not a package (docs, scripts)
    }
    const pkg = JSON.parse(text) as { name: string; exports?: Record<string, string> };
    out.set(pkg.name, pkg.exports);
  }
  return out;
}

describe("each package's surface", () => {
  const declared = packages();

  it("is an explicit exports map: no package exports every file with a wildcard", () => {
    expect(declared.size).toBeGreaterThanOrEqual(5);
    const wildcards = [...declared].flatMap(([name, exp]) =>
      Object.keys(exp ?? {})
        .filter((entry) => entry.includes("*"))
        .map((entry) => `${name}: ${entry}`),
    );
    expect(wildcards).toEqual([]);
    expect(Object.keys(declared.get("@lifeloop/shared") ?? {})).toEqual([".", "./testing"]);
  });

  it("is the only way in: every import of a workspace package names an entry of its exports map", () => {
    const tracked = execFileSync("git", ["ls-files", "*.ts", "*.tsx", "*.mjs", "*.md"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "" && !f.startsWith("client/src/generated/"));
    expect(tracked.length).toBeGreaterThan(100);
    // from "…", import("…"), require.resolve("…")
    const quoted = String.raw`\s*["'](@lifeloop\/[^"']+)["']`;
    const specifier = new RegExp(String.raw`\bfrom${quoted}|\bimport\(${quoted}|\.resolve\(${quoted}`, "g");
    const undeclared: string[] = [];
    let seen = 0;
    for (const file of tracked) {
      for (const m of readFileSync(join(ROOT, file), "utf8").matchAll(specifier)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? "";
        const [scope, name, ...rest] = spec.split("/");
        const pkg = `${scope}/${name}`;
        if (!declared.has(pkg)) continue; // not a workspace package
        seen++;
        const entry = rest.length === 0 ? "." : `./${rest.join("/")}`;
        if (!(entry in (declared.get(pkg) ?? {}))) undeclared.push(`${file}: ${spec}`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(undeclared).toEqual([]);
  });
});
