import { it } from "vitest";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { hangingReceiverIsNotHammered, outageThenRedrive } from "./outage-scenario.ts";

// One database per block: each scenario counts every outbox row.
describePostgres("webhook outage and re-drive on PostgreSQL", (db) => {
  it("an outage longer than the retry window dead-letters; lifeloop redrive delivers each key exactly once", {
    timeout: 120_000,
  }, async () => {
    await outageThenRedrive(db());
  });
});

describePostgres("delivery circuit on PostgreSQL", (db) => {
  it("a hanging receiver gets a bounded number of attempts, and deliveries resume when it recovers", {
    timeout: 120_000,
  }, async () => {
    await hangingReceiverIsNotHammered(db(), "PostgreSQL");
  });
});
