import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sampleExecutable } from "../testing/samples.ts";
import { loadJourney } from "./journeys.ts";

describe("loadJourney", () => {
  const names = readdirSync(new URL("../../../samples/journeys/", import.meta.url)).map((f) => f.replace(".json", ""));
  it("keeps exactly the aggregates the compiler lists, for every sample", () => {
    for (const name of names) {
      const exe = sampleExecutable(name);
      const loaded = loadJourney(exe, 1, "keep");
      expect(loaded.series.map((s) => s.spec.key).sort(), name).toEqual(exe.aggregates.map((a) => a.key).sort());
    }
  });
});
