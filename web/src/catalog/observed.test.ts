import type { ObservedEvents } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { knownCatalog, mergeCatalogs, SAMPLES_CATALOG } from "./known.ts";
import { observedCatalog } from "./observed.ts";

describe("the events the workspace has seen", () => {
  it("merges the profiles' and the engine's answers into one catalog, the first kind where they differ", () => {
    const profiles: ObservedEvents = {
      events: [{ type: "deposit", count: 3, props: { amount: "number", channel: "string" } }],
      scanned: 3,
      truncated: false,
    };
    const engine: ObservedEvents = {
      events: [
        { type: "deposit", count: 1, props: { amount: "string", fee: "number" } },
        { type: "transaction", count: 9, props: { amount: "number" } },
      ],
      scanned: 10,
      truncated: true,
    };
    const seen = observedCatalog([profiles, engine]);
    expect(seen.events).toEqual({
      deposit: { props: { amount: "number", channel: "string", fee: "number" } },
      transaction: { props: { amount: "number" } },
    });
    // Under the samples' catalog, which knows that a transaction's amount is money in yuan.
    const workspace = mergeCatalogs(seen, SAMPLES_CATALOG);
    expect(workspace.events.transaction).toMatchObject({ props: { amount: "money" }, currency: "CNY" });
    // A blank journey is offered both, with no setup.
    const known = knownCatalog(undefined, workspace);
    expect(Object.keys(known.events)).toEqual(expect.arrayContaining(["deposit", "transaction", "registered"]));
  });
});
