/**
 * Whether a production build of the editor is still the build of what is on disk. A build records
 * its inputs (every file the bundler read, from the module graph, plus the config, index.html, the
 * package manifest and the lockfile) with their hashes, and the listing of every source folder it
 * read from (so a new file that a glob import would pick up counts too). `npm start` rebuilds only
 * when one of them differs: honest (content, not clocks) and quick (hashing the inputs takes tens of
 * milliseconds; a build takes seconds).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import type { Plugin } from "vite";

/** The record a build leaves beside its index.html. */
export const STAMP_FILE = ".lifeloop-inputs.json";

interface Stamp {
  /** Path (relative to the repository) → sha256 of its content. */
  files: Record<string, string>;
  /** Source folder (relative to the repository) → sha256 of its sorted listing. */
  folders: Record<string, string>;
}

const sha = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const listing = (dir: string): string => sha(readdirSync(dir).sort().join("\n"));

/** A module id as a file on disk, or null (virtual modules, `\0` ids, data: URLs). */
function fileOf(id: string): string | null {
  const path = id.replace(/[?#].*$/, "");
  if (!isAbsolute(path) || !existsSync(path) || !statSync(path).isFile()) return null;
  return path;
}

/** The stamp for `files` (absolute paths); folders are listed for the ones outside node_modules. */
export function stampOf(repo: string, files: Iterable<string>): Stamp {
  const stamp: Stamp = { files: {}, folders: {} };
  for (const file of new Set(files)) {
    stamp.files[relative(repo, file)] = sha(readFileSync(file));
    if (!file.includes("/node_modules/")) stamp.folders[relative(repo, dirname(file))] ??= listing(dirname(file));
  }
  return stamp;
}

/** The files every build depends on beside its module graph. */
export function fixedInputs(webDir: string): string[] {
  const repo = join(webDir, "..");
  return [
    join(webDir, "index.html"),
    join(webDir, "vite.config.ts"),
    join(webDir, "package.json"),
    join(repo, "pnpm-lock.yaml"),
  ].filter((f) => existsSync(f));
}

/** A vite plugin that writes the stamp of the build's inputs into its output folder. */
export function recordInputs(webDir: string): Plugin {
  const repo = join(webDir, "..");
  return {
    name: "lifeloop:record-inputs",
    apply: "build",
    writeBundle(options) {
      if (!options.dir) throw new Error("recordInputs needs a build with an output folder");
      const graph = [...this.getModuleIds()].map(fileOf).filter((f): f is string => f !== null);
      writeFileSync(
        join(options.dir, STAMP_FILE),
        JSON.stringify(stampOf(repo, [...graph, ...fixedInputs(webDir)]), null, 1),
      );
    },
  };
}

/** Why the build in `outDir` must be made again (a sentence), or null when it is current. */
export function whyRebuild(webDir: string, outDir: string): string | null {
  const repo = join(webDir, "..");
  const stampPath = join(outDir, STAMP_FILE);
  if (!existsSync(join(outDir, "index.html"))) return "there is no build yet";
  if (!existsSync(stampPath)) return "the build does not say what it was built from";
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, "utf8")) as Stamp;
  } catch (e) {
    return `its record of inputs is unreadable (${(e as Error).message})`;
  }
  for (const [file, hash] of Object.entries(stamp.files ?? {})) {
    const path = join(repo, file);
    if (!existsSync(path)) return `${file} is gone`;
    if (sha(readFileSync(path)) !== hash) return `${file} changed`;
  }
  for (const [folder, hash] of Object.entries(stamp.folders ?? {})) {
    const path = join(repo, folder);
    if (!existsSync(path) || listing(path) !== hash) return `files were added to or removed from ${folder || "."}`;
  }
  for (const file of fixedInputs(webDir))
    if (!(relative(repo, file) in (stamp.files ?? {}))) return `${relative(repo, file)} is new`;
  return null;
}
