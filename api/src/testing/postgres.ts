/**
 * The API's tests on PostgreSQL: the run's server from the engine's globalSetup (a throwaway
 * server on loopback, or LIFELOOP_TEST_DATABASE_URL). When there is none, under CI=true the file
 * fails with one test that says why; locally it is skipped with a loud warning.
 */
import { describe, inject, it } from "vitest";
import { usePostgres } from "./harness.ts";

const LOUD = "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n";

/** True when this file's servers now run on PostgreSQL; false (after failing or warning) when they cannot. */
export function postgresForThisFile(name: string): boolean {
  const url = inject("pgUrl");
  if (url) {
    usePostgres(url);
    return true;
  }
  const message =
    `PostgreSQL tests "${name}" cannot run: no PostgreSQL server (${inject("pgError") ?? "none configured"}). ` +
    `Install Debian's postgresql (as .ci/run does) or set LIFELOOP_TEST_DATABASE_URL.`;
  if (process.env.CI) {
    describe(name, () => {
      it("needs a PostgreSQL server", () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`${LOUD}SKIPPED: ${message}${LOUD}`);
    describe.skip(name, () => {
      it("needs a PostgreSQL server", () => {});
    });
  }
  return false;
}
