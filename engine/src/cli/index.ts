import { CliError } from "./read.ts";
import type { Output, Verb } from "./verb.ts";
import { compile } from "./verbs/compile.ts";
import { redriveVerb } from "./verbs/redrive.ts";
import { simulateVerb } from "./verbs/simulate.ts";
import { schema } from "./verbs/schema.ts";
import { validate } from "./verbs/validate.ts";

const VERBS: readonly Verb[] = [validate, compile, schema, simulateVerb, redriveVerb];

function help(): string {
  const width = Math.max(...VERBS.map((v) => v.usage.length));
  return [
    "lifeloop — journeys for lifecycle marketing",
    "",
    "usage: lifeloop <verb> [args]",
    "",
    ...VERBS.map((v) => `  ${v.usage.padEnd(width)}  ${v.summary}`),
    "",
    "exit status: 0 ok, 1 invalid input or failure, 2 usage error",
  ].join("\n");
}

/** Runs one command line; never throws, never prints a stack trace for bad input. */
export async function main(argv: string[], out: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    out.stdout(help());
    return name === undefined ? 2 : 0;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (!verb) {
    out.stderr(`lifeloop: unknown verb "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    out.stdout(`usage: lifeloop ${verb.usage}\n${verb.summary}`);
    return 0;
  }
  try {
    return await verb.run(rest, out);
  } catch (e) {
    if (e instanceof CliError) {
      out.stderr(`lifeloop ${name}: ${e.message}`);
      return 1;
    }
    // A bug, not bad input: say so in one line and keep the stack for those who ask for it.
    out.stderr(
      `lifeloop ${name}: internal error: ${(e as Error).message}` +
        `${process.env.LIFELOOP_DEBUG ? `\n${(e as Error).stack}` : " (set LIFELOOP_DEBUG=1 for " + "details)"}`,
    );
    return 1;
  }
}
