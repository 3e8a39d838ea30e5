import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  // The store's tables, and the report's (engine/src/report/schema.ts) in their own module.
  schema: ["./src/store/sqlite/schema.ts", "./src/report/schema.ts"],
  out: "./drizzle",
});
