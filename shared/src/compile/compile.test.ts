import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "../testing/builders.ts";
import { compileJourney } from "./compile.ts";
import type { Issue } from "./issues.ts";

const errorsOf = (doc: unknown): Issue[] => compileJourney(doc).issues.filter((i) => i.severity === "error");
const points = (amount: number, extra: object = {}) => ({ reward: { type: "points", amount }, ...extra });

describe("compileJourney: the document's shape", () => {
  it("compiles the smallest journey", () => {
    const r = compileJourney(journey());
    expect(r).toMatchObject({ ok: true, issues: [] });
    expect(r.executable).toMatchObject({
      format: "lifeloop.executable/1",
      journeyId: "test-journey",
      triggers: ["start"],
      timeZone: "Asia/Shanghai",
    });
  });

  it("reports outer schema errors with their JSON path", () => {
    const issues = errorsOf(journey({ name: "", timeZone: "Mars/Olympus", entry: { reentry: "sometimes" } }));
    expect(issues.map((i) => [i.code, i.path])).toEqual(
      expect.arrayContaining([
        ["schema", "$.name"],
        ["schema", "$.timeZone"],
        ["schema", "$.entry.reentry"],
      ]),
    );
    expect(issues.find((i) => i.path === "$.timeZone")!.message).toContain("IANA time zone");
  });

  it("requires the period of a once-per-period entry", () => {
    expect(errorsOf(journey({ entry: { reentry: "once_per_period" } }))[0]).toMatchObject({
      code: "schema",
      path: "$.entry.period",
    });
    expect(
      compileJourney(
        journey({ entry: { reentry: "once_per_period", period: "week", limit: { count: 1000, per: "day" } } }),
      ).ok,
    ).toBe(true);
  });

  it("names the node whose params are wrong, and still checks the rest of the graph", () => {
    const doc = journey({
      nodes: [trigger(), node("w", "wait", { mode: "duration", duration: "soon" }), exitNode()],
      edges: [edge("start", "w"), edge("w", "end"), edge("end", "ghost", "next", "bad")],
    });
    const issues = errorsOf(doc);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: "schema",
        path: "$.nodes[1].params.duration",
        nodeId: "w",
        field: "params.duration",
      }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ code: "dangling_edge", path: "$.edges[2].target" }));
  });

  it("refuses an unknown node kind at its kind field", () => {
    const issues = errorsOf(journey({ nodes: [trigger(), node("x", "teleport", {})], edges: [edge("start", "x")] }));
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "unknown_kind", path: "$.nodes[1].kind", nodeId: "x" }),
    );
    expect(issues[0]!.message).toContain("known kinds: trigger");
  });

  it("refuses documents without, or from a newer, schemaVersion", () => {
    const { schemaVersion: _, ...bare } = journey();
    expect(errorsOf(bare)).toEqual([expect.objectContaining({ code: "schema_version", path: "$.schemaVersion" })]);
    expect(errorsOf({ ...journey(), schemaVersion: 99 })[0]!.message).toContain("newer than this Lifeloop understands");
  });

  it("refuses __proto__ keys and changes nothing", () => {
    const doc = JSON.parse(`{"schemaVersion":1,"__proto__":{"polluted":true}}`);
    expect(errorsOf(doc)).toEqual([expect.objectContaining({ code: "forbidden_key", path: "$.__proto__" })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses duplicate node, edge and segment ids", () => {
    const seg = { id: "s", name: "S", condition: true };
    const issues = errorsOf(
      journey({
        nodes: [trigger(), exitNode(), exitNode()],
        edges: [edge("start", "end", "next", "e1"), edge("start", "end", "next", "e1")],
        segments: [seg, seg],
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "duplicate_id", path: "$.nodes[2].id", nodeId: "end" }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ code: "duplicate_id", path: "$.edges[1].id" }));
    expect(issues).toContainEqual(expect.objectContaining({ code: "duplicate_id", path: "$.segments[1].id" }));
  });
});

describe("compileJourney: the graph", () => {
  it("reports dangling edges at source and target", () => {
    const issues = errorsOf(
      journey({
        edges: [edge("start", "end"), edge("nowhere", "end", "next", "e2"), edge("start", "void", "next", "e3")],
      }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ code: "dangling_edge", path: "$.edges[1].source" }));
    expect(issues).toContainEqual(expect.objectContaining({ code: "dangling_edge", path: "$.edges[2].target" }));
  });

  it("reports a branch the source does not have", () => {
    const issues = errorsOf(journey({ edges: [edge("start", "end", "yes")] }));
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "unknown_handle", path: "$.edges[0].sourceHandle", nodeId: "start" }),
    );
    expect(issues.find((i) => i.code === "unknown_handle")!.message).toContain("its branches are next");
  });

  it("reports two edges from one branch", () => {
    const issues = errorsOf(
      journey({ nodes: [trigger(), exitNode("a"), exitNode("b")], edges: [edge("start", "a"), edge("start", "b")] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "handle_multiple_edges", path: "$.edges[1].sourceHandle", nodeId: "start" }),
    );
  });

  it("reports an edge into a trigger", () => {
    const issues = errorsOf(
      journey({
        nodes: [trigger(), trigger("again", "login")],
        edges: [edge("start", "again"), edge("again", "start", "next", "back")],
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: "edge_into_trigger", path: "$.edges[0].target", nodeId: "again" }),
    );
  });

  it("reports a required branch left unconnected", () => {
    const issues = errorsOf(
      journey({
        nodes: [trigger(), node("c", "condition", { rule: true }), exitNode()],
        edges: [edge("start", "c"), edge("c", "end", "no")],
      }),
    );
    expect(issues).toEqual([
      expect.objectContaining({ code: "handle_unconnected", path: "$.nodes[1]", nodeId: "c", field: "handles.yes" }),
    ]);
  });

  it("reports a journey with no trigger", () => {
    expect(errorsOf(journey({ nodes: [exitNode()], edges: [] }))).toEqual([
      expect.objectContaining({ code: "no_trigger", path: "$.nodes" }),
    ]);
  });

  it("reports nodes no trigger reaches", () => {
    const issues = errorsOf(journey({ nodes: [trigger(), exitNode(), exitNode("orphan")] }));
    expect(issues).toEqual([
      expect.objectContaining({ code: "unreachable_node", path: "$.nodes[2]", nodeId: "orphan" }),
    ]);
  });

  it("reports a loop that passes no wait, and accepts one that does", () => {
    const loop = (withWait: boolean) =>
      journey({
        nodes: [
          trigger(),
          node("c", "condition", { rule: { "<": [{ var: "profile.n" }, 3] } }),
          withWait
            ? node("w", "wait", { mode: "duration", duration: "1d" })
            : node("u", "update-attribute", { op: "increment", attribute: "n", by: 1 }),
        ],
        edges: [edge("start", "c"), edge("c", withWait ? "w" : "u", "yes"), edge(withWait ? "w" : "u", "c")],
      });
    expect(errorsOf(loop(false))).toEqual([
      expect.objectContaining({ code: "cycle_without_wait", path: "$.nodes[1]", nodeId: "c" }),
    ]);
    expect(errorsOf(loop(true))).toEqual([]);
  });

  it("warns about a reward in a loop with no lifetime cap and no budget", () => {
    const r = compileJourney(
      journey({
        nodes: [
          trigger(),
          node("w", "wait", { mode: "duration", duration: "1d" }),
          node("r", "reward", points(5, { cap: { count: 1, period: "day" } })),
        ],
        edges: [edge("start", "w"), edge("w", "r"), edge("r", "w")],
      }),
    );
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "reward_in_loop",
        nodeId: "r",
        path: "$.nodes[2].params.cap",
      }),
    ]);
    expect(r.cost).toEqual({ points: { perEntry: null, perUser: null } });
  });
});

describe("compileJourney: rules", () => {
  const withCondition = (rule: unknown, extra: object = {}) =>
    journey({
      nodes: [trigger(), node("c", "condition", { rule }), exitNode()],
      edges: [edge("start", "c"), edge("c", "end", "yes")],
      ...extra,
    });

  it("reports unknown variables with the path inside the rule", () => {
    const issues = errorsOf(
      withCondition({
        and: [{ "==": [{ var: "profil.tier" }, "VIP"] }, { var: "event.amount" }, { var: "user.email" }],
      }),
    );
    expect(issues.map((i) => [i.code, i.path, i.nodeId, i.field])).toEqual([
      ["unknown_variable", '$.nodes[1].params.rule.and[0]["=="][0].var', "c", "params.rule"],
      ["unknown_variable", "$.nodes[1].params.rule.and[1].var", "c", "params.rule"],
      ["unknown_variable", "$.nodes[1].params.rule.and[2].var", "c", "params.rule"],
    ]);
    expect(issues[0]!.message).toContain('unknown variable "profil.tier"');
  });

  it("checks attributes and event properties against the catalog when there is one", () => {
    const catalog = { attributes: { tier: "string" }, events: { registered: { props: { channel: "string" } } } };
    const ok = withCondition(
      { and: [{ var: "profile.tier" }, { var: "trigger.props.channel" }, { var: "profile.tags" }] },
      { catalog },
    );
    expect(errorsOf(ok)).toEqual([]);
    const bad = errorsOf(
      withCondition({ and: [{ var: "profile.teir" }, { var: "trigger.props.chanel" }] }, { catalog }),
    );
    expect(bad.map((i) => i.message)).toEqual([
      expect.stringContaining('no profile attribute "teir"'),
      expect.stringContaining('no property "chanel" on "registered"'),
    ]);
  });

  it("does not check variables that read the current item of map/filter/all", () => {
    expect(errorsOf(withCondition({ some: [{ var: "event.props.items" }, { ">": [{ var: "price" }, 100] }] }))).toEqual(
      [],
    );
  });

  it("reports unknown and refused operators", () => {
    const issues = errorsOf(
      withCondition({ or: [{ frobnicate: [1] }, { method: [{ var: "profile.name" }, "toUpperCase"] }, { log: 1 }] }),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["unknown_operator", "$.nodes[1].params.rule.or[0].frobnicate"],
      ["refused_operator", "$.nodes[1].params.rule.or[1].method"],
      ["refused_operator", "$.nodes[1].params.rule.or[2].log"],
    ]);
  });

  it("reports malformed aggregates", () => {
    const issues = errorsOf(
      withCondition({
        and: [{ agg_sum: ["transaction", "amount", "fortnight"] }, { agg_count: [{ var: "event.type" }, "7d"] }],
      }),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["bad_aggregate", "$.nodes[1].params.rule.and[0].agg_sum"],
      ["bad_aggregate", "$.nodes[1].params.rule.and[1].agg_count"],
    ]);
    expect(issues[0]!.message).toContain('"fortnight" is not a window');
  });

  it("resolves segments in rules, and reports unknown ones and cycles", () => {
    const segments = [
      { id: "big", name: "Big", condition: { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 500000] } },
      { id: "a", name: "A", condition: { in_segment: ["b"] } },
      { id: "b", name: "B", condition: { in_segment: ["a"] } },
    ];
    const ok = compileJourney(withCondition({ in_segment: ["big"] }, { segments: [segments[0]] }));
    expect(ok.ok).toBe(true);
    expect(ok.executable!.aggregates.map((a) => a.key)).toEqual(["sum:transaction:amount:month"]);
    expect(errorsOf(withCondition({ in_segment: ["ghost"] }))).toEqual([
      expect.objectContaining({ code: "unknown_segment", path: "$.nodes[1].params.rule.in_segment", nodeId: "c" }),
    ]);
    const cyc = errorsOf(withCondition(true, { segments }));
    expect(cyc.map((i) => [i.code, i.path])).toContainEqual([
      "segment_cycle",
      expect.stringMatching(/^\$\.segments\[1\]\.condition/),
    ]);
  });

  it("checks segment rules in the person scope: no event there", () => {
    const issues = errorsOf(
      journey({ segments: [{ id: "s", name: "S", condition: { "==": [{ var: "event.type" }, "x"] } }] }),
    );
    expect(issues).toEqual([
      expect.objectContaining({ code: "unknown_variable", path: '$.segments[0].condition["=="][0].var' }),
    ]);
  });

  it("checks goal and exit-criteria conditions", () => {
    const issues = errorsOf(
      journey({
        goal: { event: "order", window: "7d", condition: { var: "evnt.props.amount" } },
        exitCriteria: [{ type: "condition", condition: { var: "event.type" } }],
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(["$.exitCriteria[0].condition.var", "$.goal.condition.var"]);
  });
});

describe("compileJourney: rewards", () => {
  const chain = (...rewards: Array<[string, object]>) =>
    journey({
      nodes: [trigger(), ...rewards.map(([id, p]) => node(id, "reward", p)), exitNode()],
      edges: [edge("start", rewards[0]![0]), ...rewards.map(([id], i) => edge(id, rewards[i + 1]?.[0] ?? "end"))],
    });

  it("reports one budget declared with two amounts", () => {
    const issues = errorsOf(
      chain(
        ["a", points(10, { budget: { id: "camp", amount: 1000 } })],
        ["b", points(10, { budget: { id: "camp", amount: 2000 } })],
      ),
    );
    expect(issues).toEqual([
      expect.objectContaining({ code: "budget_conflict", path: "$.nodes[2].params.budget", nodeId: "b" }),
    ]);
  });

  it("works out the worst case per entry and per person", () => {
    const once = compileJourney(
      chain(
        ["a", points(10, { cap: { count: 1, period: "day" } })],
        ["b", points(25, { cap: { count: 1, period: "lifetime" } })],
      ),
    );
    expect(once.cost).toEqual({ points: { perEntry: 35, perUser: 35 } });

    const always = compileJourney({
      ...chain(["a", points(10, { cap: { count: 3, period: "lifetime" } })]),
      entry: { reentry: "always" },
    });
    expect(always.cost).toEqual({ points: { perEntry: 10, perUser: 30 } });

    const daily = compileJourney({
      ...chain(["a", points(10, { cap: { count: 1, period: "day" } })]),
      entry: { reentry: "always" },
    });
    expect(daily.cost).toEqual({ points: { perEntry: 10, perUser: null } });

    const budgeted = compileJourney({
      ...chain(["a", points(10, { budget: { id: "x", amount: 500 } })]),
      entry: { reentry: "always" },
    });
    expect(budgeted.cost).toEqual({ points: { perEntry: 10, perUser: 500 } });
  });

  it("takes the costlier branch, per unit", () => {
    const doc = journey({
      nodes: [
        trigger(),
        node("c", "condition", { rule: true }),
        node("small", "reward", points(10, { cap: { count: 1, period: "lifetime" } })),
        node("big", "reward", points(99, { cap: { count: 1, period: "lifetime" } })),
        node("cash", "reward", {
          reward: { type: "rebate", bps: 300, currency: "CNY", max: 5000 },
          cap: { amount: 20000, period: "month" },
        }),
      ],
      edges: [edge("start", "c"), edge("c", "small", "yes"), edge("c", "big", "no"), edge("small", "cash")],
    });
    expect(compileJourney(doc).cost).toEqual({
      CNY: { perEntry: 5000, perUser: 5000 },
      points: { perEntry: 99, perUser: 99 },
    });
  });

  it("calls a rebate with no maximum unbounded", () => {
    const r = compileJourney(
      chain(["a", { reward: { type: "rebate", bps: 300, currency: "CNY" }, cap: { count: 1, period: "day" } }]),
    );
    expect(r.cost).toEqual({ CNY: { perEntry: null, perUser: null } });
  });
});

describe("compileJourney: drafts and determinism", () => {
  it("returns the parsed document of an invalid draft so it can still be saved", () => {
    const r = compileJourney(
      journey({ nodes: [trigger(), node("w", "wait", { mode: "event", event: "paid" })], edges: [edge("start", "w")] }),
    );
    expect(r.ok).toBe(false);
    expect(r.executable).toBeNull();
    expect(r.document?.nodes.map((n) => n.id)).toEqual(["start", "w"]);
  });

  it("gives byte-identical output for the same document", () => {
    const doc = journey({
      nodes: [trigger(), node("c", "condition", { rule: { agg_count: ["login", "7d"] } }), exitNode()],
      edges: [edge("start", "c"), edge("c", "end", "yes")],
    });
    expect(JSON.stringify(compileJourney(doc))).toBe(JSON.stringify(compileJourney(structuredClone(doc))));
  });

  it("sorts issues errors first, in document order", () => {
    const r = compileJourney(
      journey({
        nodes: [trigger(), node("r", "reward", points(1)), exitNode("x"), exitNode("y")],
        edges: [edge("start", "r"), edge("r", "x")],
      }),
    );
    expect(r.issues.map((i) => [i.severity, i.path])).toEqual([
      ["error", "$.nodes[3]"],
      ["warning", "$.nodes[1].params.cap"],
    ]);
  });
});
