import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventEnvelope, type WorkspaceHoldout } from "@lifeloop/shared";
import { afterAll, describe, expect, it } from "vitest";
import { simulate } from "../../simulate.ts";
import { SqliteStore } from "../../store/sqlite/store.ts";
import { replayDurable } from "../../testing/replay.ts";
import { sampleExecutable } from "../../testing/samples.ts";
import { bucketOf } from "../hash.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-holdout-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const holdout: WorkspaceHoldout = { salt: "test-salt", shareBp: 2000, journeys: "all" };
const people = Array.from({ length: 40 }, (_, i) => `p${i}`);
const held = people.filter((u) => bucketOf("test-salt", u) < 2000);
const exposed = people.filter((u) => !held.includes(u));
// Everyone registers on 1 November; the first two of each group order within the 7-day window.
let n = 0;
const event = (userId: string, type: string, at: string) =>
  EventEnvelope.parse({ id: `e${++n}`, userId, type, at, props: type === "order_placed" ? { amount: 100 } : {} });
const events = [
  ...people.map((u) => event(u, "registered", "2026-11-01T02:00:00Z")),
  ...[...held.slice(0, 2), ...exposed.slice(0, 2)].map((u) => event(u, "order_placed", "2026-11-03T02:00:00Z")),
  // A held-out person who orders after the window does not count; one registering again is still held out.
  event(held[2]!, "order_placed", "2026-11-20T02:00:00Z"),
  event(held[3]!, "registered", "2026-11-21T02:00:00Z"),
];
const journey = sampleExecutable("first-order-discount");

describe("the workspace holdout at entry", () => {
  const result = simulate({ journeys: [{ executable: journey }], events, holdout });

  it("keeps held-out people out with a not_entered note, reason holdout, and enters everyone else", () => {
    expect(held.length).toBeGreaterThan(3);
    const entered = result.effects.filter((e) => e.kind === "enter").map((e) => e.userId);
    expect(entered.sort()).toEqual([...exposed].sort());
    const notes = result.trace.filter((t) => t.reason === "holdout");
    expect(notes.map((t) => t.userId).sort()).toEqual([...held, held[3]!].sort());
    expect(notes.every((t) => t.note === "not_entered" && t.nodeId === "registered")).toBe(true);
    expect(result.effects.some((e) => held.includes(e.userId) && e.kind === "reward")).toBe(false);
  });

  it("counts held-out people's goal events inside the window as holdout_convert, not as conversions", () => {
    const heldConverts = result.effects.filter((e) => e.kind === "holdout_convert");
    expect(heldConverts.map((e) => e.userId)).toEqual(held.slice(0, 2));
    expect(heldConverts[0]).toMatchObject({ journeyId: "first-order-discount", nodeId: null, event: "order_placed" });
    expect(result.effects.filter((e) => e.kind === "convert").map((e) => e.userId)).toEqual(exposed.slice(0, 2));
  });

  it("covers only the journeys tagged into it", () => {
    const other = simulate({
      journeys: [{ executable: journey }],
      events,
      holdout: { ...holdout, journeys: ["win-back"] },
    });
    expect(other.trace.filter((t) => t.reason === "holdout")).toEqual([]);
    expect(other.effects.filter((e) => e.kind === "enter")).toHaveLength(people.length);
  });

  it("is the same live: the durable runtime on SQLite commits what simulate says", async () => {
    const store = new SqliteStore({ path: join(dir, "holdout.db") });
    try {
      const live = await replayDurable(store, [journey], events, Date.parse(result.stats.until!), holdout);
      // Per person in order (timers of different people fire in another order live): stable sort by person.
      const byPerson = (list: ReadonlyArray<Record<string, unknown>>) =>
        list.filter((e) => e.kind !== "move").sort((a, b) => String(a.userId).localeCompare(String(b.userId)));
      expect(byPerson(live)).toEqual(byPerson(result.effects));
      expect(live.filter((e) => e.kind === "holdout_convert")).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
