import { describe, expect, it } from "vitest";
import { unavailableReason } from "./unavailable.ts";

const err = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("which store errors are worth retrying", () => {
  it("names a full disk, a lock, a lost PostgreSQL connection", () => {
    expect(unavailableReason(err("SQLITE_FULL", "database or disk is full"))).toBe("the disk is full");
    expect(unavailableReason(err("SQLITE_BUSY"))).toContain("locked");
    expect(unavailableReason(err("SQLITE_IOERR_WRITE"))).toContain("SQLITE_IOERR_WRITE");
    expect(unavailableReason(err("57P01", "terminating connection due to administrator command"))).toContain("57P01");
    expect(unavailableReason(err("53100", "could not extend file"))).toContain("53100");
    expect(unavailableReason(err("ECONNREFUSED"))).toContain("ECONNREFUSED");
    expect(unavailableReason(new Error("Connection terminated unexpectedly"))).toContain("connection was lost");
  });
  it("leaves real bugs and bad input alone (they stay 500 / 400)", () => {
    expect(unavailableReason(err("SQLITE_CONSTRAINT_NOTNULL", "NOT NULL constraint failed: events.at"))).toBeNull();
    expect(unavailableReason(err("23505", "duplicate key"))).toBeNull();
    expect(unavailableReason(new TypeError("x is undefined"))).toBeNull();
    expect(unavailableReason("nope")).toBeNull();
  });
});
