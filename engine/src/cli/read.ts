import { readFileSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError, LIMITS, parseUntrustedJson } from "@lifeloop/shared";

/** A failure the command reports as one line and exit 1: never a stack trace. */
export class CliError extends Error {}

/** Reads a JSON file from disk as untrusted input: size checked before reading, depth before parsing. */
export function readJsonFile(file: string, maxBytes: number = LIMITS.maxDocumentBytes): unknown {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (size > maxBytes)
    throw new CliError(`${file}: ${size} bytes is over the ${maxBytes}-byte limit for a journey file`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return parseUntrustedJson(text, { maxBytes });
  } catch (e) {
    if (e instanceof InputError) throw new CliError(`${file}: ${e.message}${e.path !== "$" ? ` at ${e.path}` : ""}`);
    throw e;
  }
}

/** Files named on the command line; a directory stands for the .json files directly inside it. */
export function expandFiles(args: readonly string[]): string[] {
  return args.flatMap((a) => {
    try {
      if (statSync(a).isDirectory()) {
        return readdirSync(a)
          .filter((f) => f.endsWith(".json"))
          .sort()
          .map((f) => join(a, f));
      }
    } catch {
      // Not there: keep the name so reading it reports the problem against it.
    }
    return [a];
  });
}
