import { describe, expect, it } from "vitest";
import { EventEnvelope } from "./event.ts";
import { schemaProblems } from "./strict.ts";

describe("event envelope", () => {
  it("accepts an event and defaults props", () => {
    expect(EventEnvelope.parse({ id: "e1", userId: "u1", type: "login", at: "2026-11-23T08:00:00Z" })).toEqual({
      id: "e1",
      userId: "u1",
      type: "login",
      at: "2026-11-23T08:00:00Z",
      props: {},
    });
  });

  it("refuses an unknown top-level key at its own path, suggesting the field when it is close", () => {
    const r = EventEnvelope.safeParse({
      id: "e1",
      userid: "u1",
      userId: "u1",
      type: "login",
      at: "2026-11-23T08:00:00Z",
      time: "now",
    });
    expect(schemaProblems(r.error!.issues)).toEqual([
      { code: "unknown_field", path: ["userid"], message: 'unknown field "userid"; did you mean "userId"?' },
      { code: "unknown_field", path: ["time"], message: 'unknown field "time"' },
    ]);
  });

  it("keeps props free-form", () => {
    expect(
      EventEnvelope.safeParse({
        id: "e1",
        userId: "u1",
        type: "login",
        at: "2026-11-23T08:00:00Z",
        props: { userid: 1, nested: { any: true } },
      }).success,
    ).toBe(true);
  });

  it("names each bad field", () => {
    const r = EventEnvelope.safeParse({ id: "", userId: "u1", type: "bad type", at: "yesterday", props: [] });
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["id", "type", "at", "props"]);
  });
});

describe("event times are real instants", () => {
  const at = (text: string) => EventEnvelope.safeParse({ id: "e1", userId: "u1", type: "login", at: text });
  it.each([
    ["2026-13-01T00:00:00Z", "month 13"],
    ["2026-00-10T00:00:00Z", "month 00"],
    ["2026-02-30T00:00:00Z", "no day 30"],
    ["2025-02-29T00:00:00Z", "no day 29"],
    ["2026-04-31T08:00:00+08:00", "no day 31"],
    ["2026-01-01T25:00:00+08:00", "hour 25"],
    ["2026-01-01T23:60:00Z", "minute 60"],
    ["2026-01-01T23:59:60Z", "second 60"],
    ["2026-01-01T08:00:00+15:00", "offset"],
  ])("refuses %s, naming what is off at $.at", (text, words) => {
    const r = at(text);
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]!.path).toEqual(["at"]);
    expect(r.error!.issues[0]!.message).toContain(words);
  });
  it("accepts leap days, the last second and extreme offsets", () => {
    for (const text of [
      "2028-02-29T00:00:00Z",
      "2000-02-29T12:00:00Z",
      "2026-12-31T23:59:59.999Z",
      "2026-06-30T23:59:59+14:00",
      "2026-06-30T00:00-12:00",
    ])
      expect(at(text).success, text).toBe(true);
  });
});

describe("NUL characters", () => {
  it("are refused with where they are: ids, prop keys and values, nested", () => {
    const base = { id: "e1", userId: "u1", type: "login", at: "2026-11-23T08:00:00Z" };
    const paths = (v: unknown) => EventEnvelope.safeParse(v).error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(paths({ ...base, userId: "u\u00001" })).toEqual(["userId"]);
    expect(paths({ ...base, props: { note: "a\u0000b" } })).toEqual(["props.note"]);
    expect(paths({ ...base, props: { list: [1, { deep: "\u0000" }] } })).toEqual(["props.list.1.deep"]);
    expect(paths({ ...base, props: { "k\u0000": 1 } })).toEqual(["props.k\u0000"]);
    expect(EventEnvelope.safeParse({ ...base, props: { note: "fine \\u0000 as text" } }).success).toBe(true);
  });
});
