import { allKinds } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { expectLiveMatchesSimulate, expectRunsToItsEnd } from "./testing/every-kind.ts";

/**
 * The registry's promise at run time: whatever a kind is, dropped into trigger → kind → exit with
 * its palette defaults, simulate runs every person to the end (a kind that pauses resumes within
 * simulate's default horizon), and the durable runtime commits the same effects.
 */
describe("every registered kind in a minimal journey", () => {
  it("covers the registry", () => {
    expect(allKinds().length).toBeGreaterThanOrEqual(10);
  });

  for (const def of allKinds()) {
    it(`${def.kind} runs to its end in simulate, and live commits the same`, async () => {
      const run = expectRunsToItsEnd(def);
      expect(run.result.stats.users).toBe(3);
      await expectLiveMatchesSimulate(run);
    });
  }
});
