/**
 * A real engine sidecar whose people have points, for the redemption catalog's tests: one journey
 * gives 500 points (never expiring) to whoever registers, and `grant` sends those registrations and
 * waits until they are applied. The clock is the test's.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";

export const GIFT_POINTS = 500;

const giftJourney = journey({
  id: "signup-points",
  nodes: [
    trigger("start", "registered"),
    node("gift", "reward", { reward: { type: "points", amount: GIFT_POINTS }, cap: { count: 1, period: "lifetime" } }),
    exitNode("end"),
  ],
  edges: [edge("start", "gift"), edge("gift", "end")],
});

export interface PointsEngine {
  sidecar: Sidecar;
  /** Registers each person an hour before `now`: GIFT_POINTS each. */
  grant(userIds: readonly string[]): Promise<void>;
  balance(userId: string): Promise<number>;
  /** The engine's ledger rows of spends (entry "spend"), all people. */
  spends(): Promise<Array<{ userId: string; amount: number; code: string; grantKey: string }>>;
}

export async function startPointsEngine(dir: string, db: string, now: () => number): Promise<PointsEngine> {
  const file = join(dir, "signup-points.json");
  writeFileSync(file, JSON.stringify(giftJourney));
  const sidecar = await startSidecar({
    db,
    host: "127.0.0.1",
    port: 0,
    journeyFiles: [file],
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    now,
    log: () => {},
  });
  return {
    sidecar,
    async grant(userIds) {
      const at = new Date(now() - 3_600_000).toISOString();
      const events = userIds.map((u) => ({ id: `reg-${u}`, userId: u, type: "registered", at, props: {} }));
      const res = await fetch(`${sidecar.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(events),
      });
      if (res.status !== 202) throw new Error(`the engine took no events: ${res.status} ${await res.text()}`);
    },
    async balance(userId) {
      const res = await fetch(`${sidecar.url}/v1/wallet/${userId}`);
      return ((await res.json()) as { balance: number }).balance;
    },
    async spends() {
      const out: Array<{ userId: string; amount: number; code: string; grantKey: string }> = [];
      let after: number | null = null;
      for (;;) {
        const q: string = after === null ? "" : `&after=${after}`;
        const res = await fetch(`${sidecar.url}/v1/ledger?limit=1000${q}`);
        const page = (await res.json()) as {
          grants: Array<{ userId: string; amount: number; code: string; grantKey: string; entry: string }>;
          next: number | null;
        };
        out.push(...page.grants.filter((r) => r.entry === "spend"));
        if (page.next === null) return out;
        after = page.next;
      }
    },
  };
}
