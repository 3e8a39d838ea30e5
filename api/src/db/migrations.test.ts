import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pendingMigrations } from "@lifeloop/engine/testing";

// A schema change lands with its migration: `npx drizzle-kit generate --name what_changed` in api/
// (and `--config drizzle.pg.config.ts` for PostgreSQL). See CONTRIBUTING.md, "Adding a migration".
describe("the API's migrations are in step with its schema", () => {
  for (const config of ["drizzle.config.ts", "drizzle.pg.config.ts"]) {
    it(config, async () => {
      expect(await pendingMigrations(fileURLToPath(new URL(`../../${config}`, import.meta.url)))).toEqual({});
    });
  }
});
