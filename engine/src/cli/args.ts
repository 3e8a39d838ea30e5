import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./read.ts";

/** node:util parseArgs with its errors turned into one-line CLI errors. */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}
