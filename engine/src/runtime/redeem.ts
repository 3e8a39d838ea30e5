import type { UserId } from "@lifeloop/shared";
import type { Effect, UserState } from "../core/index.ts";
import { balanceOf } from "../core/wallet.ts";
import type { GrantRow, Store } from "../store/port.ts";
import { applyBatch, type BatchContext } from "./applier.ts";
import { spendKey } from "./wallet-ledger.ts";

export interface RedeemRequest {
  key: string;
  userId: UserId;
  points: number;
  item: string;
}

export type RedeemOutcome =
  /** Spent now, or (replayed) by the first request with this key. `balance`: the person's now. */
  | { status: "redeemed"; replayed: boolean; at: number; balance: number; effects: Effect[] }
  /** Nothing spent: the balance is short. A refusal uses up no key: a retry is decided afresh. */
  | { status: "refused"; balance: number; detail: string; effects: Effect[] }
  /** The key already spent points for another person, item or amount: this request is not that one. */
  | { status: "key_reused"; first: GrantRow }
  /** The step could not be applied (a rule of a due wait failed on this person's data): nothing spent. */
  | { status: "failed"; reason: string };

/** Thrown to roll a redeem back when another person's spend took its key first (see redeem()). */
class KeyTaken extends Error {
  constructor(readonly first: GrantRow) {
    super(`redeem key already spent for ${first.userId}`);
  }
}

const sameRequest = (row: GrantRow, r: RedeemRequest) =>
  row.userId === r.userId && row.amount === r.points && row.code === r.item;

/**
 * Spends points in one transaction, exactly once per key. The person is locked first (PostgreSQL:
 * their advisory lock, the one every applier and timer batch takes), so concurrent redeems and
 * the person's own events take turns, whichever worker serves them; under the lock, a key already
 * in the ledger answers its first spend. The spend itself is the core's (a `redeem` input at
 * `ctx.now`, stepped and written by applyBatch like any other: state, ledger row, timeline).
 * Two people's redeems with one key do not share a lock: the ledger's unique key lets one in, and
 * the other, finding the row not its own, rolls back.
 */
export async function redeem(store: Store, r: RedeemRequest, ctx: BatchContext): Promise<RedeemOutcome> {
  try {
    return await store.transaction(async (tx): Promise<RedeemOutcome> => {
      await tx.lockUsers([r.userId]);
      const first = await tx.ledgerEntry(spendKey(r.key));
      if (first) {
        if (!sameRequest(first, r)) return { status: "key_reused", first };
        const text = (await tx.loadStates([r.userId])).get(r.userId);
        const state = text === undefined ? null : (JSON.parse(text) as UserState);
        return { status: "redeemed", replayed: true, at: first.at, balance: balanceOf(state?.wallet), effects: [] };
      }
      // Someone the engine has never seen has no points: refused, and no state is made up for them.
      if (!(await tx.loadStates([r.userId])).has(r.userId))
        return {
          status: "refused",
          balance: 0,
          detail: `${r.item} costs ${r.points} points; the balance is 0`,
          effects: [],
        };
      const input = { type: "redeem" as const, at: ctx.now, key: r.key, points: r.points, item: r.item };
      const out = await applyBatch(tx, [{ userId: r.userId, input }], ctx);
      const failure = out.failures[0];
      if (failure) return { status: "failed", reason: failure.reason };
      const answer = out.effects.find(
        (e): e is Extract<Effect, { kind: "spend" | "spend_refused" }> =>
          (e.kind === "spend" || e.kind === "spend_refused") && e.key === r.key,
      );
      if (!answer) throw new Error(`redeem ${r.key}: the step answered neither a spend nor a refusal`);
      if (answer.kind === "spend_refused")
        return { status: "refused", balance: answer.balance, detail: answer.detail, effects: out.effects };
      const written = await tx.ledgerEntry(spendKey(r.key));
      if (!written) throw new Error(`redeem ${r.key}: the spend's ledger row is missing`);
      if (written.userId !== r.userId) throw new KeyTaken(written);
      return { status: "redeemed", replayed: false, at: answer.at, balance: answer.balance, effects: out.effects };
    });
  } catch (e) {
    if (e instanceof KeyTaken) return { status: "key_reused", first: e.first };
    throw e;
  }
}
