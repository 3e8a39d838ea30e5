import { UserId } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { newUserState, World } from "../core/index.ts";
import { balanceOf } from "../core/wallet.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { DurableEngine } from "./durable.ts";

describe("a person stored before wallets existed", () => {
  it("gets the wallet their ledger says they have, the first time a step touches them", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const u1 = UserId.parse("u1");
    try {
      // As an older engine left them: a state without `wallet` (a profile attribute of that name is not
      // one), two points grants and a coupon.
      const { wallet: _dropped, ...legacy } = newUserState(u1);
      store.db
        .prepare("INSERT INTO users (user_id, state, updated_at) VALUES (?, ?, 0)")
        .run(u1, JSON.stringify({ ...legacy, profile: { wallet: { lots: [] } } }));
      const grant = store.db.prepare(
        "INSERT INTO ledger (grant_key, user_id, journey_id, version, node_id, type, amount, code, unit, at) " +
          "VALUES (?, 'u1', 'old', 1, ?, ?, ?, ?, ?, ?)",
      );
      grant.run("old@1/a/u1/1", "a", "points", 300, null, "points", 1000);
      grant.run("old@1/c/u1/1", "c", "coupon", 2000, "C1", "CNY", 1500);
      grant.run("old@1/b/u1/1", "b", "points", 200, null, "points", 2000);
      const engine = new DurableEngine(store, new World([]), { now: () => 5000 });
      expect(await engine.redeem({ key: "k", userId: u1, points: 350, item: "fee_waiver" })).toMatchObject({
        status: "redeemed",
        balance: 150,
      });
      const state = await store.userState(u1);
      // Oldest first: all of the 300, then 50 of the 200; the coupon is not points.
      expect(state!.wallet!.lots.map((l) => [l.key, l.left, l.expiresAt])).toEqual([["old@1/b/u1/1", 150, null]]);
      expect(balanceOf(state!.wallet)).toBe(150);
      expect(await store.walletTotals(u1)).toEqual({ granted: 500, spent: 350, expired: 0 });
    } finally {
      await store.close();
    }
  });
});
