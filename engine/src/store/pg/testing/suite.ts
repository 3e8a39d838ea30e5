import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { createDatabase } from "./server.ts";

const LOUD = "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n";

/**
 * A describe block whose tests run against a fresh database on the run's PostgreSQL server. When
 * no server could start, with CI=true the block fails (one test that says why); locally it is
 * skipped with a loud warning. `db()` is the database URL inside the tests.
 */
export function describePostgres(name: string, body: (db: () => string) => void): void {
  const url = inject("pgUrl");
  const error = inject("pgError");
  if (!url) {
    const message =
      `PostgreSQL tests "${name}" cannot run: no PostgreSQL server (${error ?? "none configured"}). Install ` +
      `Debian's postgresql (as .ci/run does) or set LIFELOOP_TEST_DATABASE_URL.`;
    if (process.env.CI) {
      describe(name, () => {
        it("needs a PostgreSQL server", () => {
          throw new Error(message);
        });
      });
    } else {
      console.warn(`${LOUD}SKIPPED: ${message}${LOUD}`);
      describe.skip(name, () => body(() => ""));
    }
    return;
  }
  describe(name, () => {
    let db: { url: string; drop(): Promise<void> } | null = null;
    beforeAll(async () => {
      db = await createDatabase(url, "lifeloop_test");
    });
    afterAll(async () => {
      await db?.drop();
    });
    body(() => {
      if (!db) throw new Error("the test database was not created");
      return db.url;
    });
  });
}
