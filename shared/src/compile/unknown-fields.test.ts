import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "../testing/builders.ts";
import { compileJourney } from "./compile.ts";
import type { Issue } from "./issues.ts";

const errorsOf = (doc: unknown): Issue[] => compileJourney(doc).issues.filter((i) => i.severity === "error");
const reward = (params: object) =>
  journey({
    nodes: [trigger(), node("gift", "reward", params), exitNode()],
    edges: [edge("start", "gift"), edge("gift", "end")],
  });

describe("compileJourney: unknown fields are errors, with a suggestion", () => {
  it("names a misspelt reward budget at its path, in its node, with the field it is meant to be", () => {
    const r = compileJourney(
      reward({ reward: { type: "points", amount: 100 }, budgte: { id: "launch", amount: 50_000 } }),
    );
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([
      {
        severity: "error",
        code: "unknown_field",
        path: "$.nodes[1].params.budgte",
        nodeId: "gift",
        field: "params.budgte",
        message: 'unknown field "budgte"; did you mean "budget"?',
      },
    ]);
  });

  it("finds typos inside nested params and in every kind's variants", () => {
    const issues = errorsOf(
      journey({
        nodes: [
          trigger(),
          node("gift", "reward", {
            reward: { type: "coupon", code: "WELCOME", valeu: 500 },
            cap: { count: 1, period: "lifetime", perod: "day" },
          }),
          node("w", "wait", { mode: "duration", duraton: "1d", duration: "1d" }),
          exitNode(),
        ],
        edges: [edge("start", "gift"), edge("gift", "w"), edge("w", "end")],
      }),
    );
    expect(issues.map((i) => [i.path, i.nodeId, i.message])).toEqual([
      ["$.nodes[1].params.cap.perod", "gift", 'unknown field "perod"; did you mean "period"?'],
      ["$.nodes[1].params.reward.valeu", "gift", 'unknown field "valeu"; did you mean "value"?'],
      ["$.nodes[2].params.duraton", "w", 'unknown field "duraton"; did you mean "duration"?'],
    ]);
  });

  it("reports one problem per unknown key, and no suggestion for a far-off one", () => {
    const issues = errorsOf(
      reward({ reward: { type: "points", amount: 100 }, colour: "gold", budgte: { id: "b", amount: 1 } }),
    );
    expect(issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ["unknown_field", "$.nodes[1].params.budgte", 'unknown field "budgte"; did you mean "budget"?'],
      ["unknown_field", "$.nodes[1].params.colour", 'unknown field "colour"'],
    ]);
  });

  it("refuses unknown keys on the node itself, and on edges", () => {
    const misspeltNode = { ...exitNode(), lable: "Done" };
    const misspeltEdge = { ...edge("start", "end"), sourcehandle: "next" };
    const doc = journey({ nodes: [trigger(), misspeltNode], edges: [misspeltEdge] });
    expect(errorsOf(doc)).toEqual([
      expect.objectContaining({
        code: "unknown_field",
        path: "$.edges[0].sourcehandle",
        message: 'unknown field "sourcehandle"; did you mean "sourceHandle"?',
      }),
      expect.objectContaining({
        code: "unknown_field",
        path: "$.nodes[1].lable",
        nodeId: "end",
        field: "lable",
        message: 'unknown field "lable"; did you mean "label"?',
      }),
    ]);
  });

  it.each([
    ["the document", { descripton: "x" }, "$.descripton", "description"],
    [
      "a segment",
      { segments: [{ id: "vip", name: "VIP", condtion: true, condition: true }] },
      "$.segments[0].condtion",
      "condition",
    ],
    ["settings", { settings: { quietHour: { start: "22:00", end: "08:00" } } }, "$.settings.quietHour", "quietHours"],
    [
      "quiet hours",
      { settings: { quietHours: { start: "22:00", end: "08:00", ned: "09:00" } } },
      "$.settings.quietHours.ned",
      "end",
    ],
    ["the entry policy", { entry: { reentry: "once", limt: { count: 10 } } }, "$.entry.limt", "limit"],
    ["an entry limit", { entry: { reentry: "always", limit: { count: 10, pre: "day" } } }, "$.entry.limit.pre", "per"],
    ["the goal", { goal: { event: "purchase", window: "7d", windwo: "7d" } }, "$.goal.windwo", "window"],
    [
      "an exit criterion",
      { exitCriteria: [{ type: "event", event: "churned", reasn: "gone" }] },
      "$.exitCriteria[0].reasn",
      "reason",
    ],
    ["the catalog", { catalog: { event: {} } }, "$.catalog.event", "events"],
    [
      "a catalog event",
      { catalog: { events: { purchase: { prop: { amount: "number" } } } } },
      "$.catalog.events.purchase.prop",
      "props",
    ],
  ] as Array<[string, Record<string, unknown>, string, string]>)(
    "names a typo in %s",
    (_what, overrides, path, meant) => {
      const issues = errorsOf({ ...journey(), ...overrides });
      expect(issues).toEqual([
        expect.objectContaining({
          code: "unknown_field",
          path,
          message: expect.stringContaining(`did you mean "${meant}"?`),
        }),
      ]);
    },
  );

  it("keeps free-form maps free: catalog props and attributes, rules, update-attribute values", () => {
    const doc = journey({
      catalog: {
        events: { purchase: { props: { anything: "number", "order.total": "number" } } },
        attributes: { favouriteColour: "string" },
      },
      segments: [{ id: "big", name: "Big spenders", condition: { ">=": [{ var: "profile.favouriteColour" }, 1] } }],
      nodes: [
        trigger(),
        node("set", "update-attribute", { op: "set", attribute: "favouriteColour", value: "gold" }),
        exitNode(),
      ],
      edges: [edge("start", "set"), edge("set", "end")],
    });
    expect(errorsOf(doc)).toEqual([]);
  });
});

describe("every sample journey is strictly valid", () => {
  const dir = new URL("../../../samples/journeys/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  it("finds the samples", () => expect(files.length).toBeGreaterThan(5));
  it.each(files)("%s has no unknown field and compiles", (file) => {
    const r = compileJourney(JSON.parse(readFileSync(new URL(file, dir), "utf8")));
    expect(r.issues.filter((i) => i.code === "unknown_field")).toEqual([]);
    expect(r.ok).toBe(true);
  });
});
