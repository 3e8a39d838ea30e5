import { describe, expect, it } from "vitest";
import { EdgeId, NodeId } from "./schema/common.ts";
import { diffJourneys, diffValues } from "./diff.ts";
import { DraftJourney } from "./schema/journey.ts";
import { welcomeJourney as journeyDoc } from "./testing/builders.ts";

const doc = (overrides: Record<string, unknown> = {}) => DraftJourney.parse(journeyDoc("d", overrides));

describe("diffJourneys", () => {
  it("finds nothing between a document and itself", () => {
    const d = diffJourneys(doc(), doc());
    expect(d.unchanged).toBe(true);
    expect(d).toMatchObject({
      nodes: { added: [], removed: [], changed: [], moved: [] },
      edges: { added: [], removed: [] },
      journey: [],
    });
  });

  it("lists journey-level changes by field, with before and after", () => {
    const a = doc();
    const b = doc({
      name: "Renamed",
      entry: { reentry: "once_per_period", period: "week" },
      settings: { quietHours: { start: "22:00", end: "08:00" } },
      goal: { event: "first_investment", window: "7d" },
    });
    const d = diffJourneys(a, b);
    expect(d.journey).toEqual([
      { path: "name", before: "Welcome gift", after: "Renamed" },
      { path: "entry.period", after: "week" },
      { path: "entry.reentry", before: "once", after: "once_per_period" },
      { path: "goal", after: { event: "first_investment", window: "7d" } },
      { path: "settings.quietHours", after: { start: "22:00", end: "08:00" } },
    ]);
    expect(d.unchanged).toBe(false);
  });

  it("treats an edge by what it connects: a new id for the same connection is no change, a retargeted one is", () => {
    const a = doc();
    const b = doc();
    b.edges[0] = { ...b.edges[0]!, id: EdgeId.parse("renamed") };
    expect(diffJourneys(a, b).edges).toEqual({ added: [], removed: [] });
    b.edges[3] = { ...b.edges[3]!, target: NodeId.parse("late") };
    expect(diffJourneys(a, b).edges).toEqual({
      added: [{ id: "e4", source: "gift", sourceHandle: "next", target: "late" }],
      removed: [{ id: "e4", source: "gift", sourceHandle: "next", target: "done" }],
    });
  });

  it("reports label and kind changes and removed nodes; a grown array is one change", () => {
    const a = doc();
    const b = doc();
    b.nodes[3] = { ...b.nodes[3]!, label: "All done" };
    b.nodes[4] = { ...b.nodes[4]!, kind: "goal", params: { name: "late" } };
    b.nodes.splice(1, 1);
    const d = diffJourneys(a, b);
    expect(d.nodes.removed).toEqual([{ id: "wait_login", kind: "wait" }]);
    expect(d.nodes.changed).toEqual([
      { id: "done", kind: "exit", label: "All done", fields: [{ path: "label", after: "All done" }] },
      {
        id: "late",
        kind: "goal",
        fields: [
          { path: "kind", before: "exit", after: "goal" },
          { path: "params.name", after: "late" },
          { path: "params.reason", before: "no_login" },
        ],
      },
    ]);
    expect(diffValues({ list: [1, 2] }, { list: [1, 2, 3] })).toEqual([
      { path: "list", before: [1, 2], after: [1, 2, 3] },
    ]);
    expect(diffValues({ "a-b": { c: 1 } }, { "a-b": { c: 2 } })).toEqual([{ path: '["a-b"].c', before: 1, after: 2 }]);
  });

  it("diffs segments by id", () => {
    const seg = (id: string, condition: unknown) => ({ id, name: id, description: "", condition });
    const a = doc({ segments: [seg("vip", true), seg("old", false)] });
    const b = doc({ segments: [seg("vip", { "==": [1, 1] }), seg("new", true)] });
    expect(diffJourneys(a, b).segments).toEqual({
      added: ["new"],
      removed: ["old"],
      changed: [{ id: "vip", fields: [{ path: "condition", before: true, after: { "==": [1, 1] } }] }],
    });
  });
});
