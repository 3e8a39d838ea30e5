/**
 * The route tests again, on PostgreSQL: the same files, their servers each on a fresh database on
 * the run's PostgreSQL server. (keys.test.ts reads the SQLite file directly, and samples/main start
 * the process on a file, so they stay SQLite-only.)
 */
import { expect, it } from "vitest";
import { startServer } from "../testing/harness.ts";
import { postgresForThisFile } from "../testing/postgres.ts";

if (postgresForThisFile("API route tests on PostgreSQL")) {
  it("starts these servers on PostgreSQL", async () => {
    const s = await startServer();
    try {
      expect(s.dialect).toBe("postgres");
      expect(s.dbFile).toMatch(/^postgres:\/\//);
    } finally {
      await s.close();
    }
  });
  await import("./journeys.test.ts");
  await import("./versions.test.ts");
  await import("./segments.test.ts");
  await import("./profiles.test.ts");
  await import("./transfer.test.ts");
  await import("./audit.test.ts");
  await import("./engine.test.ts");
  await import("./simulate.test.ts");
}
