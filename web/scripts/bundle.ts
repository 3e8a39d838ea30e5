/**
 * What a browser downloads for each screen of the editor's production build: the entry chunk and
 * every chunk it imports statically (index.html preloads them all) make the first screen (the
 * journeys list); a page or panel fetched with import() adds its own chunk and its static imports.
 * Sizes are gzip at zlib's default level, as Vite prints them.
 */
import { gzipSync } from "node:zlib";
import type { Rolldown } from "vite";

type OutputChunk = Rolldown.OutputChunk;
type OutputAsset = Rolldown.OutputAsset;

export interface Screen {
  name: string;
  files: string[];
  bytes: number;
  gzip: number;
  /** npm packages with code in these chunks (e.g. "recharts", "@xyflow/react"). */
  packages: Set<string>;
  /** Repository source files in these chunks, relative (e.g. "web/src/panels/SimulatePanel.tsx"). */
  sources: Set<string>;
  /** Code by package, or by source folder for the repository's own files (rendered bytes, before minifying). */
  weight: Map<string, number>;
}

/** The npm package a module id belongs to, or null for the repository's own files. */
export function packageOf(id: string): string | null {
  const m = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  return m ? m[1]! : null;
}

/** The chunks `start` needs before it runs: itself and its static imports, transitively. */
export function staticClosure(chunks: ReadonlyMap<string, OutputChunk>, start: OutputChunk): OutputChunk[] {
  const seen = new Map<string, OutputChunk>();
  const visit = (c: OutputChunk) => {
    if (seen.has(c.fileName)) return;
    seen.set(c.fileName, c);
    for (const f of c.imports) {
      const next = chunks.get(f);
      if (next) visit(next);
    }
  };
  visit(start);
  return [...seen.values()];
}

export function screenOf(name: string, chunks: readonly OutputChunk[], repo: string): Screen {
  const screen: Screen = {
    name,
    files: [],
    bytes: 0,
    gzip: 0,
    packages: new Set(),
    sources: new Set(),
    weight: new Map(),
  };
  for (const c of new Set(chunks)) {
    screen.files.push(c.fileName);
    screen.bytes += Buffer.byteLength(c.code);
    screen.gzip += gzipSync(c.code).length;
    for (const id of c.moduleIds) {
      // Stylesheets are emitted as CSS files of their own, not as this chunk's JavaScript.
      if (/\.css([?#]|$)/.test(id)) continue;
      const pkg = packageOf(id);
      const source = id.startsWith(repo)
        ? id
            .slice(repo.length)
            .replace(/^\//, "")
            .replace(/[?#].*$/, "")
        : null;
      if (pkg) screen.packages.add(pkg);
      else if (source) screen.sources.add(source);
      const key = pkg ?? source?.split("/").slice(0, 3).join("/") ?? "(other)";
      screen.weight.set(key, (screen.weight.get(key) ?? 0) + (c.modules[id]?.renderedLength ?? 0));
    }
  }
  return screen;
}

/** The chunk a module is fetched in by import(): its own, or one it shares with a static importer elsewhere. */
function lazyChunkOf(chunks: ReadonlyMap<string, OutputChunk>, module: string): OutputChunk | undefined {
  const lazy = new Set([...chunks.values()].flatMap((c) => c.dynamicImports));
  return [...chunks.values()].find(
    (c) => lazy.has(c.fileName) && c.moduleIds.some((id) => id.replace(/[?#].*$/, "") === module),
  );
}

/**
 * The first screen, and each lazily loaded part named in `parts` (a source file, relative to the
 * repository, that is a dynamic entry) on top of the screen it opens from (`from`, default the first).
 */
export function screensOf<P extends Record<string, { module: string; from?: string }>>(
  output: ReadonlyArray<OutputChunk | OutputAsset>,
  repo: string,
  parts: P,
): Record<keyof P | "first", Screen> {
  const chunks = new Map(output.filter((o): o is OutputChunk => o.type === "chunk").map((c) => [c.fileName, c]));
  const entry = [...chunks.values()].find((c) => c.isEntry);
  if (!entry) throw new Error("the build has no entry chunk");
  const closures: Record<string, OutputChunk[]> = { first: staticClosure(chunks, entry) };
  const screens: Record<string, Screen> = { first: screenOf("first screen (journeys list)", closures.first!, repo) };
  for (const [name, part] of Object.entries(parts)) {
    const chunk = lazyChunkOf(chunks, `${repo}/${part.module}`);
    if (!chunk) throw new Error(`${part.module} is not in a chunk loaded with import()`);
    const base = closures[part.from ?? "first"];
    if (!base) throw new Error(`${name} opens from ${part.from}, which is listed after it or not at all`);
    closures[name] = [...base, ...staticClosure(chunks, chunk)];
    screens[name] = screenOf(name, closures[name]!, repo);
  }
  // Every name in `parts` was given a screen above (or the loop threw).
  return screens as Record<keyof P | "first", Screen>;
}

export const kB = (n: number): string => `${(n / 1000).toFixed(1)} kB`;

/** The heaviest parts `screen` adds to `base` (what opening it costs beyond what is loaded), largest first. */
export function addedWeight(screen: Screen, base: Screen, top = 8): string {
  return [...screen.weight]
    .map(([k, n]) => [k, n - (base.weight.get(k) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, n]) => `${k} ${kB(n)}`)
    .join(", ");
}
