import { describe, expect, it } from "vitest";
import { Tally } from "./tally.ts";

describe("Tally", () => {
  it("adds up counts and amounts per row and drains each row once", () => {
    const t = new Tally<[string, number]>();
    t.add(["a", 1], 5);
    t.add(["b", 1]);
    t.add(["a", 1], 7);
    t.add(["a", 2]);
    const out: Array<[string, number, number, number]> = [];
    t.drain(([k, d], n, amount) => out.push([k, d, n, amount]));
    expect(out).toEqual([
      ["a", 1, 2, 12],
      ["b", 1, 1, 0],
      ["a", 2, 1, 0],
    ]);
    t.drain(() => out.push(["again", 0, 0, 0]));
    expect(out).toHaveLength(3);
  });

  it("keeps rows apart whose joined text would look alike without the separator", () => {
    const t = new Tally<[string, string]>();
    t.add(["ab", "c"]);
    t.add(["a", "bc"]);
    let rows = 0;
    t.drain(() => rows++);
    expect(rows).toBe(2);
  });
});
