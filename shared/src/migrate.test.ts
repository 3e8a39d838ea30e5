import { describe, expect, it } from "vitest";
import { migrateDocument } from "./migrate.ts";
import { SCHEMA_VERSION } from "./schema/journey.ts";

describe("migrateDocument", () => {
  it("passes the current version through untouched", () => {
    const doc = { schemaVersion: SCHEMA_VERSION, id: "x" };
    expect(migrateDocument(doc)).toEqual({ ok: true, document: doc, from: SCHEMA_VERSION });
  });

  it("explains what is wrong with the version", () => {
    expect(migrateDocument({})).toMatchObject({
      ok: false,
      path: "$.schemaVersion",
      message: expect.stringContaining("missing"),
    });
    expect(migrateDocument({ schemaVersion: "1" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("whole number"),
    });
    expect(migrateDocument({ schemaVersion: SCHEMA_VERSION + 1 })).toMatchObject({
      ok: false,
      message: expect.stringContaining("newer"),
    });
    expect(migrateDocument([])).toMatchObject({ ok: false, path: "$" });
  });
});
