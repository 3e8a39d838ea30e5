import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { promtool, promtoolProblems } from "../testing/promtool.ts";
import { startSidecar } from "./sidecar.ts";

/** The sidecar's routes over real HTTP with its store on PostgreSQL (selected by the URL alone). */
const SAMPLES = fileURLToPath(new URL("../../../samples/journeys/", import.meta.url));
// The engine's clock, injected: "this month" is November 2026 whatever day the suite runs on.
const NOW = Date.parse("2026-11-06T12:00:00Z");
const base = {
  host: "127.0.0.1",
  port: 0,
  feedIntervalMs: 60_000,
  timerIntervalMs: 60_000,
  outboxIntervalMs: 60_000,
  log: () => {},
  now: () => NOW,
};
const invite = (i: number, userId = "u1") => ({
  id: `inv-${i}`,
  userId,
  type: "invite_accepted",
  at: `2026-11-06T0${i % 10}:00:00Z`,
  props: { inviteeId: `f${i}` },
});

describePostgres("sidecar on PostgreSQL", (db) => {
  it("ingests idempotently and serves a person, the ledger, the messages and the metrics from PostgreSQL", async () => {
    // The injected clock: aggregates are read "now", and the events are in November 2026.
    const s = await startSidecar({
      ...base,
      db: db(),
      journeyFiles: [join(SAMPLES, "invite-reward.json"), join(SAMPLES, "tiered-rebate.json")],
    });
    try {
      expect(s.store.kind).toBe("postgres");
      const post = (body: unknown) =>
        fetch(`${s.url}/v1/events?wait=applied`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect(await (await post([invite(1), invite(2)])).json()).toEqual({
        accepted: 2,
        duplicates: 0,
        failed: 0,
        applied: true,
      });
      expect(await (await post({ events: [invite(2), invite(3)] })).json()).toEqual({
        accepted: 1,
        duplicates: 1,
        failed: 0,
        applied: true,
      });
      await post({
        id: "t1",
        userId: "rich",
        type: "transaction",
        at: "2026-11-04T02:00:00Z",
        props: { amount: 500000 },
      });
      // PostgreSQL cannot keep U+0000 in text or jsonb: refused up front with where, not a failed insert.
      const nul = await post({
        id: "nul",
        userId: "u1",
        type: "transaction",
        at: "2026-11-04T02:00:00Z",
        props: { note: "a\u0000b" },
      });
      expect(nul.status).toBe(400);
      expect(
        ((await nul.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path),
      ).toEqual(["$.props.note"]);

      const user = (await (await fetch(`${s.url}/v1/users/rich`)).json()) as {
        aggregates: Record<string, number>;
        timeline: Array<Record<string, unknown>>;
      };
      expect(user.aggregates["sum:transaction:amount:month"]).toBe(500000);
      expect(user.timeline.find((t) => t.kind === "decide")).toMatchObject({ nodeId: "tier", handle: "else" });
      expect((await fetch(`${s.url}/v1/users/nobody`)).status).toBe(404);

      const ledger = (await (await fetch(`${s.url}/v1/ledger?userId=u1&limit=2`)).json()) as {
        grants: Array<{ seq: number; amount: number; at: string; grantKey: string }>;
        next: number | null;
      };
      expect(ledger.grants).toHaveLength(2);
      expect(ledger.grants[0]).toMatchObject({
        amount: 500,
        at: "2026-11-06T01:00:00.000Z",
        userId: "u1",
        journeyId: "invite-reward",
      });
      expect(typeof ledger.grants[0]!.seq).toBe("number");
      const page2 = (await (await fetch(`${s.url}/v1/ledger?userId=u1&after=${ledger.next}`)).json()) as {
        grants: unknown[];
      };
      expect(page2.grants).toHaveLength(1);

      await s.pump();
      const delivered = (await (await fetch(`${s.url}/v1/messages?kind=reward&status=delivered`)).json()) as {
        messages: Array<{ key: string; attempts: number; effect: { kind: string } }>;
      };
      expect(delivered.messages.map((m) => m.key).sort()).toEqual([
        "reward:invite-reward@1/bonus/u1/1",
        "reward:invite-reward@1/bonus/u1/2",
        "reward:invite-reward@1/bonus/u1/3",
      ]);
      expect(delivered.messages.every((m) => m.attempts === 1 && m.effect.kind === "reward")).toBe(true);
      // The delivery state as GET /v1/messages shows it: nothing left to try for a delivered one.
      expect(delivered.messages[0]).toMatchObject({
        status: "delivered",
        nextAttemptAt: null,
        retryUntil: null,
        lastError: null,
        redrivenAt: null,
        createdAt: "2026-11-06T12:00:00.000Z",
        deliveredAt: "2026-11-06T12:00:00.000Z",
      });

      // Reports and the stats overlay on PostgreSQL too (the same answers as SQLite: report/routes.test.ts).
      const report = await fetch(`${s.url}/v1/journeys/invite-reward/report`);
      expect(report.status).toBe(200);
      const body = (await report.json()) as { totals: { entered: number }; spend: { total: Record<string, number> } };
      const stats = await fetch(`${s.url}/v1/journeys/invite-reward/stats`);
      expect(stats.status).toBe(200);
      const overlay = (await stats.json()) as { entered: number };
      expect(body.totals.entered).toBe(3);
      expect(overlay.entered).toBe(3);
      expect(body.spend.total).toEqual({ points: 1500 });

      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toMatch(/lifeloop_events_ingested_total 4/);
      expect(metrics).toMatch(/lifeloop_outbox_depth\{status="delivered"\} \d+/);
      expect(metrics).toMatch(/^lifeloop_transaction_retries_total 0$/m);
      if (promtool.available) expect(promtoolProblems(metrics)).toEqual([]);
      // The store counts its own retries (a deadlock or serialization failure here would need a race
      // the test cannot schedule); the counter catches up with that count at each scrape, and only rises.
      (s.store as PgStore).retries += 2;
      expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/^lifeloop_transaction_retries_total 2$/m);
      expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/^lifeloop_transaction_retries_total 2$/m);
      (s.store as PgStore).retries += 1;
      expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/^lifeloop_transaction_retries_total 3$/m);
    } finally {
      await s.close();
    }
  });
});
