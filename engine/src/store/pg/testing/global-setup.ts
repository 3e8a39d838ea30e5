import type { TestProject } from "vitest/node";
import { startServer, type TestServer } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server for the PostgreSQL tests, or null with the reason in pgError. */
    pgUrl: string | null;
    pgError: string | null;
  }
}

/**
 * Once per test run: LIFELOOP_TEST_DATABASE_URL when set, otherwise a throwaway server started
 * here (see server.ts). Test files ask for it with `postgresOrFail()` (./suite.ts).
 */
let server: TestServer | null = null;

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.LIFELOOP_TEST_DATABASE_URL;
  if (given) {
    project.provide("pgUrl", given);
    project.provide("pgError", null);
    return () => {};
  }
  try {
    server = await startServer({ fast: true });
    project.provide("pgUrl", server.url);
    project.provide("pgError", null);
  } catch (e) {
    project.provide("pgUrl", null);
    project.provide("pgError", (e as Error).message);
  }
  return () => server?.stop();
}
