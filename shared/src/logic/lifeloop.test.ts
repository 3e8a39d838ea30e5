/** Lifeloop's operators: aggregates, clock/calendar, segments, and the env they need. */
import { describe, expect, it } from "vitest";
import type { AggregateSpec } from "../aggregate.ts";
import { createEvaluator, defaultEvaluator as ev, LIFELOOP_OPERATORS, LogicError, type EvalEnv } from "./index.ts";

/** Sunday 2024-03-10 16:30 UTC = Monday 2024-03-11 00:30 in Shanghai (+08:00). */
const SUNDAY_1630_UTC = Date.UTC(2024, 2, 10, 16, 30);

function codeOf(run: () => unknown): { code: string; path: string } | "no error" {
  try {
    run();
    return "no error";
  } catch (e) {
    if (!(e instanceof LogicError)) throw e;
    return { code: e.code, path: e.path };
  }
}

function fakeAggregates(values: Record<string, number | null>) {
  const asked: AggregateSpec[] = [];
  const aggregate = (spec: AggregateSpec): number | null => {
    asked.push(spec);
    return Object.hasOwn(values, spec.key) ? values[spec.key]! : null;
  };
  return { asked, aggregate };
}

describe("aggregates", () => {
  it("ask env.aggregate for the spec built from the literal arguments", () => {
    const { asked, aggregate } = fakeAggregates({
      "count:login::30d": 4,
      "sum:transaction:amount:month": 650_000,
      "min:transaction:amount:7d": 100,
      "max:transaction:amount:prev_30d": 9_000,
      "last_seen:login::lifetime": 1_700_000_000_000,
    });
    const env: EvalEnv = { aggregate };
    expect(ev.evaluate({ agg_count: ["login", "30d"] }, {}, env)).toBe(4);
    expect(ev.evaluate({ agg_sum: ["transaction", "amount", "month"] }, {}, env)).toBe(650_000);
    expect(ev.evaluate({ agg_min: ["transaction", "amount", "7d"] }, {}, env)).toBe(100);
    expect(ev.evaluate({ agg_max: ["transaction", "amount", "prev_30d"] }, {}, env)).toBe(9_000);
    expect(ev.evaluate({ last_seen: "login" }, {}, env)).toBe(1_700_000_000_000);
    expect(asked.map((s) => s.key)).toEqual([
      "count:login::30d",
      "sum:transaction:amount:month",
      "min:transaction:amount:7d",
      "max:transaction:amount:prev_30d",
      "last_seen:login::lifetime",
    ]);
    expect(asked[1]).toMatchObject({ fn: "sum", event: "transaction", prop: "amount", window: "month" });
    expect(asked[1]!.parsedWindow).toEqual({ kind: "calendar", period: "month" });
  });

  it("compile the spec once, not per evaluation", () => {
    const { asked, aggregate } = fakeAggregates({ "count:login::7d": 2 });
    const rule = ev.compile({ ">=": [{ agg_count: ["login", "7d"] }, 2] });
    expect(rule({}, { aggregate })).toBe(true);
    expect(rule({}, { aggregate })).toBe(true);
    expect(asked[0]).toBe(asked[1]); // the same frozen spec object
    expect(Object.isFrozen(asked[0])).toBe(true);
  });

  it("yield null for an aggregate the engine does not have, and treat non-numbers as null", () => {
    const { aggregate } = fakeAggregates({});
    expect(ev.evaluate({ agg_count: ["login", "30d"] }, {}, { aggregate })).toBeNull();
    // @ts-expect-error a host whose aggregate answers a string: what an untyped caller could pass
    expect(ev.evaluate({ agg_count: ["login", "30d"] }, {}, { aggregate: () => "7" })).toBeNull();
  });

  it("refuse non-literal or malformed arguments at compile time, with the path", () => {
    const cases: [unknown, string][] = [
      [{ and: [true, { agg_count: [{ var: "event.type" }, "30d"] }] }, "$.and[1].agg_count"],
      [{ agg_sum: ["transaction", "30d"] }, "$.agg_sum"],
      [{ agg_count: ["login", "30 days"] }, "$.agg_count"],
      [{ agg_sum: ["transaction", "amount;drop", "month"] }, "$.agg_sum"],
      [{ last_seen: [] }, "$.last_seen"],
    ];
    for (const [rule, path] of cases) {
      expect(codeOf(() => ev.compile(rule))).toEqual({ code: "bad_argument", path });
    }
  });

  it("need env.aggregate at run time", () => {
    const rule = ev.compile({ or: [false, { agg_count: ["login", "30d"] }] });
    expect(codeOf(() => rule({}))).toEqual({ code: "missing_env", path: "$.or[1]" });
    expect(() => rule({}, { now: 1 })).toThrow(/needs env\.aggregate/);
  });

  it("let the engine's own failures through unchanged", () => {
    const boom = new Error("store offline");
    const rule = ev.compile({ agg_count: ["login", "30d"] });
    expect(() =>
      rule(
        {},
        {
          aggregate: () => {
            throw boom;
          },
        },
      ),
    ).toThrow(boom);
  });
});

describe("clock and calendar", () => {
  const env = { now: SUNDAY_1630_UTC, timeZone: "Asia/Shanghai" };
  const utc = { now: SUNDAY_1630_UTC, timeZone: "UTC" };

  it("now and timestamp", () => {
    expect(ev.evaluate({ now: [] }, {}, env)).toBe(SUNDAY_1630_UTC);
    expect(ev.evaluate({ timestamp: "2024-03-10T16:30:00Z" }, {})).toBe(SUNDAY_1630_UTC);
    expect(ev.evaluate({ timestamp: "2024-03-11T00:30:00+08:00" }, {})).toBe(SUNDAY_1630_UTC);
    expect(ev.evaluate({ timestamp: { var: "t" } }, { t: SUNDAY_1630_UTC })).toBe(SUNDAY_1630_UTC);
    for (const bad of [null, "yesterday", "2024-03-10", "2024-03-10T16:30:00", Number.NaN, 1e300, true, {}]) {
      expect(ev.evaluate({ timestamp: { var: "t" } }, { t: bad })).toBeNull();
    }
  });

  it("hours_since and days_since, fractional, from epoch ms or ISO text", () => {
    const t36h = SUNDAY_1630_UTC - 36 * 3_600_000;
    expect(ev.evaluate({ hours_since: { var: "t" } }, { t: t36h }, env)).toBe(36);
    expect(ev.evaluate({ days_since: { var: "t" } }, { t: t36h }, env)).toBe(1.5);
    expect(ev.evaluate({ days_since: "2024-03-09T04:30:00Z" }, {}, env)).toBe(1.5);
    expect(ev.evaluate({ hours_since: { var: "missing" } }, {}, env)).toBeNull();
    expect(ev.evaluate({ days_since: "not a date" }, {}, env)).toBeNull();
    expect(ev.evaluate({ days_since: { var: "t" } }, { t: SUNDAY_1630_UTC + 86_400_000 }, env)).toBe(-1);
  });

  it("local_hour, local_weekday, local_date follow env.timeZone", () => {
    expect(ev.evaluate({ local_hour: [] }, {}, utc)).toBe(16);
    expect(ev.evaluate({ local_weekday: [] }, {}, utc)).toBe(7); // Sunday
    expect(ev.evaluate({ local_date: [] }, {}, utc)).toBe("2024-03-10");
    expect(ev.evaluate({ local_hour: [] }, {}, env)).toBe(0);
    expect(ev.evaluate({ local_weekday: [] }, {}, env)).toBe(1); // already Monday in Shanghai
    expect(ev.evaluate({ local_date: [] }, {}, env)).toBe("2024-03-11");
    // New Year's Eve 16:00 UTC is New Year's Day 00:00 in Shanghai.
    const nye = { t: "2023-12-31T16:00:00Z" };
    expect(ev.evaluate({ local_date: { var: "t" } }, nye, env)).toBe("2024-01-01");
    expect(ev.evaluate({ local_date: { var: "t" } }, nye, utc)).toBe("2023-12-31");
    expect(ev.evaluate({ local_hour: { var: "t" } }, nye, env)).toBe(0);
    expect(ev.evaluate({ local_weekday: { var: "t" } }, nye, env)).toBe(1);
    expect(ev.evaluate({ local_hour: { var: "nope" } }, {}, env)).toBeNull();
  });

  it("need env.now / env.timeZone, and say so", () => {
    expect(codeOf(() => ev.evaluate({ now: [] }, {}))).toEqual({ code: "missing_env", path: "$" });
    expect(codeOf(() => ev.evaluate({ days_since: 0 }, {}, { timeZone: "UTC" }))).toMatchObject({
      code: "missing_env",
    });
    expect(codeOf(() => ev.evaluate({ local_hour: [] }, {}, { now: 0 }))).toMatchObject({ code: "missing_env" });
    expect(() => ev.evaluate({ local_date: 0 }, {}, { now: 0, timeZone: "Mars/Olympus" })).toThrow(/Mars\/Olympus/);
    expect(() => ev.evaluate({ now: [] }, {})).toThrow(/env\.now/);
  });

  it("check arity at compile time", () => {
    expect(codeOf(() => ev.compile({ now: [1] }))).toEqual({ code: "bad_argument", path: "$.now" });
    expect(codeOf(() => ev.compile({ hours_since: [] }))).toEqual({ code: "bad_argument", path: "$.hours_since" });
    expect(codeOf(() => ev.compile({ local_hour: [1, 2] }))).toEqual({ code: "bad_argument", path: "$.local_hour" });
  });

  it("fold a literal timestamp at compile time (no env needed)", () => {
    expect(ev.compile({ "<": [{ timestamp: "2024-01-01T00:00:00Z" }, 1_800_000_000_000] })({})).toBe(true);
  });
});

describe("in_segment", () => {
  const segments = {
    vip: { ">=": [{ var: "profile.spend" }, 1000] },
    shanghai_vip: { and: [{ in_segment: "vip" }, { "==": [{ var: "profile.city" }, "Shanghai"] }] },
    a: { in_segment: "b" },
    b: { or: [false, { in_segment: "c" }] },
    c: { in_segment: "a" },
    self: { in_segment: "self" },
    broken: { and: [true, { nope: [] }] },
  };

  it("evaluates the referenced segment inline against the same data and env", () => {
    const rule = ev.compile({ in_segment: "shanghai_vip" }, { segments });
    expect(rule({ profile: { spend: 1500, city: "Shanghai" } })).toBe(true);
    expect(rule({ profile: { spend: 500, city: "Shanghai" } })).toBe(false);
    expect(rule({ profile: { spend: 1500, city: "Beijing" } })).toBe(false);
    const timed = ev.compile(
      { in_segment: "recent" },
      { segments: { recent: { "<": [{ days_since: { var: "t" } }, 1] } } },
    );
    expect(timed({ t: 0 }, { now: 3_600_000 })).toBe(true);
  });

  it("reads the document root even inside a map body", () => {
    const rule = ev.compile({ map: [{ var: "items" }, { in_segment: "vip" }] }, { segments });
    expect(rule({ items: [1, 2], profile: { spend: 2000 } })).toEqual([true, true]);
  });

  it("reports unknown segments, cycles and errors inside segments at the reference", () => {
    expect(codeOf(() => ev.compile({ and: [true, { in_segment: "ghost" }] }, { segments }))).toEqual({
      code: "unknown_segment",
      path: "$.and[1].in_segment",
    });
    expect(codeOf(() => ev.compile({ in_segment: "vip" }))).toMatchObject({ code: "unknown_segment" });
    expect(codeOf(() => ev.compile({ in_segment: "a" }, { segments }))).toEqual({
      code: "segment_cycle",
      path: "$.in_segment",
    });
    expect(() => ev.compile({ in_segment: "a" }, { segments })).toThrow(/a → b → c → a/);
    expect(codeOf(() => ev.compile({ in_segment: "self" }, { segments }))).toMatchObject({ code: "segment_cycle" });
    try {
      ev.compile({ or: [{ in_segment: "broken" }] }, { segments });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "unknown_operator", path: "$.or[0].in_segment" });
      expect((e as Error).message).toMatch(/in segment "broken" at \$\.and\[1\]/);
    }
    expect(codeOf(() => ev.compile({ in_segment: { var: "x" } }, { segments }))).toMatchObject({
      code: "bad_argument",
    });
    expect(codeOf(() => ev.compile({ in_segment: "toString" }, { segments }))).toMatchObject({
      code: "unknown_segment",
    });
  });

  it("counts segment size and depth where a segment is used", () => {
    // Each use costs: in_segment (1) + its id (1) + the segment's 7 nodes. Two uses under `and`: 1 + 9 + 9.
    const small = createEvaluator({ limits: { maxRuleNodes: 12 } });
    const seg = { big: { and: [1, 2, 3, 4, 5, 6] } }; // 7 nodes
    expect(small.compile({ in_segment: "big" }, { segments: seg })({})).toBe(6);
    expect(
      codeOf(() => small.compile({ and: [{ in_segment: "big" }, { in_segment: "big" }] }, { segments: seg })),
    ).toEqual({
      code: "limit_nodes",
      path: "$.and[1].in_segment",
    });
    const shallow = createEvaluator({ limits: { maxRuleDepth: 4 } });
    const deep = { d: { "!": { "!": { "!": true } } } }; // depth 4
    expect(codeOf(() => shallow.compile({ "!": { in_segment: "d" } }, { segments: deep }))).toMatchObject({
      code: "limit_depth",
    });
  });
});

it("every Lifeloop operator is listed and available", () => {
  expect([...LIFELOOP_OPERATORS].sort()).toEqual([
    "agg_count",
    "agg_max",
    "agg_min",
    "agg_sum",
    "days_since",
    "hours_since",
    "in_segment",
    "last_seen",
    "local_date",
    "local_hour",
    "local_weekday",
    "now",
    "timestamp",
  ]);
  for (const op of LIFELOOP_OPERATORS) expect(ev.isOperator(op)).toBe(true);
});
