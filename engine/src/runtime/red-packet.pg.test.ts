/**
 * A red packet under contention on PostgreSQL: three workers (each its own store, pool and engine, as
 * three sidecar processes have) take a crowd opening the same packet at once. The packet's total is
 * paid exactly, over exactly its number of claims, each at least the minimum, once per person; the
 * rest are refused as `claimed`.
 */
import { readFileSync } from "node:fs";
import { compileJourney, EventId, JourneyId, parseUntrustedJson, UserId } from "@lifeloop/shared";
import { expect, it } from "vitest";
import { type CoreEvent, World } from "../core/index.ts";
import { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { DurableEngine } from "./durable.ts";

const TOTAL = 100_000; // ¥1,000.00
const CLAIMS = 40;
const MIN = 100; // ¥1.00
const PEOPLE = 150;

/** The red-packet sample with a bigger packet: ¥1,000.00 over 40 claims of at least ¥1.00. */
function packetJourney() {
  // A sample journey file is an object with a list of nodes; the reward's packet is replaced.
  const doc = parseUntrustedJson(
    readFileSync(new URL("../../../samples/journeys/red-packet.json", import.meta.url), "utf8"),
  ) as { nodes: Array<{ kind: string; params: { reward: Record<string, unknown> } }> };
  for (const n of doc.nodes)
    if (n.kind === "reward") n.params.reward = { ...n.params.reward, total: TOTAL, count: CLAIMS, min: MIN };
  const r = compileJourney(doc);
  if (!r.executable) throw new Error(JSON.stringify(r.issues));
  return r.executable;
}

const executable = packetJourney();
const world = () =>
  new World([
    {
      journeyId: JourneyId.parse(executable.journeyId),
      status: "live" as const,
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep" as const, executable }],
    },
  ]);

/** 150 people open the packet within a minute and a half; ten of them open it twice. */
function crowd(): CoreEvent[] {
  const start = Date.parse("2026-11-01T02:00:00Z");
  const opens = Array.from(
    { length: PEOPLE },
    (_, i): CoreEvent => ({
      id: EventId.parse(`open-${i}`),
      userId: UserId.parse(`p${i}`),
      type: "red_packet_opened",
      at: start + i * 500,
      props: {},
    }),
  );
  const again = Array.from(
    { length: 10 },
    (_, i): CoreEvent => ({
      id: EventId.parse(`again-${i}`),
      userId: UserId.parse(`p${i * 7}`),
      type: "red_packet_opened",
      at: start + PEOPLE * 500 + i * 500,
      props: {},
    }),
  );
  return [...opens, ...again];
}

describePostgres("a red packet opened from three workers on PostgreSQL", (db) => {
  it("pays its total exactly over its claims, each at least the minimum and once a person", async () => {
    const stores = await Promise.all([0, 1, 2].map(() => PgStore.open({ url: db() })));
    const engines = stores.map((s) => new DurableEngine(s, world(), { now: () => Date.parse("2026-11-02T00:00:00Z") }));
    try {
      const events = crowd();
      // Each worker takes every third event, in batches of 5 sent all at once, the three workers together.
      await Promise.all(
        engines.map(async (engine, w) => {
          const mine = events.filter((_, i) => i % 3 === w);
          const batches = Array.from({ length: Math.ceil(mine.length / 5) }, (_, i) => mine.slice(i * 5, i * 5 + 5));
          await Promise.all(batches.map((b) => engine.ingest(b)));
        }),
      );
      const q = async (sql: string) => (await stores[0]!.pool.query(sql)).rows;
      const grants = await q("SELECT user_id AS u, amount::int AS amount FROM ledger WHERE entry = 'grant'");
      expect(grants).toHaveLength(CLAIMS);
      expect(grants.reduce((sum, g) => sum + g.amount, 0)).toBe(TOTAL);
      expect(grants.every((g) => g.amount >= MIN)).toBe(true);
      expect(new Set(grants.map((g) => g.u)).size).toBe(CLAIMS);
      // Every open was applied: what was not paid was refused, the packet's claims all taken, or the
      // person's one claim already made (a step's timeline record is a list of what it did).
      const refused = await q(
        "SELECT e->>'reason' AS reason, count(*)::int AS n FROM timeline, jsonb_array_elements(record::jsonb) e " +
          "WHERE e->>'kind' = 'refuse' GROUP BY 1 ORDER BY 1",
      );
      // A second open by someone paid meets the once-a-person cap, or the empty packet if that came first
      // (which worker got there first decides); everyone else meets the empty packet.
      const paid = new Set(grants.map((g) => g.u));
      const twiceAndPaid = Array.from({ length: 10 }, (_, i) => `p${i * 7}`).filter((u) => paid.has(u)).length;
      const n = (reason: string) => refused.find((r) => r.reason === reason)?.n ?? 0;
      expect(refused.every((r) => r.reason === "claimed" || r.reason === "cap")).toBe(true);
      expect(n("claimed") + n("cap")).toBe(PEOPLE + 10 - CLAIMS);
      expect(n("cap")).toBeLessThanOrEqual(twiceAndPaid);
      expect(n("claimed")).toBeGreaterThanOrEqual(PEOPLE + 10 - CLAIMS - twiceAndPaid);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 120_000);
});
