import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // The store's tables. The report's facts live in a file of their own (drizzle.facts.config.ts); up to
  // 0013 this file's migrations created them here too, and the store moves them out on open.
  schema: "./src/store/sqlite/schema.ts",
  out: "./drizzle",
});
