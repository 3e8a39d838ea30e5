import { describe, it } from "vitest";
import { crashScenario, tempSqlite } from "./crash-scenario.ts";

describe("crash test: SIGKILL at random moments during HTTP ingest", () => {
  it("loses no acknowledged event, applies each exactly once, and ends with a clean run's ledger", async () => {
    await crashScenario(tempSqlite(), 20);
  }, 300_000);
});
