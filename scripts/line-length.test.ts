/**
 * Lines stay within 120 columns (Biome formats code at 120; this holds what the formatter leaves
 * alone: strings, comments, SQL in templates). Checked: every tracked .ts, .tsx, .mjs, .js and .cjs
 * file, and the code blocks of tracked Markdown files. Not checked: generated files (the OpenAPI
 * types in client/src/generated, drizzle's migrations and snapshots, the lockfile, JSON data), and
 * Markdown prose and tables: a table row is one line however wide its cells are, and wrapping it
 * would break the table. Columns are counted in characters (code points), as an editor shows them.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../", import.meta.url).pathname;
const MAX = 120;
const GENERATED = [/^client\/src\/generated\//, /\/drizzle(-pg)?\//, /\/migrations?\//, /(^|\/)pnpm-lock\.yaml$/];

function tracked(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => /\.(ts|tsx|mjs|js|cjs|md)$/.test(f) && !GENERATED.some((g) => g.test(f)));
}

/** The 1-based numbers of the lines checked: all of a source file, only code blocks of Markdown. */
function checkedLines(file: string, lines: string[]): number[] {
  if (!file.endsWith(".md")) return lines.map((_, i) => i + 1);
  const out: number[] = [];
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) fence = fence === null ? m[1]! : line.trim().startsWith(fence) ? null : fence;
    else if (fence !== null) out.push(i + 1);
  });
  return out;
}

describe("line length", () => {
  it(`keeps every checked line within ${MAX} columns`, () => {
    const files = tracked();
    expect(files.length).toBeGreaterThan(300);
    const over: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
      for (const n of checkedLines(file, lines)) {
        const width = [...lines[n - 1]!].length;
        if (width > MAX) over.push(`${file}:${n} (${width})`);
      }
    }
    expect(over).toEqual([]);
  });
});
