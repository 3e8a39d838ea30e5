import { describe, expect, it } from "vitest";
import { EventEnvelope } from "./event.ts";

describe("event envelope", () => {
  it("accepts an event and defaults props", () => {
    expect(EventEnvelope.parse({ id: "e1", userId: "u1", type: "login", at: "2026-11-23T08:00:00Z" })).toEqual({
      id: "e1", userId: "u1", type: "login", at: "2026-11-23T08:00:00Z", props: {},
    });
  });

  it("names each bad field", () => {
    const r = EventEnvelope.safeParse({ id: "", userId: "u1", type: "bad type", at: "yesterday", props: [] });
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["id", "type", "at", "props"]);
  });
});
