/**
 * The points wallet's routes: GET /v1/wallet/{userId} (balance, lots, next expiry) and POST
 * /v1/wallet/redeem (spend points, exactly once per key). The balance is the ledger's sum; the
 * lots are the person's state, written in the same transactions as the ledger rows.
 */
import {
  DISCARD_BODY_BYTES,
  InputError,
  parseUntrustedJson,
  RedeemRequest,
  toJsonPath,
  UserId,
  type RedeemRefused,
  type Redeemed,
  type WalletView,
} from "@lifeloop/shared";
import type { Hono } from "hono";
import type { UserState } from "../core/index.ts";
import { nextExpiry } from "../core/wallet.ts";
import type { DurableEngine } from "../runtime/durable.ts";
import type { SidecarStore } from "../store/port.ts";
import { readRequestBody } from "./body.ts";

const MAX_BODY = 4 * 1024;
const iso = (ms: number) => new Date(ms).toISOString();

/** A person's wallet as the routes show it: totals from the ledger, lots from their state. */
export async function walletView(store: SidecarStore, userId: UserId, state: UserState | null): Promise<WalletView> {
  const totals = await store.walletTotals(userId);
  const lots = state?.wallet?.lots ?? [];
  const next = nextExpiry(state?.wallet);
  return {
    balance: Math.max(0, totals.granted - totals.spent - totals.expired),
    ...totals,
    lots: lots.map((l) => ({
      lot: l.key,
      journeyId: l.journeyId,
      nodeId: l.nodeId,
      grantedAt: iso(l.at),
      points: l.points,
      left: l.left,
      expiresAt: l.expiresAt === null ? null : iso(l.expiresAt),
    })),
    nextExpiry:
      next === null
        ? null
        : { at: iso(next), points: lots.filter((l) => l.expiresAt === next).reduce((a, l) => a + l.left, 0) },
  };
}

export function walletRoutes(app: Hono, engine: DurableEngine, store: SidecarStore): void {
  app.get("/v1/wallet/:userId", async (c) => {
    const parsed = UserId.safeParse(c.req.param("userId"));
    if (!parsed.success) return c.json({ error: { code: "not_found", message: "no person with this id" } }, 404);
    return c.json(await walletView(store, parsed.data, await store.userState(parsed.data)));
  });

  app.post("/v1/wallet/redeem", async (c) => {
    // Bounded before it is read whole: a request is a few short fields.
    const read = await readRequestBody(c.req.raw, c.env, MAX_BODY, DISCARD_BODY_BYTES);
    if (!read.ok) {
      if (!read.drained) c.header("connection", "close");
      return c.json({ error: { code: "too_large", message: `a redeem request is at most ${MAX_BODY} bytes` } }, 413);
    }
    let body: unknown;
    try {
      body = parseUntrustedJson(new TextDecoder().decode(read.bytes), { maxBytes: MAX_BODY, maxDepth: 4 });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return c.json(
        { error: { code: "invalid_request", message: e.message, issues: [{ path: e.path, message: e.message }] } },
        400,
      );
    }
    const parsed = RedeemRequest.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((z) => ({ path: toJsonPath(z.path, "$"), message: z.message }));
      return c.json({ error: { code: "invalid_request", message: "not a redeem request", issues } }, 400);
    }
    const r = parsed.data;
    const out = await engine.redeem(r);
    switch (out.status) {
      case "redeemed": {
        const answer: Redeemed = {
          key: r.key,
          userId: r.userId,
          points: r.points,
          item: r.item,
          at: iso(out.at),
          balance: out.balance,
          replayed: out.replayed,
        };
        return c.json(answer, 200);
      }
      case "refused": {
        const answer: RedeemRefused = {
          error: { code: "insufficient_points", message: out.detail },
          balance: out.balance,
          points: r.points,
        };
        return c.json(answer, 409);
      }
      case "key_reused":
        return c.json(
          {
            error: {
              code: "key_reused",
              message:
                `key "${r.key}" already spent ${out.first.amount} points of ${out.first.userId} on ` +
                `"${out.first.code}"; a retry must send the same request, a new spend a new key`,
            },
          },
          422,
        );
      case "failed":
        return c.json({ error: { code: "internal", message: `nothing was spent: ${out.reason}` } }, 500);
    }
  });
}
