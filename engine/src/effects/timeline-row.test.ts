import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTimelineRow, encodeTimelineRow } from "./timeline-row.ts";

const AT = Date.parse("2026-11-02T02:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A record as effectRecord / traceRecord write them: at, userId, journeyId, [version,] nodeId, kind, … */
const record = fc
  .record({
    at: fc.constantFrom(iso(AT), iso(AT + 1), iso(AT - 60_000)),
    userId: fc.constantFrom("u1", "u1", "u1", "someone-else"),
    journeyId: fc.constantFrom("a", "a", "b", 'q"uote'),
    version: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    nodeId: fc.option(fc.constantFrom("n1", "n2"), { nil: null }),
    kind: fc.constantFrom("enter", "reward", "exit", "trace", "message"),
    extra: fc.dictionary(fc.constantFrom("reason", "reward", "until", "note", "~"), fc.jsonValue(), { maxKeys: 3 }),
  })
  .map(({ at, userId, journeyId, version, nodeId, kind, extra }) => ({
    at,
    userId,
    journeyId,
    ...(version === undefined ? {} : { version }),
    nodeId,
    kind,
    ...extra,
  }));

describe("timeline rows on disk", () => {
  it("decode(encode(records)) is the records, byte for byte", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 6 }), (records) => {
        const text = encodeTimelineRow(records, "u1", AT);
        expect(JSON.stringify(decodeTimelineRow(text, "u1", AT))).toBe(JSON.stringify(records));
      }),
      { numRuns: 2000 },
    );
  });

  it("drops what the row already says: a grant's step is about half the bytes", () => {
    const common = { at: iso(AT), userId: "u1", journeyId: "grant-bench", version: 1 };
    const records = [
      { ...common, nodeId: "bought", kind: "enter", entry: 1, trigger: "purchase" },
      { ...common, nodeId: "points", kind: "reward", reward: { type: "points", amount: 10 }, budget: "pool" },
      { ...common, nodeId: "done", kind: "exit", reason: "granted" },
    ];
    const text = encodeTimelineRow(records, "u1", AT);
    expect(text).toBe(
      '[{"~":1,"journeyId":"grant-bench","version":1,"nodeId":"bought","kind":"enter","entry":1,' +
        '"trigger":"purchase"},{"~":3,"nodeId":"points","kind":"reward","reward":{"type":"points","amount":10},' +
        '"budget":"pool"},{"~":3,"nodeId":"done","kind":"exit","reason":"granted"}]',
    );
    expect(text.length / JSON.stringify(records).length).toBeLessThan(0.6);
    // What stats and crash checks ask of the raw column still holds.
    expect(text).toContain('"journeyId":"grant-bench"');
    expect(JSON.parse(text)).toHaveLength(3);
  });

  it("reads rows written before the encoding as they are", () => {
    const old = [{ at: iso(AT), userId: "u1", journeyId: "a", version: 1, nodeId: "n", kind: "exit" }];
    expect(decodeTimelineRow(JSON.stringify(old), "u1", AT)).toEqual(old);
  });
});
