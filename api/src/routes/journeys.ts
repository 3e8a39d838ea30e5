/**
 * Journeys and their drafts: list, create, read, save (optimistic concurrency with ETag/If-Match),
 * duplicate, archive/unarchive, delete a never-published draft, and validate a document.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import {
  compileJourney,
  DraftJourney,
  JourneyId,
  Name,
  SCHEMA_VERSION,
  STARTER_KIND,
  Text,
  TimeZone,
} from "@lifeloop/shared";
import { actorOf, allows } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import { jsonFromBody } from "../body.ts";
import type { Deps } from "../context.ts";
import { ApiError, badRequest, ErrorIssue, fromCompilerIssues, fromZodIssues } from "../errors.ts";
import { slugify, uniqueIdAsync } from "@lifeloop/shared";
import { checkDocument } from "../journeys/document.ts";
import { wordingPolicy } from "../policy.ts";
import { Cost, JourneyDetail, JourneyPage, JourneyStatus, JourneySummary } from "@lifeloop/shared";
import {
  checkIfMatch,
  detailJson,
  etagOf,
  findVersion,
  getJourney,
  lockJourney,
  getVersion,
  insertJourney,
  journeyExists,
  listJourneys,
  statusOf,
  toSummary,
  updateJourney,
  writeDraft,
  refuseArchived,
} from "../journeys/store.ts";
import { named, unchecked } from "../openapi.ts";
import { json, jsonText, newRouter, noneMatch, route } from "../route.ts";
import { bumpFeed } from "../workspace.ts";

const IdParam = z.object({ id: z.string().max(64).meta({ description: "Journey id." }) });

const ListQuery = z.object({
  status: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .pipe(z.array(JourneyStatus))
    .optional()
    .meta({
      description:
        "Comma-separated statuses to list (draft, live, paused, archived). Without it: every journey that is " +
        "not archived.",
    }),
  q: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "Search in name, id and description (case-insensitive, substring)." }),
  sort: z
    .enum(["updated", "created", "name"])
    .default("updated")
    .meta({ description: "updated and created: newest first; name: A→Z." }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(512).optional().meta({ description: "nextCursor of the previous page." }),
});

const NewJourney = named(
  "NewJourney",
  z.object({
    name: Name,
    id: JourneyId.optional().meta({ description: "Defaults to a slug of the name, made unique." }),
    description: Text().optional(),
    timeZone: TimeZone.default("UTC"),
  }),
);

const IfMatch = z.object({
  "if-match": z
    .string()
    .optional()
    .meta({ description: 'The ETag you read ("r<revision>"), or * to overwrite deliberately.' }),
});

const DuplicateBody = named(
  "DuplicateJourney",
  z.object({
    id: JourneyId.optional().meta({ description: "Id of the copy; defaults to <id>-copy, made unique." }),
    name: Name.optional().meta({ description: 'Defaults to "<name> (copy)".' }),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: "Copy this published version instead of the draft." }),
  }),
);

const ValidationResult = named(
  "ValidationResult",
  z.object({ ok: z.boolean(), issues: z.array(ErrorIssue), cost: Cost.nullable() }),
);

export function journeyRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;
  const docBytes = deps.limits.documentBytes;

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys",
      operationId: "listJourneys",
      tags: ["journeys"],
      summary: "List journeys",
      request: { query: ListQuery },
      responses: { 200: { description: "One page of journeys.", ...json(JourneyPage) } },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        await listJourneys(db, {
          statuses: q.status ?? null,
          q: q.q ?? null,
          sort: q.sort,
          limit: q.limit,
          cursor: q.cursor ?? null,
        }),
        200,
      );
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/journeys",
        operationId: "createJourney",
        tags: ["journeys"],
        summary: "Create a journey",
        description:
          "Send a whole journey document, or just `{name}` for a new journey with one trigger. A document " +
          "may have compile errors (it is a draft); it may not be malformed.",
        request: { body: { required: true, ...json(unchecked(z.union([DraftJourney, NewJourney]))) } },
        responses: {
          201: { description: "Created; ETag and Location headers set.", ...json(unchecked(JourneyDetail)) },
          409: { description: "A journey with this id exists already (`already_exists`)." },
        },
      },
      { accept: ["json"], maxBytes: docBytes, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const value = await jsonFromBody(c.get("body"), docBytes);
      const doc = checkDocument(
        isDocument(value) ? value : await starter(value, journeyExists(db)),
        undefined,
        await wordingPolicy(db),
      );
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const r = await insertJourney(tx, doc, actor, now);
        await recordAudit(tx, now, actor, "journey.create", { type: "journey", id: r.id }, { revision: r.revision });
        return r;
      });
      return jsonText(detailJson(row), 201, { ETag: `"${etagOf(row)}"`, Location: `/v1/journeys/${row.id}` });
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}",
      operationId: "getJourney",
      tags: ["journeys"],
      summary: "Read a journey with its draft",
      description:
        "The ETag header is the draft revision; send it back in If-Match when saving. If-None-Match with it " +
        "answers 304 when nothing changed.",
      request: { params: IdParam },
      responses: {
        200: {
          description: "The journey, its draft document, the compiler's issues and cost.",
          ...json(unchecked(JourneyDetail)),
        },
        304: { description: "Not modified since the ETag in If-None-Match." },
        404: { description: "No such journey." },
      },
    }),
    async (c) => {
      const row = await getJourney(db, c.req.valid("param").id);
      const etag = etagOf(row);
      if (noneMatch(c.req.header("if-none-match"), etag)) return c.body(null, 304, { ETag: `"${etag}"` });
      return jsonText(detailJson(row), 200, { ETag: `"${etag}"` });
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "put",
        path: "/journeys/{id}/draft",
        operationId: "saveDraft",
        tags: ["journeys"],
        summary: "Save the draft",
        description:
          "Replaces the draft document. If-Match is required: a stale ETag answers 409 with the current " +
          "journey in `error.current`. The document's id must be the journey's. Compile errors do not stop a " +
          "save; they come back in `issues`.",
        request: { params: IdParam, headers: IfMatch, body: { required: true, ...json(unchecked(DraftJourney)) } },
        responses: {
          200: { description: "Saved; the new ETag is in the header.", ...json(unchecked(JourneyDetail)) },
          404: { description: "No such journey." },
          409: { description: "Stale ETag (`conflict`, with `error.current`) or an archived journey." },
          428: { description: "If-Match is missing." },
        },
      },
      { accept: ["json"], maxBytes: docBytes, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const value = await jsonFromBody(c.get("body"), docBytes);
      const doc = checkDocument(value, undefined, await wordingPolicy(db));
      if (doc.document.id !== id) {
        throw badRequest(
          "id_mismatch",
          `the document's id is "${doc.document.id}" but this is journey "${id}"; ids cannot change ` +
            `(duplicate the journey instead)`,
          [{ path: "$.id", message: `must be "${id}"` }],
        );
      }
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const current = await lockJourney(tx, id);
        checkIfMatch(current, c.req.header("if-match"), true);
        refuseArchived(current);
        const next = await writeDraft(tx, current, doc, actor, now);
        await recordAudit(
          tx,
          now,
          actor,
          "journey.edit",
          { type: "journey", id },
          { fromRevision: current.revision, toRevision: next.revision },
        );
        return next;
      });
      return jsonText(detailJson(row), 200, { ETag: `"${etagOf(row)}"` });
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/journeys/{id}/duplicate",
        operationId: "duplicateJourney",
        tags: ["journeys"],
        summary: "Duplicate a journey",
        description: "Copies the draft (or a published version) into a new journey, which starts as a draft.",
        request: { params: IdParam, body: { required: false, ...json(DuplicateBody) } },
        responses: {
          201: { description: "The copy.", ...json(unchecked(JourneyDetail)) },
          404: { description: "No such journey or version." },
        },
      },
      { accept: ["json"], maxBytes: docBytes },
    ),
    async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const source = await lockJourney(tx, id);
        const text = body.version !== undefined ? (await getVersion(tx, id, body.version)).document : source.draft;
        const original = JSON.parse(text) as Record<string, unknown>;
        const newId = body.id ?? (await uniqueIdAsync(`${id}-copy`.slice(0, 64), journeyExists(tx)));
        const doc = checkDocument({
          ...original,
          id: newId,
          name: body.name ?? `${String(original.name)} (copy)`.slice(0, 200),
        });
        const r = await insertJourney(tx, doc, actor, now);
        await recordAudit(
          tx,
          now,
          actor,
          "journey.duplicate",
          { type: "journey", id: r.id },
          { from: id, ...(body.version !== undefined ? { version: body.version } : {}) },
        );
        return r;
      });
      return jsonText(detailJson(row), 201, { ETag: `"${etagOf(row)}"`, Location: `/v1/journeys/${row.id}` });
    },
  );

  const archiveRoute = (archive: boolean) =>
    route("editor", {
      method: "post",
      path: archive ? "/journeys/{id}/archive" : "/journeys/{id}/unarchive",
      operationId: archive ? "archiveJourney" : "unarchiveJourney",
      tags: ["journeys"],
      summary: archive ? "Archive a journey" : "Bring an archived journey back",
      description: archive
        ? "Archived journeys leave the list and the engine feed (the engine stops running them) and cannot be " +
          "edited. Archiving a published journey needs the publisher role."
        : "Restores an archived journey. A published journey comes back **paused**, so running it again is a " +
          "deliberate resume. Needs the publisher role if it was published.",
      request: { params: IdParam },
      responses: {
        200: { description: "The journey now.", ...json(JourneySummary) },
        404: { description: "No such journey." },
      },
    });

  for (const archive of [true, false]) {
    app.openapi(archiveRoute(archive), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const current = await lockJourney(tx, id);
        if (current.liveVersion !== null && !allows("publisher", actor.role)) {
          throw new ApiError(
            403,
            "forbidden",
            `journey "${id}" is published: ${archive ? "archiving" : "restoring"} it changes what the engine ` +
              `runs and needs the publisher role`,
          );
        }
        if ((current.archivedAt !== null) === archive) return current;
        const set = archive
          ? { archivedAt: now.toISOString() }
          : { archivedAt: null, paused: current.liveVersion !== null ? true : current.paused };
        const next = await updateJourney(tx, current, {
          ...set,
          status: statusOf({ ...current, ...set }),
          updatedAt: now.toISOString(),
          updatedBy: actor.name,
        });
        if (current.liveVersion !== null) await bumpFeed(tx);
        await recordAudit(tx, now, actor, archive ? "journey.archive" : "journey.unarchive", { type: "journey", id });
        return next;
      });
      return c.json(toSummary(row), 200);
    });
  }

  app.openapi(
    route("editor", {
      method: "delete",
      path: "/journeys/{id}",
      operationId: "deleteJourney",
      tags: ["journeys"],
      summary: "Delete a draft journey",
      description:
        "Only a journey that was never published can be deleted; published ones keep their history and are " +
        "archived instead. If-Match, when sent, must match.",
      request: { params: IdParam, headers: IfMatch },
      responses: {
        204: { description: "Deleted." },
        404: { description: "No such journey." },
        409: { description: "The journey was published, or the ETag is stale." },
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const now = deps.clock();
      await db.transaction(async (tx) => {
        const current = await lockJourney(tx, id);
        checkIfMatch(current, c.req.header("if-match"), false);
        if (current.liveVersion !== null || (await findVersion(tx, id, 1))) {
          throw new ApiError(
            409,
            "published",
            `journey "${id}" has published versions and cannot be deleted; archive it instead`,
          );
        }
        await tx.q.delete(tx.t.journeys).where(eq(tx.t.journeys.id, id));
        await recordAudit(
          tx,
          now,
          actor,
          "journey.delete",
          { type: "journey", id },
          { revision: current.revision, name: current.name },
        );
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    route(
      "viewer",
      {
        method: "post",
        path: "/validate",
        operationId: "validateJourney",
        tags: ["journeys"],
        summary: "Validate a journey document",
        description:
          "Runs the compiler on a document without storing anything: every problem with its JSON path, node " +
          "and field, and the worst-case cost.",
        request: { body: { required: true, ...json(unchecked(DraftJourney)) } },
        responses: { 200: { description: "The compiler's verdict.", ...json(ValidationResult) } },
      },
      { accept: ["json", "multipart"], maxBytes: docBytes + 64 * 1024, required: true },
    ),
    async (c) => {
      // Malformed documents get an answer too, not an error: that is what the caller asks about.
      const r = compileJourney(await jsonFromBody(c.get("body"), docBytes), { wording: await wordingPolicy(db) });
      return c.json({ ok: r.ok, issues: fromCompilerIssues(r.issues), cost: r.cost }, 200);
    },
  );

  return app;
}

const isDocument = (v: unknown): boolean =>
  v !== null && typeof v === "object" && !Array.isArray(v) && ("schemaVersion" in v || "nodes" in v);

/** `{name}` → a new document with one trigger, its params the registry's defaults. */
async function starter(value: unknown, taken: (id: string) => Promise<boolean>): Promise<unknown> {
  const parsed = NewJourney.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(400, "invalid_request", "send a journey document, or {name} to start a new one", {
      issues: fromZodIssues(parsed.error.issues, "$"),
    });
  }
  const { name, description, timeZone } = parsed.data;
  const id = parsed.data.id ?? (await uniqueIdAsync(slugify(name, "journey"), taken));
  const starter = STARTER_KIND;
  return {
    schemaVersion: SCHEMA_VERSION,
    id,
    name,
    description: description ?? "",
    timeZone,
    entry: { reentry: "once" },
    nodes: [{ id: "start", kind: starter.kind, position: { x: 0, y: 0 }, params: starter.defaults() }],
    edges: [],
  };
}
