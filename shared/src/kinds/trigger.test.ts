import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { edge, exitNode, journey, node } from "../testing/builders.ts";
import { trigger, TriggerParams } from "./trigger.ts";
import { RAW_NAMES } from "./types.ts";

const withTrigger = (params: unknown, extra: object = {}) =>
  journey({ nodes: [node("start", "trigger", params), exitNode()], edges: [edge("start", "end")], ...extra });

describe("trigger", () => {
  it("accepts event, segment and schedule entries", () => {
    expect(TriggerParams.parse({ mode: "event", event: "registered" })).toEqual({ mode: "event", event: "registered" });
    expect(TriggerParams.parse({ mode: "segment", segment: "vip" })).toEqual({
      mode: "segment",
      segment: "vip",
      on: "enter",
    });
    expect(TriggerParams.parse({ mode: "schedule", start: "2026-12-01T09:00", every: "week" }).mode).toBe("schedule");
  });

  it("refuses a malformed event type and schedule, saying which field", () => {
    const bad = TriggerParams.safeParse({ mode: "event", event: "has space" });
    expect(bad.error?.issues[0]?.path).toEqual(["event"]);
    const when = TriggerParams.safeParse({ mode: "schedule", start: "2026-13-01T09:00" });
    expect(when.error?.issues[0]?.path).toEqual(["start"]);
  });

  it("compiles an event trigger with its filter", () => {
    const filter = { ">=": [{ var: "event.props.amount" }, 100] };
    const r = compileJourney(withTrigger({ mode: "event", event: "transaction", filter }));
    expect(r.ok).toBe(true);
    expect(r.executable!.triggers).toEqual(["start"]);
    expect(r.executable!.nodes.start!.params).toEqual({ mode: "event", event: "transaction", filter });
    expect(r.executable!.nodes.start!.next).toEqual({ next: "end" });
  });

  it("compiles a points_expiring trigger: the wallet's notice of its lead, with a filter", () => {
    const filter = { ">=": [{ var: "event.props.points" }, 100] };
    const r = compileJourney(withTrigger({ mode: "points_expiring", days: 3, filter }));
    expect(r.issues).toEqual([]);
    const params = r.executable!.nodes.start!.params;
    expect(params).toEqual({ mode: "points_expiring", days: 3, filter });
    expect(kindOf("trigger")!.enters!(params)).toEqual({
      on: "event",
      event: "points_expiring",
      filter: "main",
      expiringDays: 3,
    });
    expect(trigger.summary({ mode: "points_expiring", days: 3 }, "zh-CN", RAW_NAMES)).toBe("积分过期前 3 天");
    const far = TriggerParams.safeParse({ mode: "points_expiring", days: 91 });
    expect(far.error?.issues[0]?.path).toEqual(["days"]);
    expect(TriggerParams.safeParse({ mode: "points_expiring", days: 1.5 }).success).toBe(false);
  });

  it("a filter cannot read the run's trigger: it is the trigger", () => {
    const r = compileJourney(withTrigger({ mode: "event", event: "x", filter: { var: "trigger.props.a" } }));
    expect(r.issues).toContainEqual(
      expect.objectContaining({
        code: "unknown_variable",
        path: "$.nodes[0].params.filter.var",
        nodeId: "start",
        field: "params.filter",
      }),
    );
  });

  it("compiles segment and schedule triggers and checks the segment exists", () => {
    const segments = [{ id: "vip", name: "VIP", condition: { "==": [{ var: "profile.tier" }, "VIP"] } }];
    const seg = compileJourney(withTrigger({ mode: "segment", segment: "vip", on: "leave" }, { segments }));
    expect(seg.executable!.nodes.start!.params).toEqual({ mode: "segment", segment: "vip", on: "leave" });
    const sched = compileJourney(
      withTrigger({ mode: "schedule", start: "2026-12-01T09:00", every: "day", segment: "vip" }, { segments }),
    );
    expect(sched.executable!.nodes.start!.params).toEqual({
      mode: "schedule",
      start: "2026-12-01T09:00",
      every: "day",
      segment: "vip",
    });
    const missing = compileJourney(withTrigger({ mode: "segment", segment: "ghost" }));
    expect(missing.issues).toContainEqual(
      expect.objectContaining({ code: "unknown_segment", path: "$.nodes[0].params.segment", nodeId: "start" }),
    );
  });

  it("summarises in both languages", () => {
    const p = TriggerParams.parse({ mode: "event", event: "checkin" });
    expect(trigger.summary(p, "en", RAW_NAMES)).toBe("When checkin happens");
    expect(trigger.summary(p, "zh-CN", RAW_NAMES)).toBe("当 checkin 发生");
  });

  it("says how people enter in each mode, and compiles an event filter as its rule", () => {
    const loose = kindOf("trigger")!; // as the engine and reports hold it: params from an executable
    const compiled = (params: unknown, extra: object = {}) =>
      compileJourney(withTrigger(params, extra)).executable!.nodes.start!.params;
    const vip = { segments: [{ id: "vip", name: "VIP", condition: true }] };
    const onEvent = compiled({ mode: "event", event: "order", filter: true });
    expect(loose.enters!(onEvent)).toEqual({ on: "event", event: "order", filter: "main" });
    expect(loose.rules!(onEvent)).toEqual([{ key: "main", rule: true, field: "filter" }]);
    expect(loose.enters!(compiled({ mode: "segment", segment: "vip", on: "leave" }, vip))).toEqual({
      on: "segment",
      segment: "vip",
      change: "leave",
    });
    expect(loose.enters!(compiled({ mode: "schedule", start: "2026-12-01T09:00", every: "week" }))).toEqual({
      on: "schedule",
      start: "2026-12-01T09:00",
      every: "week",
      segment: null,
    });
    expect(loose.rules!(compiled({ mode: "schedule", start: "2026-12-01T09:00" }))).toEqual([]);
  });
});
