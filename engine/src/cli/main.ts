// Entry point of `pnpm lifeloop …`: wires the command to the process, nothing else.
import { main } from "./index.ts";

process.exitCode = await main(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
