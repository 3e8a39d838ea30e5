import { it } from "vitest";
import { outboxContract } from "./outbox-contract.ts";
import { PgStore } from "./pg/store.ts";
import { describePostgres } from "./pg/testing/suite.ts";

describePostgres("outbox on PostgreSQL", (db) => {
  it("claims with the window start, releases, expires and re-drives with a timeline entry", async () => {
    // With leases, as the sidecar opens it: expiry only in this worker's partitions (all of them here).
    const store = await PgStore.open({ url: db(), leases: { ttlMs: 10_000 } });
    try {
      await outboxContract(store);
    } finally {
      await store.close();
    }
  });
});
