/**
 * The workspace's compliance policy: whether publishing needs approval, the risk notice, and the
 * wording lint's forbidden phrases (CRUD). Everyone with a key reads it (the editor lints with it as
 * people type); only key-admin changes it, so nobody who publishes can loosen the rules they
 * publish under (see auth.ts).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import type { Deps } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import {
  CompliancePolicy,
  ForbiddenPhraseResource,
  insertPhrase,
  listPhrases,
  MAX_PHRASES,
  PhraseInput,
  readPolicy,
  readSettings,
  WorkspaceSettings,
  writeSettings,
} from "../policy.ts";
import { json, newRouter, route } from "../route.ts";

const PhraseParam = z.object({ phraseId: z.string().max(64) });
const small = { accept: ["json"] as const, maxBytes: 16 * 1024, required: true };

export function policyRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/workspace/policy",
      operationId: "getPolicy",
      tags: ["compliance"],
      summary: "The compliance policy: approval, risk notice, forbidden phrases",
      description: "What the compiler checks message text against, as the API and the editor both run it.",
      responses: { 200: { description: "The policy.", ...json(CompliancePolicy) } },
    }),
    async (c) => c.json(await readPolicy(db), 200),
  );

  app.openapi(
    route(
      "keys",
      {
        method: "put",
        path: "/workspace/settings",
        operationId: "putSettings",
        tags: ["compliance"],
        summary: "Set whether publishing needs approval, and the risk notice",
        request: { body: { required: true, ...json(WorkspaceSettings) } },
        responses: { 200: { description: "The settings now.", ...json(WorkspaceSettings) } },
      },
      small,
    ),
    async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid("json");
      const now = deps.clock();
      await db.transaction(async (tx) => {
        const before = await readSettings(tx);
        await writeSettings(tx, body);
        await recordAudit(
          tx,
          now,
          actor,
          "workspace.settings",
          { type: "workspace", id: "settings" },
          {
            before,
            after: body,
          },
        );
      });
      return c.json(body, 200);
    },
  );

  app.openapi(
    route(
      "keys",
      {
        method: "post",
        path: "/workspace/forbidden-phrases",
        operationId: "createForbiddenPhrase",
        tags: ["compliance"],
        summary: "Forbid a phrase in message text, with the rule it breaks",
        request: { body: { required: true, ...json(PhraseInput) } },
        responses: {
          201: { description: "The phrase.", ...json(ForbiddenPhraseResource) },
          409: { description: "The phrase is listed already, or the list is full." },
        },
      },
      small,
    ),
    async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid("json");
      const now = deps.clock();
      const created = await db.transaction(async (tx) => {
        const all = await listPhrases(tx);
        if (all.some((p) => p.phrase === body.phrase))
          throw new ApiError(409, "exists", `"${body.phrase}" is forbidden already`);
        if (all.length >= MAX_PHRASES) throw new ApiError(409, "full", `the list holds at most ${MAX_PHRASES} phrases`);
        const p = await insertPhrase({ ...deps, db: tx }, body, actor, now);
        await recordAudit(tx, now, actor, "wording.create", { type: "workspace", id: p.id }, body);
        return p;
      });
      return c.json(created, 201);
    },
  );

  app.openapi(
    route(
      "keys",
      {
        method: "put",
        path: "/workspace/forbidden-phrases/{phraseId}",
        operationId: "updateForbiddenPhrase",
        tags: ["compliance"],
        summary: "Change a forbidden phrase or its rule",
        request: { params: PhraseParam, body: { required: true, ...json(PhraseInput) } },
        responses: {
          200: { description: "The phrase now.", ...json(ForbiddenPhraseResource) },
          404: { description: "No such phrase." },
          409: { description: "Another entry lists that phrase." },
        },
      },
      small,
    ),
    async (c) => {
      const actor = actorOf(c);
      const { phraseId } = c.req.valid("param");
      const body = c.req.valid("json");
      const now = deps.clock();
      const t = db.t.forbiddenPhrases;
      const updated = await db.transaction(async (tx) => {
        const all = await listPhrases(tx);
        const before = all.find((p) => p.id === phraseId);
        if (!before) throw notFound(`forbidden phrase "${phraseId}"`);
        if (all.some((p) => p.id !== phraseId && p.phrase === body.phrase))
          throw new ApiError(409, "exists", `"${body.phrase}" is forbidden already`);
        const at = now.toISOString();
        await tx.q
          .update(t)
          .set({ ...body, updatedAt: at, updatedBy: actor.name })
          .where(eq(t.id, phraseId));
        await recordAudit(
          tx,
          now,
          actor,
          "wording.edit",
          { type: "workspace", id: phraseId },
          {
            before: { phrase: before.phrase, rule: before.rule },
            after: body,
          },
        );
        return { id: phraseId, ...body, updatedAt: at, updatedBy: actor.name };
      });
      return c.json(updated, 200);
    },
  );

  app.openapi(
    route("keys", {
      method: "delete",
      path: "/workspace/forbidden-phrases/{phraseId}",
      operationId: "deleteForbiddenPhrase",
      tags: ["compliance"],
      summary: "Allow a phrase again",
      request: { params: PhraseParam },
      responses: { 204: { description: "Removed." }, 404: { description: "No such phrase." } },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { phraseId } = c.req.valid("param");
      const now = deps.clock();
      const t = db.t.forbiddenPhrases;
      await db.transaction(async (tx) => {
        const before = (await listPhrases(tx)).find((p) => p.id === phraseId);
        if (!before) throw notFound(`forbidden phrase "${phraseId}"`);
        await tx.q.delete(t).where(eq(t.id, phraseId));
        await recordAudit(
          tx,
          now,
          actor,
          "wording.delete",
          { type: "workspace", id: phraseId },
          {
            phrase: before.phrase,
            rule: before.rule,
          },
        );
      });
      return c.body(null, 204);
    },
  );

  return app;
}
