export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** One subcommand of `lifeloop`. Later verbs (simulate, serve…) are one module each, listed in main.ts. */
export interface Verb {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit code. Throws CliError for a one-line failure. */
  run(argv: string[], out: Output): number | Promise<number>;
}
