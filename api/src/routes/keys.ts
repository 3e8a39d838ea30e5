/**
 * API keys: list (never the secrets), create (the token is shown once), revoke. The key-admin role
 * only: no browser key holds it (see auth.ts), so a script in the editor's page cannot mint keys.
 */
import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { actorOf, createKey, listKeys } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import { forUpdate } from "../db/open.ts";
import { ROLES, type Deps } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";

const ApiKey = named(
  "ApiKey",
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    source: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    revokedAt: z.string().nullable(),
  }),
);
const NewKey = named("NewApiKey", z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }));
const CreatedKey = named(
  "CreatedApiKey",
  z.object({
    key: z.string().meta({ description: "The secret: shown this once, stored only as a hash." }),
    apiKey: ApiKey,
  }),
);

const ApiKeyList = named("ApiKeyList", z.object({ items: z.array(ApiKey) }));

export function keyRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;

  app.openapi(
    route("keys", {
      method: "get",
      path: "/keys",
      operationId: "listKeys",
      tags: ["keys"],
      summary: "List API keys",
      responses: { 200: { description: "Every key, revoked ones included.", ...json(ApiKeyList) } },
    }),
    async (c) => c.json({ items: await listKeys(db) }, 200),
  );

  app.openapi(
    route(
      "keys",
      {
        method: "post",
        path: "/keys",
        operationId: "createKey",
        tags: ["keys"],
        summary: "Create an API key",
        request: { body: { required: true, ...json(NewKey) } },
        responses: { 201: { description: "The key; copy `key` now.", ...json(CreatedKey) } },
      },
      { accept: ["json"], maxBytes: 16 * 1024, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid("json");
      const now = deps.clock();
      const created = await db.transaction(async (tx) => {
        const k = await createKey(
          { ...deps, db: tx },
          { name: body.name, role: body.role, source: "api", createdBy: actor.name },
        );
        await recordAudit(
          tx,
          now,
          actor,
          "key.create",
          { type: "key", id: k.key.id },
          { name: body.name, role: body.role },
        );
        return k;
      });
      return c.json({ key: created.token, apiKey: created.key }, 201);
    },
  );

  app.openapi(
    route("keys", {
      method: "delete",
      path: "/keys/{keyId}",
      operationId: "revokeKey",
      tags: ["keys"],
      summary: "Revoke an API key",
      description: "Refused for the last active key-admin key, which would lock everyone out of key management.",
      request: { params: z.object({ keyId: z.string().max(64) }) },
      responses: {
        204: { description: "Revoked (or already revoked)." },
        404: { description: "No such key." },
        409: { description: "The last key-admin key." },
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { keyId } = c.req.valid("param");
      const now = deps.clock();
      await db.transaction(async (tx) => {
        const { apiKeys } = tx.t;
        // Locked on PostgreSQL: two revocations at once cannot both see the other key-admin key as active.
        if (tx.dialect === "postgres")
          await forUpdate(tx.q.select().from(apiKeys).where(eq(apiKeys.role, "key-admin")).orderBy(apiKeys.id));
        const key = (await tx.q.select().from(apiKeys).where(eq(apiKeys.id, keyId)).limit(1))[0];
        if (!key) throw notFound(`API key "${keyId}"`);
        if (key.revokedAt !== null) return;
        if (key.role === "key-admin") {
          const others = await tx.q
            .select({ id: apiKeys.id })
            .from(apiKeys)
            .where(and(eq(apiKeys.role, "key-admin"), isNull(apiKeys.revokedAt), ne(apiKeys.id, keyId)));
          if (others.length === 0)
            throw new ApiError(
              409,
              "last_key_admin",
              "this is the last active key-admin key; create another before revoking it",
            );
        }
        await tx.q.update(apiKeys).set({ revokedAt: now.toISOString() }).where(eq(apiKeys.id, keyId));
        await recordAudit(tx, now, actor, "key.revoke", { type: "key", id: keyId }, { name: key.name });
      });
      return c.body(null, 204);
    },
  );

  return app;
}
