import { compileJourney } from "@lifeloop/shared";
import { parse } from "../args.ts";
import { CliError, readJsonFile } from "../read.ts";
import type { Verb } from "../verb.ts";
import { formatIssue } from "./validate.ts";

export const compile: Verb = {
  name: "compile",
  usage: "compile FILE",
  summary: "print the executable graph the engine runs",
  run(argv, out) {
    const { positionals } = parse(argv, {});
    if (positionals.length !== 1) throw new CliError("compile: name exactly one journey file");
    const file = positionals[0]!;
    const r = compileJourney(readJsonFile(file));
    for (const i of r.issues) out.stderr(formatIssue(file, i));
    if (!r.executable) return 1;
    out.stdout(JSON.stringify(r.executable, null, 2));
    return 0;
  },
};
