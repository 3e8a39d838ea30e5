import { describe, expect, it } from "vitest";
import { bucketOf } from "../hash.ts";
import { isHeldOut } from "./holdout.ts";

const people = Array.from({ length: 20_000 }, (_, i) => `u${i}`);

describe("isHeldOut", () => {
  it("holds out about the configured share, by the person's bucket", () => {
    const holdout = { salt: "2026-q4", shareBp: 500, journeys: "all" as const };
    const held = people.filter((u) => isHeldOut(holdout, "any", u));
    // 5 % of 20 000 is 1 000; a fair hash stays well within ±15 % of it.
    expect(held.length).toBeGreaterThan(850);
    expect(held.length).toBeLessThan(1150);
    for (const u of held) expect(bucketOf("2026-q4", u)).toBeLessThan(500);
  });

  it("is sticky for a salt and redrawn by a new one", () => {
    const a = { salt: "a", shareBp: 1000, journeys: "all" as const };
    const b = { salt: "b", shareBp: 1000, journeys: "all" as const };
    const heldA = people.filter((u) => isHeldOut(a, "j", u));
    expect(people.filter((u) => isHeldOut(a, "j", u))).toEqual(heldA);
    const heldB = new Set(people.filter((u) => isHeldOut(b, "j", u)));
    const both = heldA.filter((u) => heldB.has(u)).length;
    // Independent draws overlap by about 10 % of 10 %: 1 % of people, 200 here.
    expect(both).toBeLessThan(400);
  });

  it("covers only the journeys tagged into it, and nobody with no holdout or a share of 0", () => {
    const u = people.find((p) => bucketOf("s", p) < 100)!;
    expect(isHeldOut({ salt: "s", shareBp: 100, journeys: ["welcome"] }, "welcome", u)).toBe(true);
    expect(isHeldOut({ salt: "s", shareBp: 100, journeys: ["welcome"] }, "win-back", u)).toBe(false);
    expect(isHeldOut({ salt: "s", shareBp: 0, journeys: "all" }, "welcome", u)).toBe(false);
    expect(isHeldOut(null, "welcome", u)).toBe(false);
  });
});
