import { EventEnvelope, InputError } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { simulate } from "./simulate.ts";
import { sampleExecutable } from "./testing/samples.ts";

describe("simulate bounds its work", () => {
  const journeys = [{ executable: sampleExecutable("tiers") }];
  const login = (id: string, at: string) => EventEnvelope.parse({ id, userId: "u1", type: "login", at, props: {} });

  it("refuses a stream that spans more than 3 years, naming the event", () => {
    const run = () =>
      simulate({
        journeys,
        events: [
          login("a", "2026-11-01T00:00:00Z"),
          login("b", "2026-11-02T00:00:00Z"),
          login("c", "9999-12-31T23:59:59+14:00"),
        ],
      });
    expect(run).toThrow(InputError);
    try {
      run();
    } catch (e) {
      expect((e as InputError).path).toBe("$.events[2].at");
      expect((e as InputError).message).toContain("3 years");
    }
  });

  it("refuses an end more than 3 years after the first event", () => {
    expect(() =>
      simulate({ journeys, events: [login("a", "2026-11-01T00:00:00Z")], until: "2031-01-01T00:00:00Z" }),
    ).toThrow(/until is more than 3 years/);
  });

  it("runs a year of daily segment re-checks", () => {
    const r = simulate({ journeys, events: [login("a", "2026-11-01T00:00:00Z")], until: "2027-11-01T00:00:00Z" });
    expect(r.stats.until).toBe("2027-11-01T00:00:00.000Z");
    expect(r.effects.some((e) => e.kind === "segment")).toBe(true);
  });
});
