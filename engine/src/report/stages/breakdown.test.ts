import { describe, expect, it } from "vitest";
import { groupsOf } from "./breakdown.ts";

describe("breakdown groups", () => {
  const people = [
    ...Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, v: "app" })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `w${i}`, v: "web" })),
    ...Array.from({ length: 2 }, (_, i) => ({ id: `s${i}`, v: "sms" })),
    { id: "n1", v: undefined },
    { id: "n2", v: "" },
    { id: "x1", v: 7 },
  ];

  it("keeps the largest groups by people, in name order, and pools the rest and the missing as (other)", () => {
    const g = groupsOf(people, (p) => p.v, 2);
    expect(g.map((x) => [x.value, x.people.length])).toEqual([
      ["app", 5],
      ["web", 3],
      ["(other)", 5],
    ]);
    expect(g.flatMap((x) => x.people).length).toBe(people.length);
  });

  it("names a value that is not text by its JSON, and never more groups than asked plus one", () => {
    const g = groupsOf(people, (p) => p.v, 10);
    expect(g.map((x) => x.value)).toEqual(["7", "app", "sms", "web", "(other)"]);
    const many = Array.from({ length: 1000 }, (_, i) => ({ v: `u${i}` }));
    expect(groupsOf(many, (p) => p.v, 20)).toHaveLength(21);
  });
});
