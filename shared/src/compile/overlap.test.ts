import { describe, expect, it } from "vitest";
import gift from "../../../samples/journeys/activation-newcomer-gift.json" with { type: "json" };
import rebate from "../../../samples/journeys/tiered-rebate.json" with { type: "json" };
import { plainIssue } from "./messages.ts";
import { entryRewardFacts, liveRewardOverlaps } from "./overlap.ts";

describe("another live journey on the same trigger that also rewards", () => {
  it("reads the events a journey enters on and whether it rewards", () => {
    expect(entryRewardFacts(gift)).toEqual({ triggerEvents: ["registered"], rewards: true, group: "newcomer-welcome" });
    expect(entryRewardFacts({ ...gift, group: undefined }).group).toBeNull();
    expect(entryRewardFacts({ ...gift, group: "newcomer_gifts" }).group).toBe("newcomer_gifts");
    expect(entryRewardFacts({ nodes: gift.nodes.filter((n) => n.kind !== "reward") })).toMatchObject({
      rewards: false,
    });
  });

  it("warns once per such journey, in both languages, and not about itself or journeys that do not reward", () => {
    const other = { id: "welcome", name: "Welcome gift", triggerEvents: ["registered"], rewards: true, group: null };
    const issues = liveRewardOverlaps(gift, [
      other,
      { ...other, id: gift.id, name: "itself" },
      { ...other, id: "hello", name: "Hello push", rewards: false },
      { ...other, id: "rebate", name: "Rebate", triggerEvents: ["transaction"] },
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: "warning", code: "live_reward_overlap", path: "$" });
    expect(plainIssue(issues[0]!, "zh-CN").text).toContain("“Welcome gift” 正在运行");
    expect(plainIssue(issues[0]!, "en").text).toContain("“Welcome gift” is live");
    // A journey that gives nothing is not warned.
    expect(liveRewardOverlaps({ id: "x", nodes: rebate.nodes.filter((n) => n.kind !== "reward") }, [other])).toEqual(
      [],
    );
  });

  it("does not warn of a live journey of the same group (the group gate decides), but of another group", () => {
    const other = { id: "welcome", name: "Welcome gift", triggerEvents: ["registered"], rewards: true };
    const grouped = { ...gift, group: "newcomer_gifts" };
    expect(liveRewardOverlaps(grouped, [{ ...other, group: "newcomer_gifts" }])).toEqual([]);
    expect(liveRewardOverlaps(grouped, [{ ...other, group: "vip_gifts" }])).toHaveLength(1);
    expect(liveRewardOverlaps(grouped, [{ ...other, group: null }])).toHaveLength(1);
    // Two journeys in no group are not "the same group".
    expect(liveRewardOverlaps({ ...gift, group: undefined }, [{ ...other, group: null }])).toHaveLength(1);
  });
});
