import { describe, expect, it } from "vitest";
import { JourneyId, NodeId } from "@lifeloop/shared";
import { nextOccurrence, type Schedule } from "./schedule.ts";

const s = (every: Schedule["every"], start = "2026-01-31T09:00"): Schedule => ({
  journeyId: JourneyId.parse("j"),
  nodeId: NodeId.parse("t"),
  start,
  every,
  timeZone: "Asia/Shanghai",
});
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("nextOccurrence", () => {
  it("fires once at the start when there is no repeat", () => {
    expect(iso(nextOccurrence(s(null), 0))).toBe("2026-01-31T01:00:00.000Z");
    expect(nextOccurrence(s(null), at("2026-01-31T01:00:00Z"))).toBeNull();
  });
  it("repeats daily and weekly at the same local time", () => {
    expect(iso(nextOccurrence(s("day"), at("2026-11-23T01:00:00Z")))).toBe("2026-11-24T01:00:00.000Z");
    expect(iso(nextOccurrence(s("week"), at("2026-02-01T00:00:00Z")))).toBe("2026-02-07T01:00:00.000Z");
  });
  it("repeats monthly on the same day, or the month's last day", () => {
    expect(iso(nextOccurrence(s("month"), at("2026-01-31T01:00:00Z")))).toBe("2026-02-28T01:00:00.000Z");
    expect(iso(nextOccurrence(s("month"), at("2026-02-28T01:00:00Z")))).toBe("2026-03-31T01:00:00.000Z");
  });
});

import { edge, exitNode, journey, node } from "@lifeloop/shared/testing";
import { engineWith, ev, worldOf } from "../testing/world.ts";

describe("scheduled triggers (memory engine)", () => {
  it("enter everyone seen so far in the audience segment, at each occurrence", () => {
    const doc = journey({
      entry: { reentry: "always" },
      segments: [{ id: "vip", name: "VIP", condition: { "==": [{ var: "profile.tier" }, "VIP"] } }],
      nodes: [
        node("weekly", "trigger", { mode: "schedule", start: "2026-11-02T10:00", every: "week", segment: "vip" }),
        node("m", "message", { channel: "push", template: { body: "weekly digest" } }),
        exitNode(),
      ],
      edges: [edge("weekly", "m"), edge("m", "end")],
    });
    const { engine, of } = engineWith(worldOf([{ doc }]));
    engine.ingest(ev("a", "identify", "2026-11-01T00:00:00Z", { tier: "VIP" }));
    engine.ingest(ev("b", "identify", "2026-11-01T00:00:00Z", { tier: "steady" }));
    engine.ingest(ev("c", "identify", "2026-11-05T00:00:00Z", { tier: "VIP" }));
    engine.runDue(Date.parse("2026-11-10T00:00:00Z"));
    expect(of("message").map((e) => `${new Date(e.at).toISOString()} ${e.userId}`)).toEqual([
      "2026-11-02T02:00:00.000Z a",
      "2026-11-09T02:00:00.000Z a",
      "2026-11-09T02:00:00.000Z c",
    ]);
  });
});
