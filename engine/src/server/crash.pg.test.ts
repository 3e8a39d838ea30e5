import { it } from "vitest";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { crashScenario } from "./crash-scenario.ts";

describePostgres("crash test on PostgreSQL: SIGKILL at random moments during HTTP ingest", (db) => {
  it("loses no acknowledged event, applies each exactly once, and ends with a clean run's ledger", async () => {
    // Fewer kills than on SQLite (each restart costs a process start); the same events and checks.
    await crashScenario(db(), 10);
  }, 300_000);
});
