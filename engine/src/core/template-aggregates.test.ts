/**
 * Figures in message templates read the person's windowed series, as rules do: the exact amount
 * for this month in the journey's time zone, inserted as text, the same in simulate and live.
 */
import { compileJourney, EventId, type EventEnvelope, UserId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import { expectLiveMatchesSimulate } from "../testing/every-kind.ts";

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
