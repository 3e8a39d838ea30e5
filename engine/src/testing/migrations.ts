/**
 * Migrations in step with the schema, for every package that keeps its tables in drizzle (the API,
 * the engine; SQLite and PostgreSQL each). drizzle-kit generate runs against a copy of the
 * package's migrations folder: a schema edited without `drizzle-kit generate` shows up as a new
 * migration there, and the test names its SQL. The package's own folder is never written.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What a drizzle config file exports; only the fields the comparison needs. */
interface DrizzleConfig {
  dialect: string;
  schema: string | string[];
  out: string;
}

/**
 * The SQL of each migration drizzle-kit would write for `configFile` now (none when the
 * migrations are in step), keyed by file name.
 */
export async function pendingMigrations(configFile: string): Promise<Record<string, string>> {
  const packageDir = dirname(configFile);
  const config = ((await import(configFile)) as { default: DrizzleConfig }).default;
  const schemas = (Array.isArray(config.schema) ? config.schema : [config.schema]).map((s) => resolve(packageDir, s));
  const work = await mkdtemp(join(tmpdir(), "lifeloop-migrations-"));
  try {
    const before = new Set(await readdir(resolve(packageDir, config.out)));
    await cp(resolve(packageDir, config.out), join(work, "out"), { recursive: true });
    // drizzle-kit joins `out` onto "./", so the copy's config names it relative to its own folder.
    const copy = { dialect: config.dialect, schema: schemas, out: "out" };
    await writeFile(join(work, "drizzle.config.mjs"), `export default ${JSON.stringify(copy)};\n`);
    // bin.cjs is not in drizzle-kit's exports map: find the package from its main entry instead.
    const bin = join(dirname(createRequire(join(packageDir, "package.json")).resolve("drizzle-kit")), "bin.cjs");
    await run(process.execPath, [bin, "generate", "--config", "drizzle.config.mjs"], { cwd: work });
    const added = (await readdir(join(work, "out"))).filter((f) => f.endsWith(".sql") && !before.has(f));
    const pending: Record<string, string> = {};
    for (const f of added) pending[f] = await readFile(join(work, "out", f), "utf8");
    return pending;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
