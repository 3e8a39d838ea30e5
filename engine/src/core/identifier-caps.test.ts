/**
 * The checkin-device-cap sample: 10 points a check-in, once a day per person and once a day per
 * device (Asia/Shanghai days). The test works out who is paid from the stream itself.
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

const dir = mkdtempSync(join(tmpdir(), "lifeloop-idcap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shanghaiDate = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);

describe("a cap per device (checkin-device-cap)", () => {
  const events = sampleEvents("checkin-device-cap");
  const result = runSample("checkin-device-cap");

  it("pays each person and each device at most once a local day, whatever the accounts", () => {
    const people = new Set<string>();
    const devices = new Set<string>();
    const want: string[] = [];
    for (const e of events) {
      const day = shanghaiDate(e.at);
      const device = e.props.device_id;
      if (people.has(`${e.userId}@${day}`) || typeof device !== "string" || devices.has(`${device}@${day}`)) continue;
      people.add(`${e.userId}@${day}`);
      devices.add(`${device}@${day}`);
      want.push(`${day} ${e.userId} ${device}`);
    }
    expect(want).toEqual([
      "2026-11-01 u1 d1",
      "2026-11-01 u4 d2",
      "2026-11-02 u2 d1",
      "2026-11-02 u4 d3",
      // 00:00 on 3 November in Shanghai: d1 has a new day.
      "2026-11-03 u3 d1",
    ]);
    const paid = pick(result, "reward", ["reward"]).map((r) => {
      const e = events.find((x) => x.userId === r.userId && Date.parse(x.at) === Date.parse(String(r.at)))!;
      return `${shanghaiDate(e.at)} ${r.userId} ${e.props.device_id}`;
    });
    expect(paid).toEqual(want);
    expect(result.summary[0]).toMatchObject({ cost: { points: { grants: 5, amount: 50 } } });
  });

  it("refuses with reason cap, naming the key and its value, or the missing key", () => {
    expect(pick(result, "refuse", ["reason", "detail"]).map((r) => `${r.userId} ${r.reason}: ${r.detail}`)).toEqual([
      "u2 cap: device_id d1: 1 of 1 grants used this day",
      "u3 cap: device_id d1: 1 of 1 grants used this day",
      "u1 cap: 1 of 1 grants used this day",
      'u5 cap: the event has no usable "device_id" to count this cap by ' +
        "(a non-empty text of at most 128 characters, or a whole number)",
      "u3 cap: device_id d1: 1 of 1 grants used this day",
    ]);
  });

  it("commits on SQLite what simulate says, one shared counter per device and day", async () => {
    const executable = sampleExecutable("checkin-device-cap");
    await expectLiveMatchesSimulate({ executable, events, result });
    const path = join(dir, "idcap.db");
    const store = new SqliteStore({ path });
    try {
      await replayDurable(store, [executable], events, null);
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      // Period starts are Shanghai midnights: 16:00 UTC the day before.
      const start = (d: string) => Date.parse(`${d}T16:00:00Z`);
      expect(db.prepare("SELECT key, used, cap FROM counters WHERE key LIKE 'idcap/%' ORDER BY key").all()).toEqual(
        [
          [start("2026-10-31"), "d1"],
          [start("2026-10-31"), "d2"],
          [start("2026-11-01"), "d1"],
          [start("2026-11-01"), "d3"],
          [start("2026-11-02"), "d1"],
        ].map(([s, d]) => ({ key: `idcap/checkin-device-cap/points/${s}/count/${d}`, used: 1, cap: 1 })),
      );
    } finally {
      db.close();
    }
  });
});
