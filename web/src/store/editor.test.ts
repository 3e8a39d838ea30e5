import { beforeEach, describe, expect, it } from "vitest";
import { compileJourney, DraftJourney, KINDS } from "@lifeloop/shared";
import gift from "../../../samples/journeys/activation-newcomer-gift.json";
import { freshId, isDirty, redo, undo, useEditor, type Doc } from "./editor.ts";

const blank = (): Doc =>
  DraftJourney.parse({
    schemaVersion: 1,
    id: "j",
    name: "J",
    description: "",
    timeZone: "Asia/Shanghai",
    entry: { reentry: "once" },
    exitCriteria: [],
    settings: {},
    segments: [],
    nodes: [],
    edges: [],
  });

const s = () => useEditor.getState();
const history = () => useEditor.temporal.getState();

beforeEach(() => s().load(blank(), '"r1"'));

describe("editor store", () => {
  it("adds a node of every registry kind with the kind's defaults and a readable unique id", () => {
    for (const k of KINDS) s().addNode(k.kind, { x: 10.4, y: 20.6 });
    s().addNode("wait", { x: 0, y: 0 });
    const ids = s().doc!.nodes.map((n) => n.id);
    expect(ids).toContain("update_attribute");
    expect(ids).toContain("wait_2");
    expect(new Set(ids).size).toBe(ids.length);
    const wait = s().doc!.nodes.find((n) => n.id === "wait")!;
    expect(wait.params).toEqual(KINDS.find((k) => k.kind === "wait")!.defaults());
    expect(wait.position).toEqual({ x: 10, y: 21 });
    expect(s().selection.nodes).toEqual(["wait_2"]);
    expect(() => s().addNode("teleport", { x: 0, y: 0 })).toThrow(/unknown node kind/);
  });

  it("keeps one edge per branch, refuses edges into a trigger and onto the same node", () => {
    const t = s().addNode("trigger", { x: 0, y: 0 });
    const c = s().addNode("condition", { x: 200, y: 0 });
    const a = s().addNode("exit", { x: 400, y: 0 });
    const b = s().addNode("exit", { x: 400, y: 100 });
    expect(s().connect(t, "next", c)).toBe(true);
    expect(s().connect(c, "yes", a)).toBe(true);
    expect(s().connect(c, "yes", b)).toBe(true);
    expect(s().doc!.edges.filter((e) => e.source === c)).toMatchObject([{ sourceHandle: "yes", target: b }]);
    expect(s().connect(c, "no", t)).toBe(false);
    expect(s().connect(c, "no", c)).toBe(false);
    expect(s().connect(c, "no", "ghost")).toBe(false);
    expect(s().doc!.edges).toHaveLength(2);
  });

  it("deletes the selection with the edges that touch it", () => {
    const t = s().addNode("trigger", { x: 0, y: 0 });
    const w = s().addNode("wait", { x: 200, y: 0 });
    const e = s().addNode("exit", { x: 400, y: 0 });
    s().connect(t, "next", w);
    s().connect(w, "next", e);
    s().select({ nodes: [w], edges: [] });
    s().deleteSelection();
    expect(s().doc!.nodes.map((n) => n.id)).toEqual([t, e]);
    expect(s().doc!.edges).toEqual([]);
    expect(s().selection.nodes).toEqual([]);
  });

  it("undoes and redoes edits, not selections", () => {
    const t = s().addNode("trigger", { x: 0, y: 0 });
    s().updateNode(t, { params: { mode: "event", event: "registered" } });
    s().select({ nodes: [], edges: [] });
    expect(history().pastStates).toHaveLength(2);
    undo();
    expect(s().doc!.nodes[0]!.params).toEqual(KINDS[0].defaults());
    undo();
    expect(s().doc!.nodes).toEqual([]);
    redo();
    redo();
    expect(s().doc!.nodes[0]!.params).toEqual({ mode: "event", event: "registered" });
  });

  it("records a whole drag as one undo step back to where it started", () => {
    const t = s().addNode("trigger", { x: 0, y: 0 });
    const before = history().pastStates.length;
    for (let i = 1; i <= 30; i++) s().moveNodes({ [t]: { x: i * 5, y: i } }, true);
    s().moveNodes({ [t]: { x: 300, y: 40 } }, false);
    expect(s().doc!.nodes[0]!.position).toEqual({ x: 300, y: 40 });
    expect(history().pastStates.length).toBe(before + 1);
    expect(history().isTracking).toBe(true);
    undo();
    expect(s().doc!.nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });

  it("copies and pastes the selection with new ids and the edges between copied nodes", () => {
    const t = s().addNode("trigger", { x: 0, y: 0 });
    const w = s().addNode("wait", { x: 200, y: 0 });
    s().connect(t, "next", w);
    s().select({ nodes: [w], edges: [] });
    s().copySelection();
    s().paste();
    s().paste();
    const ids = s().doc!.nodes.map((n) => n.id);
    expect(ids).toEqual(["trigger", "wait", "wait_2", "wait_3"]);
    expect(s().doc!.nodes[3]!.position).toEqual({ x: 280, y: 80 });
    // Only edges with both ends copied come along: the trigger was not copied.
    expect(s().doc!.edges).toHaveLength(1);
    s().select({ nodes: [t, w], edges: [] });
    s().copySelection();
    s().paste();
    const pasted = s().selection.nodes;
    expect(pasted).toHaveLength(2);
    expect(s().doc!.edges.find((e) => e.source === pasted[0])).toMatchObject({
      target: pasted[1],
      sourceHandle: "next",
    });
    expect(compileJourney(s().doc).issues.filter((i) => i.code === "duplicate_id")).toEqual([]);
  });

  it("lays a sample journey out left to right, branches apart, without overlaps", async () => {
    s().load(DraftJourney.parse(gift), '"r1"');
    await s().autoLayout();
    const pos = Object.fromEntries(s().doc!.nodes.map((n) => [n.id, n.position]));
    expect(pos.registered!.x).toBeLessThan(pos.wait_invest!.x);
    expect(pos.wait_invest!.x).toBeLessThan(pos.gift!.x);
    expect(pos.gift!.x).toBeLessThan(pos.push_gift!.x);
    expect(pos.activated!.y).not.toBe(pos.gift!.y);
    const boxes = Object.values(pos);
    for (const a of boxes)
      for (const b of boxes) if (a !== b) expect(Math.abs(a.x - b.x) >= 240 || Math.abs(a.y - b.y) >= 84).toBe(true);
    undo();
    expect(s().doc!.nodes.find((n) => n.id === "gift")!.position).toEqual({ x: 560, y: 200 });
  });

  it("knows when the document differs from what was saved", () => {
    expect(isDirty(s())).toBe(false);
    const t = s().addNode("trigger", { x: 0, y: 0 });
    expect(isDirty(s())).toBe(true);
    s().markSaved(s().doc!, '"r2"');
    expect(isDirty(s())).toBe(false);
    expect(s().etag).toBe('"r2"');
    s().updateNode(t, { label: "Start" });
    expect(isDirty(s())).toBe(true);
    s().updateNode(t, { label: undefined });
    expect(isDirty(s())).toBe(false);
  });

  it("makes ids that are unique and valid", () => {
    expect(freshId("wait", [])).toBe("wait");
    expect(freshId("wait", ["wait", "wait_2"])).toBe("wait_3");
    expect(freshId("--?", [])).toBe("node");
  });
});
