import { compileJourney, EventEnvelope } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { describe, expect, it } from "vitest";
import { simulate } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { replayDurable } from "../testing/replay.ts";
import { giftJourney } from "../testing/wallet.ts";
import { executableOf } from "../testing/world.ts";

/** login → points expiring within 3 days? → a reminder that says how many, and the balance. */
const reminder = (rule: unknown = { ">": [{ var: "wallet.expiring_3d" }, 0] }) =>
  journey({
    id: "expiry-reminder",
    nodes: [
      trigger("start", "login"),
      node("soon", "condition", { rule }),
      node("remind", "message", {
        channel: "push",
        template: { body: "您有 {{wallet.expiring_3d}} 积分将于 3 天内过期（余额 {{wallet.balance}}）" },
      }),
      exitNode("end"),
      exitNode("later"),
    ],
    edges: [edge("start", "soon"), edge("soon", "remind", "yes"), edge("soon", "later", "no"), edge("remind", "end")],
  });

const ev = (id: string, userId: string, type: string, at: string) =>
  EventEnvelope.parse({ id, userId, type, at, props: {} });
// Both get 500 points on 5 January, spendable through the 8th (Shanghai): gone at 2026-01-08T16:00Z.
const events = [
  ev("r1", "u1", "registered", "2026-01-05T09:00:00Z"),
  ev("r2", "u2", "registered", "2026-01-05T09:00:00Z"),
  // 79 hours before they expire: not within 3 days.
  ev("l1", "u1", "login", "2026-01-05T09:00:00Z"),
  // 54 hours before: within 3 days.
  ev("l2", "u2", "login", "2026-01-06T10:00:00Z"),
];

describe("journeys read the wallet", () => {
  it("as rule and template variables, the same in simulate and live", async () => {
    const journeys = [executableOf(giftJourney), executableOf(reminder())];
    const sim = simulate({ journeys: journeys.map((executable) => ({ executable })), events });
    const decisions = sim.effects.filter((e) => e.kind === "decide");
    expect(decisions.map((d) => [d.userId, d.kind === "decide" && d.handle, d.kind === "decide" && d.inputs])).toEqual([
      ["u1", "no", { "wallet.expiring_3d": 0 }],
      ["u2", "yes", { "wallet.expiring_3d": 500 }],
    ]);
    const messages = sim.effects.filter((e) => e.kind === "message");
    expect(messages.map((m) => [m.userId, m.kind === "message" && m.text])).toEqual([
      ["u2", "您有 500 积分将于 3 天内过期（余额 500）"],
    ]);
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const until = Date.parse(sim.stats.until!);
      const live = await replayDurable(store, journeys, events, until);
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(sim.effects));
    } finally {
      await store.close();
    }
  });

  it("are checked like any variable: an unknown field is an error that names the wallet's", () => {
    const r = compileJourney(reminder({ ">": [{ var: "wallet.expiring_2d" }, 0] }));
    expect(r.ok).toBe(false);
    expect(r.issues[0]!.message).toContain('unknown variable "wallet.expiring_2d": the wallet has balance, expiring');
  });
});
