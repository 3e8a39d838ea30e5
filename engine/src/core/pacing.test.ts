/**
 * The paced-coupons sample: a ¥50 budget of ¥5 coupons spent evenly through 5 November (Asia/Shanghai).
 * The test works out each local day's allowance itself, from the stream, and holds simulate and the
 * durable runtime on SQLite to it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../store/sqlite/store.ts";
import { expectLiveMatchesSimulate } from "../testing/every-kind.ts";
import { replayDurable } from "../testing/replay.ts";
import { pick, runSample, sampleEvents, sampleExecutable } from "../testing/samples.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-pacing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUDGET = 5000;
const COUPON = 500;
const LAST_DAY = Date.UTC(2026, 10, 5);
const DAY = 86_400_000;

/** The expected outcome of each event, worked out apart from the engine: Shanghai is UTC+8 all year. */
function expected(events: Array<{ userId: string; at: number }>) {
  let spent = 0;
  let day = -1;
  let spentBefore = 0;
  let spentToday = 0;
  const given = new Set<string>();
  return events.map((e) => {
    const local = Math.floor((e.at + 8 * 3_600_000) / DAY) * DAY;
    if (local !== day) [day, spentBefore, spentToday] = [local, spent, 0];
    const daysLeft = Math.max(1, (LAST_DAY - local) / DAY + 1);
    const allowance = Math.floor((BUDGET - spentBefore) / daysLeft);
    const date = new Date(local).toISOString().slice(0, 10);
    if (given.has(e.userId)) return { userId: e.userId, date, outcome: "cap" };
    if (BUDGET - spent < COUPON) return { userId: e.userId, date, outcome: "budget" };
    if (spentToday + COUPON > allowance) return { userId: e.userId, date, outcome: "pace" };
    given.add(e.userId);
    spent += COUPON;
    spentToday += COUPON;
    return { userId: e.userId, date, outcome: "granted", allowance };
  });
}

describe("a budget paced evenly (paced-coupons)", () => {
  const events = sampleEvents("paced-coupons");
  const result = runSample("paced-coupons");
  const want = expected(events.map((e) => ({ userId: e.userId, at: Date.parse(e.at) })));

  it("grants and refuses each deposit as the day's allowance says, in the journey's time zone", () => {
    const got = events.map((e) => {
      const at = new Date(Date.parse(e.at)).toISOString();
      const effect = result.effects.find((x) => x.userId === e.userId && x.at === at && x.nodeId === "coupon");
      return effect?.kind === "reward" ? "granted" : effect?.kind === "refuse" ? effect.reason : "none";
    });
    expect(got).toEqual(want.map((w) => w.outcome));
    // The figures the sample is written for: 2 coupons on 1 Nov, then 2, 1 (a slow day), 2 and 3.
    const byDay: Record<string, number> = {};
    for (const w of want) if (w.outcome === "granted") byDay[w.date] = (byDay[w.date] ?? 0) + 1;
    expect(byDay).toEqual({ "2026-11-01": 2, "2026-11-02": 2, "2026-11-03": 1, "2026-11-04": 2, "2026-11-05": 3 });
    expect(want.filter((w) => w.outcome === "granted").map((w) => w.allowance)).toEqual([
      1000, 1000, 1000, 1000, 1000, 1250, 1250, 1500, 1500, 1500,
    ]);
    expect(result.summary[0]).toMatchObject({ cost: { CNY: { grants: 10, amount: BUDGET } } });
  });

  it("says why in words: today's allowance in yuan, and the budget once it is gone", () => {
    const refusals = pick(result, "refuse", ["reason", "detail"]);
    expect(refusals.map((r) => r.reason)).toEqual(["pace", "pace", "pace", "pace", "budget", "budget"]);
    // 23:59 on 1 November in Shanghai is still the 1st: the second coupon of the day has gone.
    expect(refusals[1]).toEqual({
      at: "2026-11-01T15:59:00.000Z",
      userId: "u4",
      nodeId: "coupon",
      reason: "pace",
      detail:
        "budget deposit_nov (spent evenly through 2026-11-05): ¥10.00 of 2026-11-01's ¥10.00 allowance spent, " +
        "this grant needs ¥5.00",
    });
    expect(refusals[3]!.detail).toContain("¥10.00 of 2026-11-04's ¥12.50 allowance spent");
  });

  it("commits on SQLite what simulate says, its day counters within each day's allowance", async () => {
    const executable = sampleExecutable("paced-coupons");
    await expectLiveMatchesSimulate({ executable, events, result });
    const path = join(dir, "paced.db");
    const store = new SqliteStore({ path });
    try {
      await replayDurable(store, [executable], events, null);
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT key, used, cap FROM counters WHERE key LIKE 'budget/%' ORDER BY key").all()).toEqual([
        { key: "budget/paced-coupons/deposit_nov", used: 5000, cap: 5000 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-01", used: 1000, cap: 1000 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-02", used: 1000, cap: 1000 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-03", used: 500, cap: 1000 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-04", used: 1000, cap: 1250 },
        { key: "budget/paced-coupons/deposit_nov/day/2026-11-05", used: 1500, cap: 1500 },
      ]);
    } finally {
      db.close();
    }
  });
});
