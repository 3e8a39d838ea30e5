/**
 * The tiers sample's levels variant (samples/journeys/tiers-levels.json with samples/levels.json):
 * exact level moves and dates, checked against the independent model (testing/levels-model.ts) and
 * stated by hand from the rules, the VIP-service message on reaching Gold, and the same effects on
 * the durable runtime over SQLite.
 */
import { parseInstant } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { simulate } from "./simulate.ts";
import { SqliteStore } from "./store/sqlite/store.ts";
import { modelLevels } from "./testing/levels-model.ts";
import { replayDurable } from "./testing/replay.ts";
import { pick, sampleSet } from "./testing/samples.ts";

const { executables, events, levels } = sampleSet("tiers-levels");
const UNTIL = "2027-01-10T00:00:00Z";
const r = simulate({ journeys: executables.map((executable) => ({ executable })), events, levels, until: UNTIL });
const SHANGHAI = 8 * 3_600_000;

describe("tiers-levels", () => {
  it("runs with the workspace levels of samples/levels.json", () => {
    expect(levels?.levels.map((l) => l.id)).toEqual(["bronze", "silver", "gold"]);
  });

  it("moves levels exactly as the model of the rules says, up at once and down at a month's start", () => {
    const moves = pick(r, "level", ["from", "to", "xp"]).map(({ nodeId: _n, ...m }) => m);
    const expected = ["u1", "u2", "u3"].flatMap((userId) =>
      modelLevels(
        levels!,
        events
          .filter((e) => e.userId === userId)
          .map((e) => ({ at: parseInstant(e.at)!, type: e.type, props: e.props })),
        Date.parse(UNTIL),
        SHANGHAI,
      ).map((m) => ({ at: new Date(m.at).toISOString(), userId, from: m.from, to: m.to, xp: m.xp })),
    );
    expect(moves.sort((a, b) => String(a.at).localeCompare(String(b.at)))).toEqual(
      expected.sort((a, b) => a.at.localeCompare(b.at)),
    );
    // By hand: u1 checks in twice on 2 Nov (10 xp, the day's cap), spends ¥1,500 on 3 Nov (1,510 →
    // silver), ¥5,000 on 4 Nov (capped at 3,000 a day: 4,510) and ¥600 on 5 Nov (5,110 → gold). The
    // 1 December review still sees 5,110 (2 Nov–1 Dec); the 1 January one sees nothing since 3 December
    // and drops gold to bronze in one move. u2 reaches silver with ¥3,000 on 10 Nov (¥1,000 more that day
    // is over the cap); 10 xp on 20 December keep nothing at the January review. u3's check-ins stay bronze.
    expect(moves).toEqual([
      { at: "2026-11-03T02:00:00.000Z", userId: "u1", from: "bronze", to: "silver", xp: 1510 },
      { at: "2026-11-05T02:00:00.000Z", userId: "u1", from: "silver", to: "gold", xp: 5110 },
      { at: "2026-11-10T02:00:00.000Z", userId: "u2", from: "bronze", to: "silver", xp: 3000 },
      { at: "2026-12-31T16:00:00.000Z", userId: "u1", from: "gold", to: "bronze", xp: 0 },
      { at: "2026-12-31T16:00:00.000Z", userId: "u2", from: "silver", to: "bronze", xp: 10 },
      { at: "2027-01-05T02:00:00.000Z", userId: "u1", from: "bronze", to: "silver", xp: 1200 },
    ]);
  });

  it("unlocks VIP service on reaching Gold, and congratulates every other move up", () => {
    expect(pick(r, "message", ["text"])).toEqual([
      {
        at: "2026-11-03T02:00:00.000Z",
        userId: "u1",
        nodeId: "congrats",
        text: "陈女士，恭喜升级！近 30 天经验值 1510。",
      },
      {
        at: "2026-11-05T02:00:00.000Z",
        userId: "u1",
        nodeId: "vip_service",
        text: "陈女士，恭喜升级黄金会员！您的 VIP 专属客服已开通。",
      },
      {
        at: "2026-11-10T02:00:00.000Z",
        userId: "u2",
        nodeId: "congrats",
        text: "David，恭喜升级！近 30 天经验值 3000。",
      },
      {
        at: "2027-01-05T02:00:00.000Z",
        userId: "u1",
        nodeId: "congrats",
        text: "陈女士，恭喜升级！近 30 天经验值 1200。",
      },
    ]);
    // A move down raises level_changed too, but the trigger's filter takes moves up only.
    expect(pick(r, "enter", ["trigger"]).map((e) => e.at)).toEqual([
      "2026-11-03T02:00:00.000Z",
      "2026-11-05T02:00:00.000Z",
      "2026-11-10T02:00:00.000Z",
      "2027-01-05T02:00:00.000Z",
    ]);
    expect(pick(r, "goal", ["name"])).toEqual([
      { at: "2026-11-05T02:00:00.000Z", userId: "u1", nodeId: "vip", name: "vip_unlocked" },
    ]);
  });

  it("commits the same effects on the durable runtime over SQLite", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    try {
      const live = await replayDurable(store, executables, events, Date.parse(UNTIL), null, {}, levels);
      const canonical = (effects: ReadonlyArray<object>) => effects.map((e) => JSON.stringify(e)).sort();
      expect(canonical(live)).toEqual(canonical(r.effects));
      // The next review is a timer like the others: u1, silver again, is due on 1 February (Shanghai).
      const due = store.db.prepare("SELECT user_id, due_at FROM timers WHERE journey_id = '#levels'").all();
      expect(due).toEqual([{ user_id: "u1", due_at: Date.parse("2027-01-31T16:00:00Z") }]);
    } finally {
      await store.close();
    }
  });
});
