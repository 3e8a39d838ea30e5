import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{shared,engine,api,samples}/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    environment: "node",
    testTimeout: 30_000,
    // Two cores on CI: keep workers to what the machine has.
    maxWorkers: 2,
    reporters: ["default", "./scripts/closing-line-reporter.ts"],
  },
});
