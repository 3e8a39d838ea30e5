import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { EventLogPage } from "@lifeloop/shared";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { checkedFetch } from "../testing/contract.ts";
import { startSidecar } from "./sidecar.ts";

/** GET /v1/events/log on PostgreSQL: the (xid, seq) order the appliers use, paged by an (xid, seq) cursor. */
const fetch = checkedFetch();
const SAMPLES = fileURLToPath(new URL("../../../samples/journeys/", import.meta.url));
const NOW = Date.parse("2026-11-20T12:00:00Z");
const invite = (i: number) => ({
  id: `inv-${i}`,
  userId: `u${i % 4}`,
  type: "invite_accepted",
  at: new Date(Date.parse("2026-11-10T00:00:00Z") + i * 3_600_000).toISOString(),
  props: { inviteeId: `f${i}` },
});

describePostgres("event log on PostgreSQL", (db) => {
  it("answers a window's events in the order they were appended, a page at a time", async () => {
    const s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      db: db(),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
    });
    try {
      // Three requests, three appending transactions; the last carries the earliest events.
      const batches = [
        [invite(5), invite(6), invite(7)],
        [invite(8), invite(9)],
        [invite(0), invite(1), invite(2)],
      ];
      for (const b of batches) {
        const res = await fetch(`${s.url}/v1/events?wait=applied`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(b),
        });
        expect(res.status).toBe(202);
      }
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const res = await fetch(
          `${s.url}/v1/events/log?since=2026-11-10T00:00:00Z&until=2026-11-10T09:00:00Z&limit=3` +
            (after ? `&after=${after}` : ""),
        );
        expect(res.status).toBe(200);
        const page = (await res.json()) as EventLogPage;
        ids.push(...page.events.map((e) => e.id));
        after = page.next;
      } while (after !== null);
      // inv-9 is at 09:00, outside the window; the rest in the order they were sent.
      expect(ids).toEqual(["inv-5", "inv-6", "inv-7", "inv-8", "inv-0", "inv-1", "inv-2"]);
    } finally {
      await s.close();
    }
  });
});
