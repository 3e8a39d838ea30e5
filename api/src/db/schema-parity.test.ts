import { describe, expect, it } from "vitest";
import { parityProblems, schemaShape } from "@lifeloop/engine/testing";
import * as pg from "./schema.pg.ts";
import * as sqlite from "./schema.ts";

/**
 * The API's store code is written against schema.ts and runs on schema.pg.ts too: the drizzle table
 * objects of both must have the same tables and columns, each column nullable on both or on
 * neither, of the same kind (integer, boolean or text), with the same primary key. Nothing exists on
 * one side only today; an entry here would need its reason. (The engine's twin of this test is
 * engine/src/store/schema-parity.test.ts; the comparison is the engine's testing/schema-parity.ts.)
 */
const ONLY_ON_POSTGRES: Record<string, string> = {};
const ONLY_ON_SQLITE: Record<string, string> = {};

describe("API schema parity: SQLite (schema.ts) and PostgreSQL (schema.pg.ts)", () => {
  const lite = schemaShape([sqlite], "sqlite");
  const post = schemaShape([pg], "pg");

  it("reads both schemas (a test over nothing proves nothing)", () => {
    expect(lite.size).toBeGreaterThanOrEqual(9);
    expect(lite.get("journeys")?.columns.size).toBeGreaterThan(3);
  });

  it("has the same tables and columns, apart from those listed with their reason", () => {
    const p = parityProblems(lite, post, ONLY_ON_POSTGRES, ONLY_ON_SQLITE);
    expect(p.onlyOnPostgres).toEqual([]);
    expect(p.onlyOnSqlite).toEqual([]);
    expect(p.staleEntries).toEqual([]);
  });

  it("gives each shared column the same nullability and kind, and each shared table the same primary key", () => {
    expect(parityProblems(lite, post, ONLY_ON_POSTGRES, ONLY_ON_SQLITE).differences).toEqual([]);
  });
});
