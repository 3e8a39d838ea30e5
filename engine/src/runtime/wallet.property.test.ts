/**
 * The wallet's invariants under random grants, redeems and expiries: after every operation the
 * balance is never negative, the ledger's sum (granted − spent − expired) equals the wallet in the
 * person's state, and both equal an independent model of FIFO lots with their expiries — which
 * also predicts every redeem's answer (spent, refused, replayed, key reused).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventId, UserId } from "@lifeloop/shared";
import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";
import { World, type Effect } from "../core/index.ts";
import { balanceOf } from "../core/wallet.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { executableOf } from "../testing/world.ts";
import { DurableEngine } from "./durable.ts";

const HOUR = 3_600_000;
/** Shanghai is UTC+8 all year: the model computes local days by shifting, not with the engine's helpers. */
const SH_OFFSET = 8 * HOUR;

type Expires = { after: number; unit: "day" | "month" } | null;
const EARNERS: Record<string, Expires> = {
  earn_short: { after: 2, unit: "day" },
  earn_month: { after: 1, unit: "month" },
  earn_keep: null,
};

/** One journey per earner: its event → random 1–400 points (drawn from the grant key) → exit, entered every time. */
function earner(event: string, expires: Expires) {
  return journey({
    id: event.replace("_", "-"),
    entry: { reentry: "always" },
    nodes: [
      trigger("start", event),
      node("gift", "reward", { reward: { type: "random", min: 1, max: 400 }, ...(expires ? { expires } : {}) }),
      exitNode("end"),
    ],
    edges: [edge("start", "gift"), edge("gift", "end")],
  });
}

const world = () =>
  new World(
    Object.entries(EARNERS).map(([event, expires]) => {
      const executable = executableOf(earner(event, expires));
      return {
        journeyId: executable.journeyId,
        status: "live" as const,
        liveVersion: 1,
        versions: [{ version: 1, inFlight: "keep" as const, executable }],
      };
    }),
  );

/** The end of the local day `after` days or months after `at` in Shanghai, by plain UTC arithmetic. */
function modelExpiry(at: number, e: NonNullable<Expires>): number {
  const local = new Date(at + SH_OFFSET);
  const [y, m, d] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  if (e.unit === "day") return Date.UTC(y, m, d + e.after + 1) - SH_OFFSET;
  const lastDay = new Date(Date.UTC(y, m + e.after + 1, 0)).getUTCDate();
  return Date.UTC(y, m + e.after, Math.min(d, lastDay) + 1) - SH_OFFSET;
}

type Op =
  | { op: "earn"; event: keyof typeof EARNERS }
  | { op: "redeem"; key: string; points: number }
  | { op: "wait"; hours: number }
  /** The previous redeem again, as a client retries after a lost answer. */
  | { op: "retry" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("earn" as const), event: fc.constantFrom(...Object.keys(EARNERS)) }),
  fc.record({
    op: fc.constant("redeem" as const),
    key: fc.integer({ min: 0, max: 2 }).map((k) => `k${k}`),
    points: fc.integer({ min: 1, max: 600 }),
  }),
  fc.record({ op: fc.constant("wait" as const), hours: fc.integer({ min: 1, max: 24 * 20 }) }),
  fc.constant({ op: "retry" as const }),
);

interface ModelLot {
  key: string;
  left: number;
  expiresAt: number | null;
}

describe("the wallet under random grants, redeems and expiries", () => {
  it("is never negative and always equals the ledger's sum and an independent model", async () => {
    let runs = 0;
    // What the runs covered, so a generator that stopped reaching a case fails here, not silently.
    const seen = { expired: 0, refused: 0, replayed: 0, reused: 0, spent: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        const store = new SqliteStore({ path: ":memory:" });
        const clock = { now: Date.parse("2026-01-30T20:00:00Z") };
        const grants: Array<Extract<Effect, { kind: "reward" }>> = [];
        const engine = new DurableEngine(
          store,
          world(),
          { now: () => clock.now },
          {
            onCommit: (i) =>
              grants.push(...i.effects.filter((e): e is Extract<Effect, { kind: "reward" }> => e.kind === "reward")),
          },
        );
        const u1 = UserId.parse("u1");
        let lots: ModelLot[] = [];
        const spentKeys = new Map<string, number>();
        const modelBalance = () => lots.reduce((a, l) => a + l.left, 0);
        const expireModel = (t: number) => {
          lots = lots.filter((l) => l.expiresAt === null || l.expiresAt > t);
        };
        try {
          let previous: Extract<Op, { op: "redeem" }> | null = null;
          for (const [i, next] of ops.entries()) {
            const op: Exclude<Op, { op: "retry" }> | null = next.op === "retry" ? previous : next;
            if (op === null) continue;
            if (op.op === "redeem") previous = op;
            if (op.op === "wait") {
              clock.now += op.hours * HOUR;
              await engine.runDueTimers();
              expireModel(clock.now);
            } else if (op.op === "earn") {
              expireModel(clock.now);
              const before = grants.length;
              await engine.ingest([
                { id: EventId.parse(`e${i}`), userId: u1, type: op.event, at: clock.now, props: {} },
              ]);
              const granted = grants.slice(before);
              expect(granted).toHaveLength(1);
              const g = granted[0]!;
              const expires = EARNERS[op.event]!;
              lots.push({
                key: g.grantKey,
                left: g.reward.amount!,
                expiresAt: expires ? modelExpiry(g.at, expires) : null,
              });
            } else {
              expireModel(clock.now);
              const out = await engine.redeem({ key: op.key, userId: u1, points: op.points, item: "item" });
              const first = spentKeys.get(op.key);
              if (out.status === "refused") seen.refused++;
              if (out.status === "key_reused") seen.reused++;
              if (out.status === "redeemed") seen[out.replayed ? "replayed" : "spent"]++;
              if (first !== undefined) {
                expect(out.status).toBe(first === op.points ? "redeemed" : "key_reused");
                if (out.status === "redeemed") expect(out.replayed).toBe(true);
              } else if (op.points > modelBalance()) {
                expect(out).toMatchObject({ status: "refused", balance: modelBalance() });
              } else {
                let need = op.points;
                for (const lot of lots) {
                  const take = Math.min(need, lot.left);
                  lot.left -= take;
                  need -= take;
                }
                lots = lots.filter((l) => l.left > 0);
                spentKeys.set(op.key, op.points);
                expect(out).toMatchObject({ status: "redeemed", replayed: false, balance: modelBalance() });
              }
            }
            // The invariants, after every operation.
            const totals = await store.walletTotals(u1);
            const ledgerBalance = totals.granted - totals.spent - totals.expired;
            const state = await store.userState(u1);
            expect(ledgerBalance).toBeGreaterThanOrEqual(0);
            expect(state === null ? 0 : balanceOf(state.wallet)).toBe(ledgerBalance);
            // The model expires at the operation's time; the engine only when the person steps.
            // A wait steps them through its timer, so after every operation both have caught up.
            expect(ledgerBalance).toBe(modelBalance());
            expect(
              (state?.wallet?.lots ?? []).map((l) => [l.key, l.left, l.expiresAt]),
              "the lots, oldest first",
            ).toEqual(lots.map((l) => [l.key, l.left, l.expiresAt]));
          }
          seen.expired += (await store.walletTotals(u1)).expired > 0 ? 1 : 0;
        } finally {
          await store.close();
        }
        runs++;
      }),
      { numRuns: 40, seed: 0x3a11e7 },
    );
    expect(runs).toBe(40);
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
  }, 120_000);
});
