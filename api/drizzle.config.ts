import { defineConfig } from "drizzle-kit";

/** `pnpm --filter @lifeloop/api db:generate` writes a new migration into drizzle/ after a schema change. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
