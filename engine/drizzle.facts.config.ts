import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // The report's fact tables, in a file of their own beside the engine's (store/sqlite/facts.ts): the
  // projector writes them under that file's lock, never the engine's.
  schema: "./src/store/sqlite/facts-schema.ts",
  out: "./drizzle-facts",
});
