import { describe, it } from "vitest";
import { outboxContract } from "./outbox-contract.ts";
import { SqliteStore } from "./sqlite/store.ts";

describe("outbox on SQLite", () => {
  it("claims with the window start, releases, expires and re-drives with a timeline entry", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      await outboxContract(store);
    } finally {
      await store.close();
    }
  });
});
