import { EventEnvelope } from "@lifeloop/shared";
import { edge, journey, node, trigger } from "@lifeloop/shared/testing";
import { describe, expect, it } from "vitest";
import { simulate } from "../../simulate.ts";
import { replayDurable } from "../../testing/replay.ts";
import { executableOf } from "../../testing/world.ts";
import { SqliteStore } from "../../store/sqlite/store.ts";
import { parseChannelCaps } from "./channel-cap.ts";

/** On `event`, one message on `channel`; people may enter again whenever the event comes. */
const sender = (id: string, event: string, channel: string, extra: Record<string, unknown> = {}) =>
  journey({
    id,
    name: id,
    entry: { reentry: "always" },
    nodes: [
      trigger("start", event),
      node("m", "message", { channel, template: { body: `from ${id}` }, respectQuietHours: false, ...extra }),
    ],
    edges: [edge("start", "m")],
  });

let seq = 0;
const at = (userId: string, type: string, iso: string) =>
  EventEnvelope.parse({ id: `c${++seq}`, userId, type, at: iso, props: {} });

const run = (docs: unknown[], events: EventEnvelope[], caps = "push:2/day") =>
  simulate({
    journeys: docs.map((d) => ({ executable: executableOf(d) })),
    events,
    channelCaps: parseChannelCaps(caps, "Asia/Shanghai"),
  });

const what = (r: ReturnType<typeof simulate>) =>
  r.effects
    .filter((e) => e.kind === "message" || e.kind === "suppress")
    .map((e) =>
      e.kind === "message"
        ? `${e.userId} ${e.journeyId} sent ${e.text}`
        : `${e.userId} ${e.journeyId} ${e.reason}: ${e.detail}`,
    );

describe("the engine's frequency cap per channel, across journeys", () => {
  const journeys = [sender("promo", "browse", "push"), sender("nudge", "cart", "push"), sender("mail", "cart", "sms")];

  it("refuses the third push of a local day whichever journey sends it, and sends again the next day", () => {
    const r = run(journeys, [
      at("u1", "browse", "2026-11-02T02:00:00Z"), // 10:00 in Shanghai
      at("u1", "cart", "2026-11-02T03:00:00Z"), // nudge's push (the 2nd) and mail's sms
      at("u1", "browse", "2026-11-02T15:00:00Z"), // 23:00: the 3rd push of the day
      at("u2", "browse", "2026-11-02T15:00:00Z"), // another person counts on their own
      at("u1", "browse", "2026-11-02T16:30:00Z"), // 00:30 the next local day
    ]);
    expect(what(r)).toEqual([
      "u1 promo sent from promo",
      "u1 mail sent from mail", // journeys take an event in id order: mail, then nudge
      "u1 nudge sent from nudge",
      "u1 promo channel_cap: 2 of 2 push messages this day across all journeys",
      "u2 promo sent from promo",
      "u1 promo sent from promo",
    ]);
  });

  it("refuses the same messages on the durable runtime over SQLite as in simulate", async () => {
    const events = [
      at("u1", "browse", "2026-11-02T02:00:00Z"),
      at("u1", "cart", "2026-11-02T03:00:00Z"),
      at("u1", "browse", "2026-11-02T15:00:00Z"),
    ];
    const channelCaps = parseChannelCaps("push:2/day", "Asia/Shanghai");
    const simulated = run(journeys, events);
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const live = await replayDurable(store, journeys.map(executableOf), events, null, null, { channelCaps });
      expect(live).toEqual(simulated.effects);
      expect(live.filter((e) => e.kind === "suppress")).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it("sends a message that does not respect caps, and counts it against the others", () => {
    const receipt = sender("receipt", "paid", "push", { respectFrequencyCap: false });
    const r = run(
      [receipt, journeys[0]],
      [
        at("u1", "paid", "2026-11-02T02:00:00Z"),
        at("u1", "paid", "2026-11-02T02:10:00Z"),
        at("u1", "paid", "2026-11-02T02:20:00Z"),
        at("u1", "browse", "2026-11-02T02:30:00Z"),
      ],
    );
    expect(what(r)).toEqual([
      "u1 receipt sent from receipt",
      "u1 receipt sent from receipt",
      "u1 receipt sent from receipt",
      "u1 promo channel_cap: 3 of 2 push messages this day across all journeys",
    ]);
  });

  it("names the journey's own cap first when both are reached", () => {
    const capped = { ...sender("promo", "browse", "push"), settings: { frequencyCap: { count: 1, period: "day" } } };
    const r = run(
      [capped],
      [at("u1", "browse", "2026-11-02T02:00:00Z"), at("u1", "browse", "2026-11-02T02:05:00Z")],
      "push:1/day",
    );
    expect(what(r)).toEqual(["u1 promo sent from promo", "u1 promo frequency_cap: 1 of 1 messages this day"]);
  });

  it("reads the operator's setting, and refuses what it does not understand", () => {
    expect(parseChannelCaps(" push:3/day, sms:1/week ", "UTC")).toEqual([
      { channel: "push", count: 3, period: "day", timeZone: "UTC" },
      { channel: "sms", count: 1, period: "week", timeZone: "UTC" },
    ]);
    expect(parseChannelCaps("", "UTC")).toEqual([]);
    expect(() => parseChannelCaps("push:0/day", "UTC")).toThrow(/"push:0\/day" is not channel:count\/period/);
    expect(() => parseChannelCaps("fax:1/day", "UTC")).toThrow(/not channel:count\/period/);
    expect(() => parseChannelCaps("push:1/year", "UTC")).toThrow(/not channel:count\/period/);
    expect(() => parseChannelCaps("push:1/day,push:2/week", "UTC")).toThrow(/push is capped twice/);
    expect(() => parseChannelCaps("push:1/day", "Mars/Base")).toThrow(/not an IANA time zone/);
  });
});
