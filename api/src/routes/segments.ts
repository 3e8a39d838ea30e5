/**
 * Workspace segments: a library of named conditions over people (CRUD), and a preview of how many
 * stored profiles one matches — saved or not yet saved.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { Rule, Segment, TimeZone } from "@lifeloop/shared";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import type { Deps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { named } from "../openapi.ts";
import { json, newRouter, noneMatch, route } from "../route.ts";
import { checkSegment, referencedSegments } from "../segments/check.ts";
import { PreviewResult, previewSegment } from "../segments/preview.ts";
import {
  getSegment,
  insertSegment,
  listSegments,
  segmentEtag,
  segmentRules,
  SegmentResource,
  toResource,
  updateSegment,
} from "../segments/store.ts";

const IdParam = z.object({ id: z.string().max(64) });
const PageQuery = z.object({
  q: z.string().max(200).optional().meta({ description: "Search in id and name." }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(64).optional(),
});
const PreviewQuery = z.object({
  timeZone: TimeZone.default("UTC").meta({
    description: "Zone for calendar windows (day, week, month) and local_* operators.",
  }),
  at: z.iso.datetime({ offset: true }).optional().meta({ description: "Evaluate as of this instant (default: now)." }),
});
const PreviewBody = named(
  "SegmentPreviewRequest",
  z.object({ condition: Rule, timeZone: TimeZone.default("UTC"), at: z.iso.datetime({ offset: true }).optional() }),
);
const SegmentPage = named(
  "SegmentPage",
  z.object({ items: z.array(SegmentResource), total: z.number().int(), nextCursor: z.string().nullable() }),
);
const IfMatch = z.object({
  "if-match": z.string().optional().meta({ description: 'When sent, the segment\'s ETag ("s<revision>").' }),
});

export function segmentRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;
  const bodyLimit = { accept: ["json"] as const, maxBytes: deps.limits.documentBytes, required: true };

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/segments",
      operationId: "listSegments",
      tags: ["segments"],
      summary: "List workspace segments",
      request: { query: PageQuery },
      responses: { 200: { description: "One page, by id.", ...json(SegmentPage) } },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await listSegments(db, { q: q.q ?? null, limit: q.limit, cursor: q.cursor ?? null }), 200);
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/segments",
        operationId: "createSegment",
        tags: ["segments"],
        summary: "Create a segment",
        description:
          "The condition is checked like a journey segment's: profile variables only, known operators, " +
          "well-formed aggregates, in_segment to existing segments without cycles.",
        request: { body: { required: true, ...json(Segment) } },
        responses: {
          201: { description: "Created.", ...json(SegmentResource) },
          409: { description: "The id is taken." },
        },
      },
      bodyLimit,
    ),
    async (c) => {
      const actor = actorOf(c);
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const s = checkSegment(c.req.valid("json"), await segmentRules(tx));
        const r = await insertSegment(tx, s, actor, now);
        await recordAudit(tx, now, actor, "segment.create", { type: "segment", id: s.id });
        return r;
      });
      return c.json(toResource(row), 201, { ETag: `"${segmentEtag(row)}"`, Location: `/v1/segments/${row.id}` });
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/segments/{id}",
      operationId: "getSegment",
      tags: ["segments"],
      summary: "Read a segment",
      request: { params: IdParam },
      responses: {
        200: { description: "The segment.", ...json(SegmentResource) },
        304: { description: "Not modified." },
        404: { description: "No such segment." },
      },
    }),
    async (c) => {
      const row = await getSegment(db, c.req.valid("param").id);
      const etag = segmentEtag(row);
      if (noneMatch(c.req.header("if-none-match"), etag)) return c.body(null, 304, { ETag: `"${etag}"` });
      return c.json(toResource(row), 200, { ETag: `"${etag}"` });
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "put",
        path: "/segments/{id}",
        operationId: "updateSegment",
        tags: ["segments"],
        summary: "Replace a segment",
        request: { params: IdParam, headers: IfMatch, body: { required: true, ...json(Segment) } },
        responses: {
          200: { description: "Saved.", ...json(SegmentResource) },
          404: { description: "No such segment." },
          409: { description: "Stale If-Match, with `error.current`." },
        },
      },
      bodyLimit,
    ),
    async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      if (body.id !== id)
        throw new ApiError(400, "id_mismatch", `the body's id is "${body.id}" but this is segment "${id}"`, {
          issues: [{ path: "$.id", message: `must be "${id}"` }],
        });
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const current = await getSegment(tx, id, true);
        const ifMatch = c.req.header("if-match");
        if (
          ifMatch !== undefined &&
          ifMatch.trim() !== "*" &&
          !ifMatch.split(",").some((t) => t.trim() === `"${segmentEtag(current)}"`)
        ) {
          throw new ApiError(409, "conflict", `the segment changed since you read it (now "${segmentEtag(current)}")`, {
            current: toResource(current),
          });
        }
        const s = checkSegment(body, await segmentRules(tx, id));
        const next = await updateSegment(tx, current, s, actor, now);
        await recordAudit(tx, now, actor, "segment.edit", { type: "segment", id }, { revision: next.revision });
        return next;
      });
      return c.json(toResource(row), 200, { ETag: `"${segmentEtag(row)}"` });
    },
  );

  app.openapi(
    route("editor", {
      method: "delete",
      path: "/segments/{id}",
      operationId: "deleteSegment",
      tags: ["segments"],
      summary: "Delete a segment",
      description: "Refused while another segment refers to it with in_segment.",
      request: { params: IdParam },
      responses: {
        204: { description: "Deleted." },
        404: { description: "No such segment." },
        409: { description: "Still referenced." },
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const now = deps.clock();
      await db.transaction(async (tx) => {
        await getSegment(tx, id);
        const users = Object.entries(await segmentRules(tx, id))
          .filter(([, rule]) => referencedSegments(rule).has(id))
          .map(([other]) => other);
        if (users.length > 0)
          throw new ApiError(
            409,
            "in_use",
            `segment "${id}" is used by ${users.map((u) => `"${u}"`).join(", ")}; change those first`,
          );
        await tx.q.delete(tx.t.segments).where(eq(tx.t.segments.id, id));
        await recordAudit(tx, now, actor, "segment.delete", { type: "segment", id });
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/segments/{id}/preview",
      operationId: "previewSegment",
      tags: ["segments"],
      summary: "Count the stored profiles a segment matches",
      description: "Profiles come from event streams posted to /v1/profiles/events (and the samples on first start).",
      request: { params: IdParam, query: PreviewQuery },
      responses: {
        200: { description: "The count.", ...json(PreviewResult) },
        404: { description: "No such segment." },
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const row = await getSegment(db, id);
      return c.json(await preview(JSON.parse(row.condition), q.timeZone, q.at), 200);
    },
  );

  app.openapi(
    route(
      "viewer",
      {
        method: "post",
        path: "/segments/preview",
        operationId: "previewCondition",
        tags: ["segments"],
        summary: "Count the stored profiles a condition matches (before saving it)",
        request: { body: { required: true, ...json(PreviewBody) } },
        responses: { 200: { description: "The count.", ...json(PreviewResult) } },
      },
      bodyLimit,
    ),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(await preview(body.condition, body.timeZone, body.at), 200);
    },
  );

  async function preview(condition: unknown, timeZone: string, at: string | undefined) {
    return await previewSegment(db, condition, {
      segments: await segmentRules(db),
      now: at !== undefined ? new Date(at) : deps.clock(),
      timeZone,
      limit: deps.limits.previewProfiles,
    });
  }

  return app;
}
