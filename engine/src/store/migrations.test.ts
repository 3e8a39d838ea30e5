import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pendingMigrations } from "../testing/migrations.ts";

// A schema change lands with its migration: `npx drizzle-kit generate --name what_changed` in engine/
// (and `--config drizzle.pg.config.ts` for PostgreSQL). See CONTRIBUTING.md, "Adding a migration".
describe("the engine's migrations are in step with its schema", () => {
  for (const config of ["drizzle.config.ts", "drizzle.facts.config.ts", "drizzle.pg.config.ts"]) {
    it(config, async () => {
      expect(await pendingMigrations(fileURLToPath(new URL(`../../${config}`, import.meta.url)))).toEqual({});
    });
  }
});
