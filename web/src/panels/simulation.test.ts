import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJourney, DraftJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import winBackDoc from "../../../samples/journeys/win-back.json";
import type { SimulationResult } from "../api/client.ts";
import type { Doc } from "../store/editor.ts";
import { readingText } from "../i18n/fields.ts";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { overlayFromSimulation, pathEdges, pathOf, peopleOf, summaryOf, timelineOf, whyOf } from "./simulation.ts";

/** Real runs: what the API's simulate route answers for each sample over its own stream. */
let api: TestApi;
const runs = new Map<string, SimulationResult>();
beforeAll(async () => {
  api = await startTestApi();
  for (const id of ["tiered-rebate", "win-back"]) runs.set(id, await api.simulateSample(id));
}, 60_000);
afterAll(() => api?.close());

function run(docJson: unknown) {
  const compiled = compileJourney(docJson);
  expect(compiled.ok).toBe(true);
  const doc = compiled.document as Doc;
  return { doc, result: runs.get(doc.id)! };
}

const fmt = {
  time: (iso: string) => iso,
  money: (unit: string, minor: number) => `${minor} ${unit}`,
  reading: (label: string, value: unknown) =>
    readingText(label, value, { catalog: DraftJourney.parse(tieredDoc).catalog, lang: "en" }),
};

describe("overlay from a simulation", () => {
  it("puts arrivals on every node and each branch's count on the edge it draws", () => {
    const { doc, result } = run(tieredDoc);
    const summary = summaryOf(result, doc.id)!;
    const overlay = overlayFromSimulation(summary, doc, (_id, c) => (c.granted ? `${c.granted} granted` : undefined));
    expect(overlay.source).toBe("simulation");
    // Seven transactions enter; the split sends two to the 5 % rebate, three to the 3 %.
    expect(overlay.nodes.transaction!.count).toBe(7);
    expect(overlay.nodes.tier!.count).toBe(7);
    expect(overlay.nodes.rebate_5).toEqual({ count: 2, detail: "2 granted" });
    expect(overlay.nodes.rebate_3).toEqual({ count: 3, detail: "3 granted" });
    expect(overlay.edges).toEqual({ e1: 7, e2: 2, e3: 3, e4: 2, e5: 3 });
    // The unconnected "else" branch has no edge, so no count lands on one.
    expect(summary.nodes.tier!.left.else).toBe(2);
    expect(Object.values(overlay.edges).reduce((a, b) => a + b, 0)).toBe(17);
  });

  it("matches edges by source and branch, not by id", () => {
    const { doc, result } = run(tieredDoc);
    const renamed = { edges: doc.edges.map((e) => ({ ...e, id: `x_${e.id}` })) };
    const overlay = overlayFromSimulation(summaryOf(result, doc.id), renamed);
    expect(overlay.edges).toEqual({ x_e1: 7, x_e2: 2, x_e3: 3, x_e4: 2, x_e5: 3 });
  });

  it("is empty without a summary for the journey", () => {
    const { doc, result } = run(tieredDoc);
    expect(summaryOf(result, "other")).toBeNull();
    expect(overlayFromSimulation(null, doc)).toEqual({ source: "simulation", nodes: {}, edges: {} });
  });
});

describe("a person's path", () => {
  it("lists the people and follows one through the nodes with the why of each step", () => {
    const { doc, result } = run(tieredDoc);
    const people = peopleOf(result, doc.id);
    expect(people.map((p) => p.userId).sort()).toEqual(["u1", "u2", "u3"]);
    const steps = timelineOf(result, doc.id, "u1");
    // u1's first transaction of 5,000 yuan falls in no tier: the split goes "else", which ends the path.
    expect(steps[0]!.kind).toBe("enter");
    const decide = steps.find((s) => s.kind === "decide")!;
    expect(decide.nodeId).toBe("tier");
    const why = whyOf(decide, fmt);
    expect(why.key).toBe("sim.why.decide");
    expect(why.values.handle).toBe("else");
    // In words and in yuan: the catalog marks transaction.amount as CNY.
    expect(String(why.values.inputs)).toBe("This month's sum of transaction amount = ¥5,000.00");
    expect(pathOf(steps.slice(0, 4))).toEqual(["transaction", "tier"]);
    for (let i = 1; i < steps.length; i++) expect(steps[i - 1]!.at <= steps[i]!.at).toBe(true);
  });

  it("path and edges of someone who got a rebate", () => {
    const { doc, result } = run(tieredDoc);
    const u3 = timelineOf(result, doc.id, "u3");
    // Two transactions: the first in the 5 % tier, the second in the 3 % one.
    expect(pathOf(u3)).toEqual([
      "transaction",
      "tier",
      "rebate_5",
      "notify_5",
      "transaction",
      "tier",
      "rebate_3",
      "notify_3",
    ]);
    expect(pathEdges(u3, doc)).toEqual(["e1", "e2", "e4", "e3", "e5"]);
    const reward = u3.find((s) => s.kind === "reward")!;
    expect(whyOf(reward, fmt).values.amount).toMatch(/ CNY$/);
  });

  it("waits show until when, in the run's own order; conversions have no node", () => {
    const { doc, result } = run(winBackDoc);
    const u2 = timelineOf(result, doc.id, "u2");
    // u2 comes back during the first wait (exit criterion "returned"), then enters again later.
    expect(u2.slice(0, 5).map((s) => s.kind)).toEqual(["enter", "move", "wait", "exit", "enter"]);
    expect(whyOf(u2[2]!, fmt)).toEqual({ key: "sim.why.waitUntil", values: { until: "2026-11-16T02:00:00.000Z" } });
    expect(whyOf(u2[3]!, fmt)).toEqual({ key: "sim.why.exit", values: { reason: "returned" } });
    expect(pathOf(u2.slice(0, 4))).toEqual(["login", "silent_15"]);
    expect(pathOf(u2).slice(0, 3)).toEqual(["login", "silent_15", "login"]);
    const u3 = peopleOf(result, doc.id).find((p) => p.userId === "u3")!;
    expect(u3.converted).toBe(true);
  });
});
