/**
 * Coupon pools: codes a reward's coupon hands out one each (the engine keeps them and hands them out).
 *   GET  /v1/coupon-pools                every pool: codes imported, handed out, remaining (viewer)
 *   POST /v1/coupon-pools/{pool}/codes   import a file of codes into a pool (publisher)
 * The file is a CSV with a `code` column, one code per line (text/csv, text/plain) or a JSON array of
 * strings (application/json). The API reads it (a 400 names where garbage is) and forwards the codes
 * to the engine, as the catalog forwards spends. Adding codes changes what live grants give, so it is
 * the publisher's, as publishing is.
 */
import {
  CouponPoolImported,
  CouponPoolList,
  couponCodesOf,
  MAX_POOL_FILE_BYTES,
  parseCouponFile,
  parseUntrustedJson,
  PoolName,
} from "@lifeloop/shared";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import type { Deps, EngineConnection } from "../context.ts";
import { ApiError } from "../errors.ts";
import { named, textBody } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";

named("CouponPoolList", CouponPoolList);
named("CouponPoolImported", CouponPoolImported);

const PoolParam = z.object({ pool: PoolName });
/** Seconds to wait before asking an engine that did not answer again. */
const RETRY_AFTER_S = 5;
const ENGINE_ANSWERS = {
  502: { description: "The engine refused the request." },
  503: {
    description:
      "The engine did not answer (`engine_unreachable`, with Retry-After; an import may be sent again: codes the " +
      "pool has are skipped), or none is configured (`engine_not_configured`, LIFELOOP_ENGINE_URL).",
    headers: { "Retry-After": { schema: { type: "integer" as const }, description: "Seconds." } },
  },
};

/** A request to the engine's pool routes: its refusal is a 502; no answer, a 503 with Retry-After (as the catalog). */
async function onEngine(engine: EngineConnection | null, path: string, body?: unknown): Promise<unknown> {
  if (!engine)
    throw new ApiError(
      503,
      "engine_not_configured",
      "no engine is configured: coupon pools live in the engine (LIFELOOP_ENGINE_URL)",
    );
  let res: Response;
  try {
    res = await fetch(`${engine.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(engine.token ? { authorization: `Bearer ${engine.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(engine.timeoutMs ?? 30_000),
    });
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ApiError(
      503,
      "engine_unreachable",
      `the engine at ${engine.url} did not answer (${cause}); try again in ${RETRY_AFTER_S} s`,
      { headers: { "Retry-After": String(RETRY_AFTER_S) } },
    );
  }
  const text = await res.text();
  if (res.status !== 200)
    throw new ApiError(502, "engine_error", `the engine answered ${res.status}: ${text.slice(0, 300)}`);
  return parseUntrustedJson(text, { maxBytes: 1024 * 1024 });
}

export function couponPoolRoutes(deps: Deps) {
  const app = newRouter();

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/coupon-pools",
      operationId: "listCouponPools",
      tags: ["catalog"],
      summary: "Coupon pools: codes imported, handed out and remaining",
      responses: { 200: { description: "The pools, by name.", ...json(CouponPoolList) }, ...ENGINE_ANSWERS },
    }),
    async (c) => c.json(CouponPoolList.parse(await onEngine(deps.engine, "/v1/coupon-pools")), 200),
  );

  app.openapi(
    route(
      "publisher",
      {
        method: "post",
        path: "/coupon-pools/{pool}/codes",
        operationId: "importCouponCodes",
        tags: ["catalog"],
        summary: "Import a file of coupon codes into a pool",
        description:
          "The codes are appended in file order, the order grants take them; codes the pool already has, or the " +
          "file has twice, are skipped and counted as duplicates. At most 100,000 codes per file.",
        request: {
          params: PoolParam,
          body: {
            required: true,
            content: {
              "text/csv": textBody('A CSV with a "code" column (other columns are ignored).'),
              "text/plain": textBody("One code per line, or a JSON array of codes."),
              "application/json": { schema: { type: "array", items: { type: "string" } } },
            },
          },
        },
        responses: {
          200: { description: "Imported.", ...json(CouponPoolImported) },
          400: { description: "Not a pool file: each problem named by where it is ($[3], line 4)." },
          ...ENGINE_ANSWERS,
        },
      },
      { accept: ["text", "json"], maxBytes: MAX_POOL_FILE_BYTES, required: true },
    ),
    async (c) => {
      const { pool } = c.req.valid("param");
      const body = c.get("body");
      const read =
        body.kind === "json" ? couponCodesOf(body.value) : parseCouponFile(body.kind === "text" ? body.text : "");
      if ("issues" in read) throw new ApiError(400, "invalid_pool_file", "not a coupon pool file", read);
      const answer = CouponPoolImported.parse(
        await onEngine(deps.engine, `/v1/coupon-pools/${pool}/codes`, { codes: read.codes }),
      );
      // The subject is the catalog's: a pool is what coupons of the catalog are drawn from.
      await recordAudit(
        deps.db,
        deps.clock(),
        actorOf(c),
        "coupon_pool.import",
        { type: "catalog", id: pool },
        {
          added: answer.added,
          duplicates: answer.duplicates,
          codes: answer.codes,
        },
      );
      return c.json(answer, 200);
    },
  );

  return app;
}
