import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{shared,engine,api,samples}/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    environment: "node",
    // Starts a throwaway PostgreSQL server for the PostgreSQL tests (or uses LIFELOOP_TEST_DATABASE_URL).
    globalSetup: ["./engine/src/store/pg/testing/global-setup.ts"],
    testTimeout: 30_000,
    // Two cores on CI: keep workers to what the machine has.
    maxWorkers: 2,
    reporters: ["default", "./scripts/closing-line-reporter.ts"],
  },
});
