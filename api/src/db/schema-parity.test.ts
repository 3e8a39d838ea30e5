import { is } from "drizzle-orm";
import { PgTable, getTableConfig as pgTableConfig } from "drizzle-orm/pg-core";
import { SQLiteTable, getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pg from "./schema.pg.ts";
import * as sqlite from "./schema.ts";

/**
 * The API's store code is written against schema.ts and runs on schema.pg.ts too: the drizzle table
 * objects of both must have the same tables and columns, each column nullable on both or on
 * neither, of the same kind (integer, boolean or text), with the same primary key. Nothing exists on
 * one side only today; an entry here would need its reason. (The engine's twin of this test is
 * engine/src/store/schema-parity.test.ts; packages do not import each other's tests.)
 */
const ONLY_ON_POSTGRES: Record<string, string> = {};
const ONLY_ON_SQLITE: Record<string, string> = {};

type Column = { nullable: boolean; kind: "integer" | "boolean" | "text" | "other" };
type Shape = Map<string, { columns: Map<string, Column>; primaryKey: string[] }>;

/** drizzle's column types, coarsely: what a value read back is. */
function kindOf(columnType: string): Column["kind"] {
  if (/^(SQLiteInteger|SQLiteTimestamp|PgInteger|PgSmallInt|PgBigInt53|PgBigSerial53|PgSerial|PgSmallSerial)$/.test(columnType)) return "integer";
  if (/^(SQLiteBoolean|PgBoolean)$/.test(columnType)) return "boolean";
  if (/^(SQLiteText|PgText|PgVarchar)$/.test(columnType)) return "text";
  return "other";
}

function shape(modules: object[], dialect: "sqlite" | "pg"): Shape {
  const out: Shape = new Map();
  for (const value of modules.flatMap((m) => Object.values(m))) {
    const config = dialect === "sqlite" ? (is(value, SQLiteTable) ? sqliteTableConfig(value) : null) : is(value, PgTable) ? pgTableConfig(value) : null;
    if (!config) continue;
    const composite = config.primaryKeys.flatMap((k) => k.columns.map((c) => c.name));
    const primaryKey = composite.length > 0 ? composite : config.columns.filter((c) => c.primary).map((c) => c.name);
    // A primary key column is NOT NULL on PostgreSQL whatever it says; on SQLite only an INTEGER
    // PRIMARY KEY is, so a nullable column in a composite key would be a real difference.
    const columns = new Map(config.columns.map((c) => [c.name, { nullable: !(c.notNull || c.primary || (dialect === "pg" && composite.includes(c.name))), kind: kindOf(c.columnType) } satisfies Column]));
    out.set(config.name, { columns, primaryKey });
  }
  return out;
}

/** Table and column names (`table`, `table.column`) of a shape. */
const names = (s: Shape) => [...s].flatMap(([t, { columns }]) => [t, ...[...columns.keys()].map((c) => `${t}.${c}`)]);

describe("API schema parity: SQLite (schema.ts) and PostgreSQL (schema.pg.ts)", () => {
  const lite = shape([sqlite], "sqlite");
  const post = shape([pg], "pg");

  it("reads both schemas (a test over nothing proves nothing)", () => {
    expect(lite.size).toBeGreaterThanOrEqual(9);
    expect(lite.get("journeys")?.columns.size).toBeGreaterThan(3);
  });

  it("has the same tables and columns, apart from those listed with their reason", () => {
    const liteNames = new Set(names(lite));
    const pgNames = new Set(names(post));
    // Inside a table only on one side, its columns are covered by the table's entry.
    const listed = (name: string, list: Record<string, string>) => name in list || name.split(".")[0]! in list;
    expect(names(post).filter((n) => !liteNames.has(n) && !listed(n, ONLY_ON_POSTGRES))).toEqual([]);
    expect(names(lite).filter((n) => !pgNames.has(n) && !listed(n, ONLY_ON_SQLITE))).toEqual([]);
    // And every entry is still true: a column added to the other side must leave the list.
    expect(Object.keys(ONLY_ON_POSTGRES).filter((n) => !pgNames.has(n) || liteNames.has(n))).toEqual([]);
    expect(Object.keys(ONLY_ON_SQLITE).filter((n) => !liteNames.has(n) || pgNames.has(n))).toEqual([]);
  });

  it("gives each shared column the same nullability and kind, and each shared table the same primary key", () => {
    const differences: string[] = [];
    for (const [table, l] of lite) {
      const p = post.get(table);
      if (!p) continue;
      if (l.primaryKey.join(",") !== p.primaryKey.join(",")) differences.push(`${table}: primary key (${l.primaryKey}) on SQLite, (${p.primaryKey}) on PostgreSQL`);
      for (const [name, lc] of l.columns) {
        const pc = p.columns.get(name);
        if (!pc) continue;
        if (lc.nullable !== pc.nullable) differences.push(`${table}.${name}: ${lc.nullable ? "nullable" : "NOT NULL"} on SQLite, ${pc.nullable ? "nullable" : "NOT NULL"} on PostgreSQL`);
        if (lc.kind !== pc.kind || lc.kind === "other") differences.push(`${table}.${name}: ${lc.kind} on SQLite, ${pc.kind} on PostgreSQL`);
      }
    }
    expect(differences).toEqual([]);
  });
});
