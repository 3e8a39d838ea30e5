import { UserId, JourneyId, NodeId } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "./store.ts";

describe("SqliteStore counters", () => {
  it("spends only within the cap, for a new counter and an existing one", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    await store.transaction(async (tx) => {
      expect(tx.applySpend({ key: "b", amount: 600, limit: 500 })).toBe(false);
      expect(tx.counterUsed("b")).toBe(0);
      expect(tx.applySpend({ key: "b", amount: 300, limit: 500 })).toBe(true);
      expect(tx.applySpend({ key: "b", amount: 200, limit: 500 })).toBe(true);
      expect(tx.applySpend({ key: "b", amount: 1, limit: 500 })).toBe(false);
      expect(tx.counterUsed("b")).toBe(500);
      // A republished journey with a larger budget raises the cap for what is left.
      expect(tx.applySpend({ key: "b", amount: 100, limit: 800 })).toBe(true);
      expect(tx.counterUsed("b")).toBe(600);
    });
    store.close();
  });

  it("records a grant key once", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const row = {
      grantKey: "j@1/r/u1/1",
      entry: "grant" as const,
      userId: UserId.parse("u1"),
      journeyId: JourneyId.parse("j"),
      version: 1,
      nodeId: NodeId.parse("r"),
      type: "points",
      amount: 10,
      code: null,
      unit: "points",
      budgetId: null,
      at: 0,
    };
    await store.transaction(async (tx) => {
      expect(tx.insertGrant(row)).toBe(true);
      expect(tx.insertGrant({ ...row, amount: 99 })).toBe(false);
    });
    expect(store.db.prepare("SELECT amount FROM ledger").pluck().all()).toEqual([10]);
    store.close();
  });
});
