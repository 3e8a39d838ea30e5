/** GET /v1/audit: who created, edited, published, paused, imported what, and when — newest first. */
import { z } from "zod";
import { AUDIT_ACTIONS, AuditEntry, listAudit } from "../audit.ts";
import type { Deps } from "../context.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";

const AuditQuery = z.object({
  subjectType: z.enum(["journey", "segment", "profile", "workspace", "key", "catalog"]).optional(),
  subjectId: z.string().max(128).optional().meta({ description: "E.g. a journey id (with subjectType=journey)." }),
  action: z.enum(AUDIT_ACTIONS).optional(),
  actorId: z.string().max(64).optional().meta({ description: "A key id." }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number().int().min(1).optional().meta({ description: "nextCursor of the previous page." }),
});

const AuditPage = named("AuditPage", z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() }));

export function auditRoutes(deps: Deps) {
  const app = newRouter();
  app.openapi(
    route("viewer", {
      method: "get",
      path: "/audit",
      operationId: "listAudit",
      tags: ["audit"],
      summary: "Read the audit log",
      description: "Draft saves by one key within ten minutes are one `journey.edit` entry, with the number of saves.",
      request: { query: AuditQuery },
      responses: { 200: { description: "One page, newest first.", ...json(AuditPage) } },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await listAudit(deps.db, { ...q, before: q.cursor }), 200);
    },
  );
  return app;
}
