import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**"],
    testTimeout: 30_000,
    // Two cores on CI: keep workers to what the machine has.
    maxWorkers: 2,
    reporters: ["default", "./scripts/closing-line-reporter.ts"],
    projects: [
      // The node project starts a throwaway PostgreSQL server for the PostgreSQL tests (or uses
      // LIFELOOP_TEST_DATABASE_URL).
      {
        extends: true,
        test: {
          name: "node",
          include: ["{shared,engine,api,client,samples,scripts,web/scripts}/**/*.test.ts"],
          environment: "node",
          globalSetup: ["./engine/src/store/pg/testing/global-setup.ts"],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: "web",
          include: ["web/src/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
          setupFiles: ["web/src/testing/setup.ts"],
        },
      },
      // Real Chromium against the real API: one file at a time, long timeouts.
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["web/e2e/**/*.e2e.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
