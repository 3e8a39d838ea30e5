import { describe, expect, it } from "vitest";
import { isCyclic, reachableFrom, stronglyConnected, type Adjacency } from "./graph.ts";

const adj = (edges: Record<string, string[]>): Adjacency => new Map(Object.entries(edges));

describe("graph", () => {
  it("finds what a start reaches", () => {
    const g = adj({ a: ["b"], b: ["c"], c: [], d: ["a"] });
    expect([...reachableFrom(["a"], g)].sort()).toEqual(["a", "b", "c"]);
  });

  it("finds strongly connected components in reverse topological order", () => {
    const g = adj({ a: ["b"], b: ["c", "d"], c: ["b"], d: ["d"], e: [] });
    const sccs = stronglyConnected(["a", "b", "c", "d", "e"], g);
    expect(sccs.map((c) => [...c].sort())).toEqual([["d"], ["b", "c"], ["a"], ["e"]]);
    expect(sccs.map((c) => isCyclic(c, g))).toEqual([true, true, false, false]);
  });

  it("handles a 100,000-node chain without overflowing the stack", () => {
    const n = 100_000;
    const g: Adjacency = new Map();
    for (let i = 0; i < n; i++) g.set(`n${i}`, i + 1 < n ? [`n${i + 1}`] : ["n0"]);
    const sccs = stronglyConnected([...g.keys()], g);
    expect(sccs).toHaveLength(1);
    expect(sccs[0]).toHaveLength(n);
  });
});
