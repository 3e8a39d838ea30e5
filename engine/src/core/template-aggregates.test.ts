/**
 * Figures in message templates read the person's windowed series, as rules do: the exact amount
 * for this month in the journey's time zone, inserted as text, the same in simulate and live.
 */
import { compileJourney, EventId, type EventEnvelope, UserId, type WorkspaceLevels } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { expectLiveMatchesSimulate } from "../testing/every-kind.ts";
import { replayDurable } from "../testing/replay.ts";
import { giftJourney } from "../testing/wallet.ts";
import { executableOf } from "../testing/world.ts";

const doc = journey({
  entry: { reentry: "always" },
  catalog: {
    events: {
      fee_waived: { props: { fee_saved: "money" }, currency: "CNY" },
      statement: { props: { note: "string" } },
    },
  },
  nodes: [
    trigger("start", "statement"),
    node("msg", "message", {
      channel: "in_app",
      template: {
        body: "本月为您节省手续费 {{agg_sum(fee_saved, month) | money}}（{{agg_count(fee_waived, month)}} 笔）{{event.props.note}}",
      },
    }),
    exitNode(),
  ],
  edges: [edge("start", "msg"), edge("msg", "end")],
});

const ev = (id: string, type: string, at: string, props: EventEnvelope["props"]): EventEnvelope => ({
  id: EventId.parse(id),
  userId: UserId.parse("u1"),
  type,
  at,
  props,
});

describe("aggregates in templates", () => {
  it("render this month's figures in the journey's time zone, values never interpreted, live as simulate", async () => {
    const compiled = compileJourney(doc);
    expect(compiled.issues.filter((i) => i.severity === "error")).toEqual([]);
    const executable = compiled.executable!;
    expect(executable.aggregates.map((a) => a.key)).toEqual([
      "count:fee_waived::month",
      "sum:fee_waived:fee_saved:month",
    ]);
    const events = [
      // 23:00 on 31 December in Shanghai: last month, not counted.
      ev("e1", "fee_waived", "2025-12-31T15:00:00Z", { fee_saved: 999 }),
      // 01:00 on 1 January in Shanghai: this month.
      ev("e2", "fee_waived", "2025-12-31T17:00:00Z", { fee_saved: 1250 }),
      ev("e3", "fee_waived", "2026-01-10T02:00:00Z", { fee_saved: 800 }),
      ev("e4", "statement", "2026-01-20T02:00:00Z", { note: " {{agg_sum(fee_saved, month)}}" }),
    ];
    const result = simulate({ journeys: [{ executable }], events });
    const texts = result.effects.flatMap((e) => (e.kind === "message" ? [e.text] : []));
    // 1250 + 800 fen, counted independently of the engine: ¥20.50 over two waivers.
    expect(texts).toEqual(["本月为您节省手续费 ¥20.50（2 笔） {{agg_sum(fee_saved, month)}}"]);
    await expectLiveMatchesSimulate({ executable, events, result });
  });
});

/** A month's statement: this month's fee savings beside the wallet and the growth level, in one message. */
const statement = journey({
  id: "fee-statement",
  entry: { reentry: "always" },
  catalog: {
    events: {
      fee_waived: { props: { fee_saved: "money" }, currency: "CNY" },
      statement: { props: { note: "string" } },
    },
  },
  nodes: [
    trigger("start", "statement"),
    node("msg", "message", {
      channel: "push",
      template: {
        body:
          "本月为您节省手续费 {{agg_sum(fee_saved, month) | money}}，积分余额 {{wallet.balance}}，" +
          "{{wallet.expiring_3d}} 积分 3 天内过期，当前等级 {{level.id}}（经验值 {{level.xp}}）{{event.props.note}}",
      },
    }),
    exitNode(),
  ],
  edges: [edge("start", "msg"), edge("msg", "end")],
});
const levels: WorkspaceLevels = {
  timeZone: "Asia/Shanghai",
  windowDays: 30,
  review: "month",
  rules: [{ event: "fee_waived", xp: 1, prop: "fee_saved", per: 100 }],
  levels: [
    { id: "bronze", name: { en: "Bronze", "zh-CN": "青铜" }, threshold: 0, benefits: [] },
    { id: "silver", name: { en: "Silver", "zh-CN": "白银" }, threshold: 10, benefits: [] },
  ],
};

describe("figures, the wallet and the level in one template", () => {
  it("render as text, this month only, the same on the durable runtime", async () => {
    const journeys = [executableOf(giftJourney), executableOf(statement)];
    const u = (id: string, type: string, at: string, props: EventEnvelope["props"] = {}) => ev(id, type, at, props);
    const events = [
      // 23:00 on 31 December in Shanghai: last month's saving, and 9 xp.
      u("f0", "fee_waived", "2025-12-31T15:00:00Z", { fee_saved: 999 }),
      // 500 points on 5 January, spendable through the 8th (Shanghai).
      u("r1", "registered", "2026-01-05T09:00:00Z"),
      // ¥12.50 saved on 6 January: 12 xp more (21, silver from 10).
      u("f1", "fee_waived", "2026-01-06T02:00:00Z", { fee_saved: 1250 }),
      // A property that looks like a placeholder stays text.
      u("s1", "statement", "2026-01-07T02:00:00Z", { note: "{{wallet.balance}}" }),
    ];
    const sim = simulate({ journeys: journeys.map((executable) => ({ executable })), events, levels });
    const texts = sim.effects.flatMap((e) => (e.kind === "message" ? [e.text] : []));
    // By hand: 1250 fen this month (the 999 of 31 December is last month's) = ¥12.50; 500 points, all
    // expiring within 3 days of the 7th; 9 + 12 = 21 xp over the last 30 days, silver.
    expect(texts).toEqual([
      "本月为您节省手续费 ¥12.50，积分余额 500，500 积分 3 天内过期，当前等级 silver（经验值 21）{{wallet.balance}}",
    ]);
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const live = await replayDurable(store, journeys, events, Date.parse(sim.stats.until!), null, {}, levels);
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(sim.effects));
    } finally {
      await store.close();
    }
  });
});
