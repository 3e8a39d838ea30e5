/**
 * Coupon pools' routes: POST /v1/coupon-pools/{pool}/codes (append codes, in the order grants take
 * them; codes the pool has are counted and skipped) and GET /v1/coupon-pools (each pool's codes,
 * handed out and remaining). The API forwards an imported file here (api/src/routes/coupon-pools.ts).
 */
import {
  CouponPoolCodes,
  DISCARD_BODY_BYTES,
  InputError,
  MAX_POOL_FILE_BYTES,
  parseUntrustedJson,
  PoolName,
  toJsonPath,
  type CouponPool,
  type CouponPoolImported,
  type CouponPoolList,
} from "@lifeloop/shared";
import type { Hono } from "hono";
import type { CouponPoolCount, SidecarStore } from "../store/port.ts";
import { readRequestBody } from "./body.ts";

const MAX_BODY = MAX_POOL_FILE_BYTES + 1024;

const view = (p: CouponPoolCount): CouponPool => ({ ...p, remaining: Math.max(0, p.codes - p.handed) });

export function poolRoutes(app: Hono, store: SidecarStore, now: () => number): void {
  app.get("/v1/coupon-pools", async (c) => {
    const answer: CouponPoolList = { pools: (await store.couponPools()).map(view) };
    return c.json(answer);
  });

  app.post("/v1/coupon-pools/:pool/codes", async (c) => {
    const pool = PoolName.safeParse(c.req.param("pool"));
    if (!pool.success)
      return c.json(
        {
          error: {
            code: "invalid_request",
            message: "not a pool name",
            issues: [{ path: "path.pool", message: pool.error.issues[0]!.message }],
          },
        },
        400,
      );
    const read = await readRequestBody(c.req.raw, c.env, MAX_BODY, DISCARD_BODY_BYTES);
    if (!read.ok) {
      if (!read.drained) c.header("connection", "close");
      return c.json({ error: { code: "too_large", message: `an import is at most ${MAX_BODY} bytes` } }, 413);
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
    const parsed = CouponPoolCodes.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 20)
        .map((z) => ({ path: toJsonPath(z.path, "$"), message: z.message }));
      return c.json({ error: { code: "invalid_request", message: "not a list of coupon codes", issues } }, 400);
    }
    const done = await store.importPoolCodes(pool.data, parsed.data.codes, now());
    const counted = (await store.couponPools()).find((p) => p.pool === pool.data);
    const answer: CouponPoolImported = {
      ...view(counted ?? { pool: pool.data, codes: done.codes, handed: 0 }),
      added: done.added,
      duplicates: done.duplicates,
    };
    return c.json(answer, 200);
  });
}
