import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventId, UserId } from "@lifeloop/shared";
import { afterAll, describe, expect, it } from "vitest";
import { DurableEngine } from "../runtime/durable.ts";
import { toCoreEvent } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { sampleEvents, sampleWorld } from "../testing/samples.ts";
import { zonesOf } from "./index.ts";
import { ReportProjector } from "./project.ts";
import { BacklogRows, catchUpYielding } from "./yielding.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-yielding-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const world = sampleWorld("win-back");
// The sample's people ten times over (ids suffixed), in the sample's order: a backlog of dozens of rows.
const events = sampleEvents("win-back")
  .map(toCoreEvent)
  .flatMap((e, i) => Array.from({ length: 10 }, (_, k) => ({ e, i, k })))
  .map(({ e, k }) => ({ ...e, id: EventId.parse(`${e.id}-${k}`), userId: UserId.parse(`${e.userId}-${k}`) }));

/** The sample's events applied to a file of their own: its timeline waits for the projector. */
async function applied(name: string, upTo: number) {
  const store = new SqliteStore({ path: join(dir, `${name}.sqlite`) });
  const clock = { now: events[upTo - 1]!.at };
  const engine = new DurableEngine(store, world, { now: () => clock.now });
  await engine.ingest(events.slice(0, upTo));
  return { store, engine, clock };
}

const facts = (store: SqliteStore) =>
  ["fact_entries", "fact_visits", "fact_node_days", "fact_grants", "fact_activity"].map((t) =>
    (store.facts.prepare(`SELECT * FROM ${t}`).all() as Array<Record<string, unknown>>)
      .map(({ seq: _seq, ...r }) => JSON.stringify(r))
      .sort(),
  );

describe("catching the projector up on the event loop", () => {
  it("gives the loop a turn between slices, and the facts are those of one catch-up in one go", async () => {
    const whole = await applied("whole", events.length);
    new ReportProjector(
      whole.store.facts,
      zonesOf(() => world),
    ).catchUp();

    const { store } = await applied("yielding", events.length);
    const projector = new ReportProjector(
      store.facts,
      zonesOf(() => world),
    );
    const backlog = projector.heads().timeline;
    expect(backlog).toBeGreaterThan(30);
    // Turns of the loop taken while it runs: another request's callbacks would run in them.
    let turns = 0;
    let running = true;
    const tick = () => {
      if (!running) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const result = await catchUpYielding(projector, { rows: 3, sliceMs: 0 });
    running = false;
    expect(result.timelineRows).toBe(backlog);
    expect(result.batches).toBeGreaterThanOrEqual(Math.ceil(backlog / 3));
    expect(turns).toBeGreaterThanOrEqual(result.batches - 1);
    expect(facts(store)).toEqual(facts(whole.store));
    await Promise.all([store.close(), whole.store.close()]);
  });

  it("ends where the log stood when it began: what is committed meanwhile is left to the next pass", async () => {
    const half = Math.floor(events.length / 2);
    const { store, engine, clock } = await applied("chasing", half);
    const projector = new ReportProjector(
      store.facts,
      zonesOf(() => world),
    );
    const before = projector.heads();
    // The rest of the events arrive while the catch-up is under way, a row a batch.
    clock.now = events[events.length - 1]!.at;
    const rest = engine.ingest(events.slice(half));
    const result = await catchUpYielding(projector, { rows: 1, sliceMs: 0 });
    const atEnd = projector.heads();
    await rest;
    expect(before.timeline).toBeGreaterThan(10);
    expect(atEnd.timeline).toBeGreaterThan(before.timeline);
    expect(result.timelineRows).toBe(before.timeline);
    expect(projector.cursor("timeline")).toBe(before.timeline);
    await store.close();
  });
});

describe("the rows of a background batch on the loop", () => {
  it("stays small while batches reach the end, grows once a backlog outlasts a few, and shrinks again", () => {
    const sizer = new BacklogRows({ small: 30, large: 100, afterBatches: 8 });
    const seen: number[] = [];
    const run = (mores: boolean[]) => {
      for (const more of mores) {
        seen.push(sizer.rows);
        sizer.saw(more);
      }
    };
    // A short backlog (under 8 batches) is folded in small batches throughout.
    run([true, true, true, false]);
    // A lasting one: 8 small batches, then large ones until a batch reaches the end.
    run([...Array.from({ length: 11 }, () => true), false]);
    run([false]);
    expect(seen).toEqual([30, 30, 30, 30, ...Array.from({ length: 8 }, () => 30), 100, 100, 100, 100, 30]);
  });
});
