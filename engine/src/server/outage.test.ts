import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { hangingReceiverIsNotHammered, outageThenRedrive } from "./outage-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-outage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("webhook outages on SQLite", () => {
  it("an outage longer than the retry window dead-letters; lifeloop redrive delivers each key exactly once", {
    timeout: 120_000,
  }, async () => {
    await outageThenRedrive(join(dir, "outage.sqlite"));
  });

  it("a hanging receiver gets a bounded number of attempts, and deliveries resume when it recovers", {
    timeout: 120_000,
  }, async () => {
    await hangingReceiverIsNotHammered(join(dir, "hang.sqlite"), "SQLite");
  });
});
