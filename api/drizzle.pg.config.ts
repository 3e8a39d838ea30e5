import { defineConfig } from "drizzle-kit";

/**
 * `pnpm --filter @lifeloop/api db:generate:pg` writes a new PostgreSQL migration into drizzle-pg/ after a schema
 * change.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.pg.ts",
  out: "./drizzle-pg",
});
