/**
 * Schema parity for packages that keep the same tables on SQLite and PostgreSQL (the API, the
 * engine): drizzle's table objects read with getTableConfig, compared by table and column name,
 * nullability, a coarse kind (integer, boolean, text) and primary key. Each package's test lists
 * what exists on one side only, with the reason.
 */
import { is } from "drizzle-orm";
import { PgTable, getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { SQLiteTable, getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";

type Column = { nullable: boolean; kind: "integer" | "boolean" | "text" | "other" };
export type Shape = Map<string, { columns: Map<string, Column>; primaryKey: string[] }>;

/** drizzle's column types, coarsely: what a value read back is. */
function kindOf(columnType: string): Column["kind"] {
  if (
    /^(SQLiteInteger|SQLiteTimestamp|PgInteger|PgSmallInt|PgBigInt53|PgBigSerial53|PgSerial|PgSmallSerial)$/.test(
      columnType,
    )
  )
    return "integer";
  if (/^(SQLiteBoolean|PgBoolean)$/.test(columnType)) return "boolean";
  if (/^(SQLiteText|PgText|PgVarchar)$/.test(columnType)) return "text";
  return "other";
}

export function schemaShape(modules: object[], dialect: "sqlite" | "pg"): Shape {
  const out: Shape = new Map();
  for (const value of modules.flatMap((m) => Object.values(m))) {
    const config =
      dialect === "sqlite"
        ? is(value, SQLiteTable)
          ? sqliteTableConfig(value)
          : null
        : is(value, PgTable)
          ? pgTableConfig(value)
          : null;
    if (!config) continue;
    const composite = config.primaryKeys.flatMap((k) => k.columns.map((c) => c.name));
    const primaryKey = composite.length > 0 ? composite : config.columns.filter((c) => c.primary).map((c) => c.name);
    // A primary key column is NOT NULL on PostgreSQL whatever it says; on SQLite only an INTEGER
    // PRIMARY KEY is, so a nullable column in a composite key would be a real difference.
    const columns = new Map(
      config.columns.map((c) => [
        c.name,
        {
          nullable: !(c.notNull || c.primary || (dialect === "pg" && composite.includes(c.name))),
          kind: kindOf(c.columnType),
        } satisfies Column,
      ]),
    );
    out.set(config.name, { columns, primaryKey });
  }
  return out;
}

/** Table and column names (`table`, `table.column`) of a shape. */
const shapeNames = (s: Shape) =>
  [...s].flatMap(([t, { columns }]) => [t, ...[...columns.keys()].map((c) => `${t}.${c}`)]);

/** What differs between the two shapes beyond the listed one-sided names (and stale list entries). */
export function parityProblems(
  lite: Shape,
  post: Shape,
  onlyOnPostgres: Record<string, string>,
  onlyOnSqlite: Record<string, string>,
) {
  const liteNames = new Set(shapeNames(lite));
  const pgNames = new Set(shapeNames(post));
  // Inside a table only on one side, its columns are covered by the table's entry.
  const listed = (name: string, list: Record<string, string>) => name in list || name.split(".")[0]! in list;
  const differences: string[] = [];
  for (const [table, l] of lite) {
    const p = post.get(table);
    if (!p) continue;
    if (l.primaryKey.join(",") !== p.primaryKey.join(","))
      differences.push(`${table}: primary key (${l.primaryKey}) on SQLite, (${p.primaryKey}) on PostgreSQL`);
    for (const [name, lc] of l.columns) {
      const pc = p.columns.get(name);
      if (!pc) continue;
      if (lc.nullable !== pc.nullable)
        differences.push(
          `${table}.${name}: ${lc.nullable ? "nullable" : "NOT NULL"} on ` +
            `SQLite, ${pc.nullable ? "nullable" : "NOT NULL"} on PostgreSQL`,
        );
      if (lc.kind !== pc.kind || lc.kind === "other")
        differences.push(`${table}.${name}: ${lc.kind} on SQLite, ${pc.kind} on PostgreSQL`);
    }
  }
  return {
    onlyOnPostgres: shapeNames(post).filter((n) => !liteNames.has(n) && !listed(n, onlyOnPostgres)),
    onlyOnSqlite: shapeNames(lite).filter((n) => !pgNames.has(n) && !listed(n, onlyOnSqlite)),
    // Every entry still true: a column added to the other side must leave the list.
    staleEntries: [
      ...Object.keys(onlyOnPostgres).filter((n) => !pgNames.has(n) || liteNames.has(n)),
      ...Object.keys(onlyOnSqlite).filter((n) => !liteNames.has(n) || pgNames.has(n)),
    ],
    differences,
  };
}
