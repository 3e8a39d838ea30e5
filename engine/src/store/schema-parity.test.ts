import { describe, expect, it } from "vitest";
import { parityProblems, schemaShape } from "../testing/schema-parity.ts";
import * as reportSqlite from "./sqlite/facts-schema.ts";
import * as pg from "./pg/schema.ts";
import * as sqlite from "./sqlite/schema.ts";

/**
 * The engine keeps the same state on SQLite and PostgreSQL (store/port.ts): the drizzle table
 * objects of both must have the same tables and columns, each column nullable on both or on
 * neither, of the same kind (integer or text), with the same primary key. What exists on purpose on
 * one side only is listed here with the reason; a stale entry fails too.
 */
const ONLY_ON_POSTGRES: Record<string, string> = {
  leases: "partition leases: several workers share the work on PostgreSQL; SQLite has one process",
  workers: "worker heartbeats, for each worker's fair share of partitions",
  report_folded:
    "sequence values commit out of order on PostgreSQL: rows above the cursor already folded (report/pg.ts)",
  "timers.part": "the partition a worker claims timers by (generated from user_id)",
  "outbox.part": "the partition a worker claims deliveries by (generated from user_id)",
  "events.part": "the partition whose applier applies the event (generated from user_id)",
  "events.xid":
    "the appending transaction: appliers read a partition in (xid, seq) order below the snapshot's xmin, " +
    "since sequence values commit out of order",
  "report_cursors.fence_seq": "the projector's fence for out-of-order commits (report/pg.ts)",
  "report_cursors.fence_xid": "the projector's fence for out-of-order commits (report/pg.ts)",
};
const ONLY_ON_SQLITE: Record<string, string> = {};

describe("engine schema parity: SQLite (store + report) and PostgreSQL", () => {
  const lite = schemaShape([sqlite, reportSqlite], "sqlite");
  const post = schemaShape([pg], "pg");

  it("reads both schemas (a test over nothing proves nothing)", () => {
    expect(lite.size).toBeGreaterThanOrEqual(20);
    expect(lite.get("outbox")?.columns.size).toBeGreaterThan(10);
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
