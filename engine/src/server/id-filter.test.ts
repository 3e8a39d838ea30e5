import { JourneyId, NodeId } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { idFilter } from "./id-filter.ts";

describe("idFilter", () => {
  it("brands an id, leaves an absent filter out, and marks text that is no id as matching nothing", () => {
    const journey: JourneyId | null | undefined = idFilter(JourneyId, "win-back");
    expect(journey).toBe("win-back");
    expect(idFilter(NodeId, "gift")).toBe("gift");
    expect(idFilter(JourneyId, undefined)).toBeUndefined();
    expect(idFilter(JourneyId, "")).toBeUndefined();
    expect(idFilter(JourneyId, "no spaces allowed")).toBeNull();
    expect(idFilter(NodeId, "x".repeat(65))).toBeNull();
  });
});
