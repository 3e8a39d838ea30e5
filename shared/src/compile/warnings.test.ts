/**
 * What the compiler says about journeys that compile but would surprise the person who made them
 * (a lifetime rebate, a push at night), and about journeys just begun.
 */
import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "../testing/builders.ts";
import { compileJourney } from "./compile.ts";

const codes = (doc: unknown) => compileJourney(doc).issues.map((i) => `${i.severity}:${i.code}`);
const rebate = node("rebate", "reward", {
  reward: { type: "rebate", bps: 300, currency: "CNY", max: 5000 },
  cap: { amount: 20000, period: "month" },
});

describe("compileJourney: journeys just begun", () => {
  it("says once, about the journey, that nothing follows the trigger yet", () => {
    const r = compileJourney(journey({ nodes: [trigger()], edges: [] }));
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([expect.objectContaining({ severity: "error", code: "journey_empty", path: "$.nodes" })]);
    // No node is blamed, so the canvas does not open with its only node in red.
    expect(r.issues[0]!.nodeId).toBeUndefined();
  });

  it("lets a reward end a path, as a message does", () => {
    const doc = journey({
      nodes: [
        trigger("start", "checkin"),
        node("gift", "reward", { reward: { type: "points", amount: 10 }, cap: { count: 1, period: "day" } }),
      ],
      edges: [edge("start", "gift")],
    });
    expect(codes({ ...doc, entry: { reentry: "always" } })).toEqual([]);
  });
});

describe("compileJourney: warnings that matter", () => {
  it("warns when people may enter only once ever but a rebate pays per event", () => {
    const doc = journey({ nodes: [trigger("start", "transaction"), rebate], edges: [edge("start", "rebate")] });
    const r = compileJourney(doc);
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([
      expect.objectContaining({ severity: "warning", code: "entry_once_repeating", path: "$.entry.reentry" }),
    ]);
    expect(r.issues[0]!.message).toContain('reward "rebate" pays per event');
    expect(codes({ ...doc, entry: { reentry: "always" } })).toEqual([]);
    expect(codes({ ...doc, entry: { reentry: "once_per_period", period: "month" } })).toEqual([]);
  });

  it("warns when a once-ever journey adds up the very event that starts it", () => {
    const doc = journey({
      nodes: [
        trigger("start", "transaction"),
        node("c", "condition", { rule: { ">": [{ agg_sum: ["transaction", "amount", "month"] }, 1000000] } }),
        exitNode(),
      ],
      edges: [edge("start", "c"), edge("c", "end", "yes")],
    });
    expect(codes(doc)).toEqual(["warning:entry_once_repeating"]);
    // A one-off event (registered) with a sum of another one is fine.
    const once = journey({
      nodes: [
        trigger("start", "registered"),
        node("c", "condition", { rule: { ">": [{ agg_sum: ["transaction", "amount", "month"] }, 1] } }),
        exitNode(),
      ],
      edges: [edge("start", "c"), edge("c", "end", "yes")],
    });
    expect(codes(once)).toEqual([]);
  });

  it("warns about a push or an SMS that ignores quiet hours, not an in-app note", () => {
    const message = (channel: string) =>
      node("m", "message", { channel, template: { body: "hi" }, respectQuietHours: false });
    const doc = (channel: string) => journey({ nodes: [trigger(), message(channel)], edges: [edge("start", "m")] });
    expect(compileJourney(doc("push")).issues).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "message_quiet_hours_off",
        nodeId: "m",
        field: "params.respectQuietHours",
      }),
    ]);
    expect(codes(doc("sms"))).toEqual(["warning:message_quiet_hours_off"]);
    expect(codes(doc("in_app"))).toEqual([]);
  });
});

describe("compileJourney: money in the catalog and in templates", () => {
  const catalog = (extra: object = {}) => ({
    events: { transaction: { props: { amount: "money" }, ...extra } },
    attributes: {},
  });

  it("needs a currency for money fields", () => {
    const doc = journey({ catalog: catalog() });
    expect(compileJourney(doc).issues).toEqual([
      expect.objectContaining({ code: "money_without_currency", path: "$.catalog.events.transaction.currency" }),
    ]);
    expect(codes(journey({ catalog: catalog({ currency: "CNY" }) }))).toEqual([]);
    expect(codes(journey({ catalog: { ...catalog(), currency: "HKD" } }))).toEqual([]);
  });

  it("gives `| money` on a catalog money field its currency in the executable", () => {
    const doc = journey({
      catalog: { ...catalog(), currency: "CNY" },
      entry: { reentry: "always" },
      nodes: [
        trigger("start", "transaction"),
        node("m", "message", { channel: "push", template: { body: "{{trigger.props.amount | money}}" } }),
      ],
      edges: [edge("start", "m")],
    });
    const r = compileJourney(doc);
    expect(r.issues).toEqual([]);
    expect(r.executable!.nodes.m!.params).toMatchObject({ template: { body: "{{trigger.props.amount | money:CNY}}" } });
  });
});

describe("compileJourney: journey groups", () => {
  it("hands the engine the group and its priority (0 when none is given), and nothing without a group", () => {
    expect(compileJourney(journey({ group: "newcomer_gifts", priority: 10 })).executable!.group).toEqual({
      id: "newcomer_gifts",
      priority: 10,
    });
    expect(compileJourney(journey({ group: "newcomer_gifts" })).executable!.group).toEqual({
      id: "newcomer_gifts",
      priority: 0,
    });
    expect(compileJourney(journey()).executable!).not.toHaveProperty("group");
  });

  it("warns of a priority without a group, and refuses a group that is not a slug or a fractional priority", () => {
    expect(codes(journey({ priority: 3 }))).toEqual(["warning:priority_without_group"]);
    expect(codes(journey({ groupPeriod: "30d" }))).toEqual(["warning:group_period_without_group"]);
    expect(compileJourney(journey({ priority: 3 })).issues[0]!.path).toBe("$.priority");
    expect(codes(journey({ group: "newcomer gifts" }))).toEqual(["error:schema"]);
    expect(codes(journey({ group: "g", priority: 1.5 }))).toEqual(["error:schema"]);
  });
});
