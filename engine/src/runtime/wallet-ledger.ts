import { NodeId, type UserId } from "@lifeloop/shared";
import type { Effect, UserState } from "../core/index.ts";
import type { GrantRow, StoreTx } from "../store/port.ts";

/**
 * The points wallet's ledger entries. A grant in points is the reward's own ledger row (entry
 * "grant"); a spend and an expiry are rows of their own, written with the state change that caused
 * them, in the same transaction: the wallet in a person's state and their ledger rows never part.
 * Their keys say what they are, so they never collide with a grant's key or with each other: a
 * redeem key is spent once, a grant expires once.
 */
export const spendKey = (redeemKey: string) => `spend:${redeemKey}`;
const expireKey = (grantKey: string) => `expire:${grantKey}`;

/** The ledger row a spend or an expiry writes. */
export function walletLedgerRow(e: Extract<Effect, { kind: "spend" | "expire" }>, userId: UserId): GrantRow {
  const common = { userId, type: "points", unit: "points", budgetId: null, at: e.at };
  if (e.kind === "spend")
    return {
      ...common,
      grantKey: spendKey(e.key),
      entry: "spend",
      journeyId: "",
      version: 0,
      nodeId: "",
      amount: e.points,
      code: e.item,
    };
  // The lot's key is its grant's, journey@version/node/person/entry[/visit] (core/kinds/reward.ts);
  // ids have no "/" in them (shared's ID_PATTERN).
  const node = NodeId.safeParse(/^[^/]*\/([^/]*)\//.exec(e.lot)?.[1]);
  const nodeId = node.success ? node.data : "";
  return {
    ...common,
    grantKey: expireKey(e.lot),
    entry: "expire",
    journeyId: e.journeyId,
    version: e.version,
    nodeId,
    amount: e.points,
    code: null,
  };
}

/**
 * Whether a stored state has its wallet, without parsing it: `wallet` is the state's last key
 * (newUserState puts it last, seeding adds it last), and a lot holds no braces of its own; the
 * next notice's time, when there is one, follows the lots.
 */
const HAS_WALLET = /^"wallet":\{"lots":\[(\{[^{}]*\},?)*\](,"noticeAt":\d+)?\}\}$/;
function hasWallet(text: string): boolean {
  const at = text.lastIndexOf('"wallet":{"lots":[');
  return at >= 0 && HAS_WALLET.test(text.slice(at));
}

/**
 * Gives states stored before wallets existed the wallet their ledger says they have: one lot per
 * points grant, oldest first, never expiring (those grants were made without an expiry), less
 * what was spent and expired since. Only states without a wallet are read (a cheap text check
 * first: almost every stored state has one).
 */
export async function seedWallets(tx: StoreTx, stored: Map<UserId, string>): Promise<void> {
  const legacy = new Map<UserId, UserState>();
  for (const [userId, text] of stored) {
    if (hasWallet(text)) continue;
    const state = JSON.parse(text) as UserState;
    if (state.wallet === undefined) legacy.set(userId, state);
  }
  if (legacy.size === 0) return;
  const rows = await tx.pointsLedger([...legacy.keys()]);
  for (const [userId, state] of legacy) {
    const lots = [];
    let used = 0;
    for (const r of rows) {
      if (r.userId !== userId) continue;
      // A grant always names its journey and node ("" is a spend's).
      if (r.entry === "grant" && r.journeyId !== "" && r.nodeId !== "")
        lots.push({
          key: r.grantKey,
          journeyId: r.journeyId,
          version: r.version,
          nodeId: r.nodeId,
          at: r.at,
          points: r.amount,
          left: r.amount,
          expiresAt: null,
        });
      else used += r.amount;
    }
    for (const lot of lots) {
      const take = Math.min(lot.left, used);
      lot.left -= take;
      used -= take;
    }
    state.wallet = { lots: lots.filter((l) => l.left > 0) };
    stored.set(userId, JSON.stringify(state));
  }
}
