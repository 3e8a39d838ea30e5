/**
 * The API as a Hono app, built from injected parts (database, clock, randomness, limits) so tests
 * and the bench run exactly what main.ts serves.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { secureHeaders } from "hono/secure-headers";
import { z } from "zod";
import { journeyJsonSchema, LIMITS, type WorkspaceHoldout, type WorkspaceLevels } from "@lifeloop/shared";
import { authenticate } from "./auth.ts";
import type { AppEnv, Deps, EngineConnection, Limits } from "./context.ts";
import type { Db } from "./db/open.ts";
import { checkReady } from "./db/ready.ts";
import { handleError, methodNotAllowedResponse, notFoundHandler, type Logger } from "./errors.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { json, newRouter, route } from "./route.ts";
import { auditRoutes } from "./routes/audit.ts";
import { engineRoutes } from "./routes/engine.ts";
import { journeyRoutes } from "./routes/journeys.ts";
import { approvalRoutes } from "./routes/approvals.ts";
import { keyRoutes } from "./routes/keys.ts";
import { levelRoutes } from "./routes/levels.ts";
import { policyRoutes } from "./routes/policy.ts";
import { catalogRoutes } from "./routes/catalog.ts";
import { couponPoolRoutes } from "./routes/coupon-pools.ts";
import { profileRoutes } from "./routes/profiles.ts";
import { reportRoutes } from "./routes/reports.ts";
import { stageRoutes } from "./routes/stages.ts";
import { testSendRoutes } from "./routes/test-send.ts";
import { segmentRoutes } from "./routes/segments.ts";
import { simulateRoutes } from "./routes/simulate.ts";
import { backtestRoutes } from "./routes/backtest.ts";
import { transferRoutes } from "./routes/transfer.ts";
import { versionRoutes } from "./routes/versions.ts";
import { ensureWorkspace } from "./workspace.ts";

const API_VERSION = "0.1.0";

const DEFAULT_LIMITS: Limits = {
  documentBytes: LIMITS.maxDocumentBytes,
  workspaceBytes: 32 * 1024 * 1024,
  eventStreamBytes: 8 * 1024 * 1024,
  maxEvents: 50_000,
  previewProfiles: 100_000,
};

export interface AppOptions {
  db: Db;
  clock?: () => Date;
  random?: (bytes: number) => Buffer;
  limits?: Partial<Limits>;
  samplesDir?: string;
  editorOrigin?: string;
  log?: Logger;
  /** The engine sidecar live reports are forwarded to. */
  engine?: EngineConnection | null;
  /** The workspace holdout the engine feed carries. */
  holdout?: WorkspaceHoldout | null;
  /** The workspace's growth levels the engine feed carries. */
  levels?: WorkspaceLevels | null;
}

const defaultLog: Logger = (message, error) => console.error(`[api] ${message}`, error ?? "");

function resolveDeps(o: AppOptions): Deps {
  return {
    db: o.db,
    clock: o.clock ?? (() => new Date()),
    random: o.random ?? randomBytes,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
    samplesDir: o.samplesDir ?? fileURLToPath(new URL("../../samples", import.meta.url)),
    editorOrigin: o.editorOrigin ?? "http://localhost:5173",
    log: o.log ?? defaultLog,
    engine: o.engine ?? null,
    holdout: o.holdout ?? null,
    levels: o.levels ?? null,
  };
}

export async function createApp(options: AppOptions): Promise<{ app: OpenAPIHono<AppEnv>; deps: Deps }> {
  const deps = resolveDeps(options);
  await ensureWorkspace(deps);
  const app = new OpenAPIHono<AppEnv>();

  app.use("*", methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use(
    "*",
    cors({
      origin: deps.editorOrigin,
      allowMethods: ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "If-Match", "If-None-Match"],
      exposeHeaders: ["ETag", "Location", "Content-Disposition"],
      maxAge: 600,
    }),
  );
  // HSTS is for whoever terminates TLS in front of the API; on plain-HTTP localhost it would only mislead.
  app.use(
    "*",
    secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false, strictTransportSecurity: false }),
  );
  app.use("/v1/*", authenticate(deps));

  const meta = newRouter();
  meta.openapi(
    route("public", {
      method: "get",
      path: "/health",
      operationId: "health",
      tags: ["meta"],
      summary: "Liveness",
      responses: {
        200: { description: "The API is up.", ...json(z.object({ ok: z.literal(true), version: z.string() })) },
      },
    }),
    (c) => c.json({ ok: true as const, version: API_VERSION }, 200),
  );
  meta.openapi(
    route("public", {
      method: "get",
      path: "/readyz",
      operationId: "ready",
      tags: ["meta"],
      summary: "Readiness",
      description:
        "Whether the database answers and a write commits (a one-row write in its own transaction). Load " +
        "balancers route here; `/health` only says the process is up.",
      responses: {
        200: { description: "Ready.", ...json(z.object({ ready: z.literal(true) })) },
        503: {
          description:
            "Not ready: the database is down, restarting, locked, full or read-only. `Retry-After` says when " +
            "to ask again.",
          headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds." } },
          ...json(z.object({ ready: z.literal(false), reason: z.string() })),
        },
      },
    }),
    async (c) => {
      const r = await checkReady(deps.db, deps.clock());
      return r.ready
        ? c.json({ ready: true as const }, 200)
        : c.json({ ready: false as const, reason: r.reason }, 503, {
            "Retry-After": String(r.retryAfter),
            "Cache-Control": "no-store",
          });
    },
  );
  const schema = journeyJsonSchema();
  meta.openapi(
    route("public", {
      method: "get",
      path: "/v1/schema/journey.json",
      operationId: "journeyJsonSchema",
      tags: ["meta"],
      summary: "The journey file's JSON Schema",
      description: "Generated from the same zod schemas the API validates with; point your editor's `$schema` at it.",
      responses: { 200: { description: "JSON Schema (draft 2020-12).", ...json(z.record(z.string(), z.unknown())) } },
    }),
    (c) => c.json(schema, 200, { "Cache-Control": "public, max-age=3600" }),
  );
  app.route("/", meta);

  for (const routes of [
    journeyRoutes,
    versionRoutes,
    transferRoutes,
    segmentRoutes,
    profileRoutes,
    engineRoutes,
    levelRoutes,
    auditRoutes,
    keyRoutes,
    policyRoutes,
    catalogRoutes,
    couponPoolRoutes,
    approvalRoutes,
    simulateRoutes,
    backtestRoutes,
    reportRoutes,
    stageRoutes,
    testSendRoutes,
  ]) {
    app.route("/v1", routes(deps));
  }

  let document: Record<string, unknown> | null = null;
  app.get("/openapi.json", async (c) => {
    document ??= buildOpenApiDocument(app, {
      title: "Lifeloop API",
      version: API_VERSION,
      description:
        "Journeys, drafts and versions, import/export, segments, simulation and the engine feed. Errors are " +
        "always `{ error: { code, message, issues? } }`. Authenticate with `Authorization: Bearer <key>`.",
    });
    return c.json(document);
  });
  // The reference page loads its script from the API itself (a pinned npm package), never from a
  // CDN: offline, or behind a firewall that blocks it, the page would be blank.
  app.get("/docs/reference.js", async (c) => {
    c.header("content-type", "text/javascript; charset=utf-8");
    c.header("cache-control", "public, max-age=86400");
    return c.body(await referenceScript());
  });
  app.get(
    "/docs",
    Scalar({ url: "/openapi.json", pageTitle: "Lifeloop API", cdn: "/docs/reference.js", withDefaultFonts: false }),
  );

  app.notFound(notFoundHandler);
  app.onError(handleError(deps.log));
  return { app, deps };
}

/**
 * The API reference's browser bundle, from the @scalar/api-reference version package.json pins
 * (its single-file UMD build; the package's exports do not list it, so it is found beside its entry).
 */
let reference: Promise<string> | null = null;
function referenceScript(): Promise<string> {
  reference ??= readFile(
    join(dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")), "browser", "standalone.js"),
    "utf8",
  );
  return reference;
}
