/**
 * CONTRIBUTING.md stays true: every path it names exists, every name it says a file exports is
 * exported there, and every command it gives names a script or a binary the workspace has. The
 * recipes' behaviour is held by the tests they point at (migrations, schema parity, the contract).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const text = readFileSync(join(root, "CONTRIBUTING.md"), "utf8");
const ticked = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
const TOP = new Set(readdirSync(root));

/** A backticked token that names a file or folder of the repository (not a package name or a URL). */
const isPath = (t: string) =>
  /^[\w.-]+(\/[\w.-]+)*\/?$/.test(t) && TOP.has(t.split("/")[0]!) && (t.includes("/") || /\.\w+$/.test(t));

function exportsName(file: string, name: string): boolean {
  const source = readFileSync(join(root, file), "utf8");
  const declared = new RegExp(`export\\s+(async\\s+)?(function\\*?|const|let|class|type|interface|enum)\\s+${name}\\b`);
  const listed = [...source.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)].some((m) =>
    m[2]!.split(",").some(
      (part) =>
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .replace(/^type\s+/, "") === name,
    ),
  );
  return declared.test(source) || listed;
}

function scriptsOf(dir: string): Record<string, string> {
  return (
    (JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { scripts?: Record<string, string> })
      .scripts ?? {}
  );
}

/** The root and every workspace package pnpm-workspace.yaml lists. */
const PACKAGES = [
  ".",
  ...[...readFileSync(join(root, "pnpm-workspace.yaml"), "utf8").matchAll(/^\s+-\s+(\S+)/gm)].map((m) => m[1]!),
];

describe("CONTRIBUTING.md", () => {
  it("names only paths that exist", () => {
    const paths = ticked.filter(isPath);
    expect(paths.length).toBeGreaterThan(20);
    for (const p of paths) expect(existsSync(join(root, p)), p).toBe(true);
  });

  it("says a file exports a name only where it does", () => {
    const claims = [...text.matchAll(/`([A-Za-z_$][\w$]*)(?:\(\))?`[^`\n]{0,40}?\b(?:from|in)\s+`([^`]+\.tsx?)`/g)].map(
      (m) => ({ name: m[1]!, file: m[2]! }),
    );
    expect(claims.length).toBeGreaterThan(4);
    for (const { name, file } of claims) expect(exportsName(file, name), `${name} in ${file}`).toBe(true);
  });

  it("gives only commands the workspace has", () => {
    const bins = new Set(
      PACKAGES.flatMap((p) =>
        existsSync(join(root, p, "node_modules/.bin")) ? readdirSync(join(root, p, "node_modules/.bin")) : [],
      ),
    );
    const scripts = new Set(PACKAGES.flatMap((p) => Object.keys(scriptsOf(p))));
    const commands = ticked.filter((t) => /^(npm|pnpm|npx) /.test(t));
    expect(commands.length).toBeGreaterThan(3);
    for (const c of commands) {
      const [tool, first, second, third] = c.split(/\s+/);
      if (tool === "npx") expect(bins, c).toContain(first);
      // `pnpm --filter @lifeloop/<pkg> <script>`: a script of that package.
      else if (first === "--filter")
        expect(Object.keys(scriptsOf(second!.replace("@lifeloop/", ""))), c).toContain(third);
      else expect(scripts, c).toContain(first === "run" ? second : first);
    }
  });
});
