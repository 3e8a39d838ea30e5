import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSidecar, type Sidecar } from "../server/sidecar.ts";
import type { SqliteStore } from "../store/sqlite/store.ts";

/**
 * Many clients at once, some of them sending garbage: impossible dates, an `at` in year 9999,
 * a day too far ahead. Requests that arrive together share a group commit; a bad one must be
 * refused alone (400 naming its field) and never cost the others their 202 — before the fix one
 * impossible date failed 60 of 150 valid events from other clients in five rounds.
 */
const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const NOW = Date.parse("2026-11-06T12:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "lifeloop-isolation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one client's bad input never fails another's", () => {
  let s: Sidecar;
  beforeAll(async () => {
    s = await startSidecar({
      db: join(dir, "engine.sqlite"),
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      journeyFiles: [join(SAMPLES, "invite-reward.json"), join(SAMPLES, "tiered-rebate.json")],
    });
  });
  afterAll(() => s.close());

  it(
    "refuses the bad batches alone while every valid event of five concurrent rounds is acknowledged, stored " +
      "once and applied without failure",
    async () => {
      const BAD = [
        "2026-13-01T00:00:00Z",
        "2026-01-01T25:00:00+08:00",
        "2026-02-30T00:00:00Z",
        "9999-12-31T23:59:59+14:00",
        new Date(NOW + 2 * 86_400_000).toISOString(),
      ];
      const post = (body: unknown) =>
        fetch(`${s.url}/v1/events?wait=applied`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const sent: string[] = [];
      let refused = 0;
      const started = performance.now();
      for (let round = 0; round < 5; round++) {
        const good = Array.from({ length: 15 }, (_, c) =>
          Array.from({ length: 10 }, (_, i) => {
            const id = `iso-${round}-${c}-${i}`;
            sent.push(id);
            return {
              id,
              userId: `client${c}-u${i}`,
              type: "transaction",
              at: new Date(NOW - 3_600_000 + round * 60_000 + i).toISOString(),
              props: { amount: 50_000 + i },
            };
          }),
        );
        const bad = BAD.map((at, b) => [
          {
            id: `bad-${round}-${b}-ok`,
            userId: "mallory",
            type: "transaction",
            at: new Date(NOW).toISOString(),
            props: { amount: 1 },
          },
          { id: `bad-${round}-${b}`, userId: "mallory", type: "transaction", at, props: { amount: 1 } },
        ]);
        // Interleaved so they land in the same group commits.
        const requests = [
          ...good.map((b) => ({ ok: true, r: post(b) })),
          ...bad.map((b) => ({ ok: false, r: post(b) })),
        ].sort((a, b) => (a.ok === b.ok ? 0 : a.ok ? 1 : -1));
        const answers = await Promise.all(requests.map(async ({ ok, r }) => ({ ok, res: await r })));
        for (const { ok, res } of answers) {
          if (ok) {
            expect(res.status).toBe(202);
            expect(await res.json()).toEqual({ accepted: 10, duplicates: 0, failed: 0, applied: true });
          } else {
            expect(res.status).toBe(400);
            const body = (await res.json()) as { error: { issues: Array<{ path: string }> } };
            expect(body.error.issues.map((i) => i.path)).toEqual(["$[1].at"]);
            refused++;
          }
        }
      }
      const db = (s.store as SqliteStore).db;
      const stored = db.prepare("SELECT id FROM events ORDER BY id").pluck().all() as string[];
      expect(stored).toEqual([...sent].sort());
      expect(db.prepare("SELECT count(*) FROM events WHERE status = 'failed'").pluck().get()).toBe(0);
      // Nobody's clock moved to year 9999: mallory has no state at all (none of her batches was stored).
      expect((await fetch(`${s.url}/v1/users/mallory`)).status).toBe(404);
      expect(refused).toBe(25);
      console.log(
        `isolation: ${sent.length} valid events from 75 requests all acknowledged beside ${refused} refused ` +
          `batches, ${(performance.now() - started).toFixed(0)} ms`,
      );
    },
  );
});
