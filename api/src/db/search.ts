import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Store } from "./open.ts";

/**
 * `column` contains `text`, case-insensitively, with % and _ taken literally: SQLite LIKE (ASCII
 * case folding), PostgreSQL ILIKE.
 */
export function contains(db: Pick<Store, "dialect">, column: SQLiteColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return db.dialect === "postgres"
    ? sql`${column} ILIKE ${pattern} ESCAPE '\\'`
    : sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
