/**
 * Journeys as files: export one (its draft or a version) as a JSON download, import one (JSON body
 * or multipart upload), and the whole workspace (journeys and segments) as one file each way.
 * Imports are checked whole before anything is written and written in one transaction: all or
 * nothing. Ids already taken are re-mapped (`welcome` → `welcome-2`) and the answer says so; files
 * of an older schemaVersion are migrated first.
 */
import { asc, isNull } from "drizzle-orm";
import { z } from "zod";
import { DraftJourney, ImportResult, migrateDocument, SCHEMA_VERSION, Segment } from "@lifeloop/shared";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import { jsonFromBody } from "../body.ts";
import type { Deps } from "../context.ts";
import { ApiError, type ErrorIssue } from "../errors.ts";
import { uniqueIdAsync } from "@lifeloop/shared";
import { checkDocument, type CheckedDocument } from "../journeys/document.ts";
import { detailJson, getJourney, getVersion, insertJourney, journeyExists } from "../journeys/store.ts";
import { fileUpload, named, unchecked } from "../openapi.ts";
import { json, jsonText, newRouter, route } from "../route.ts";
import { renameSegments, segmentIssues } from "../segments/check.ts";
import { insertSegment, segmentExists, toResource } from "../segments/store.ts";

const WORKSPACE_FORMAT = "lifeloop.workspace/1";

const WorkspaceFile = named(
  "WorkspaceFile",
  z.object({
    format: z.literal(WORKSPACE_FORMAT),
    schemaVersion: z
      .number()
      .int()
      .meta({ description: "schemaVersion of the journey documents inside (each also carries its own)." }),
    exportedAt: z.string().optional(),
    journeys: z.array(DraftJourney).meta({ description: "Each journey's draft document." }),
    segments: z.array(Segment).default([]),
  }),
);

const WorkspaceImportResult = named(
  "WorkspaceImportResult",
  z.object({
    journeys: z.array(
      z.object({ id: z.string(), from: z.string().optional(), migratedFrom: z.number().int().optional() }),
    ),
    segments: z.array(z.object({ id: z.string(), from: z.string().optional() })),
  }),
);

const ConflictQuery = z.object({
  onConflict: z
    .enum(["rename", "fail"])
    .default("rename")
    .meta({ description: "When an id is taken: give the import a free one (rename), or refuse with 409 (fail)." }),
});

const UPLOAD = (schema: z.ZodType) => ({
  "application/json": { schema: unchecked(schema) },
  "multipart/form-data": fileUpload("The file."),
});

/** Multipart framing around a file: allowed on top of the file's own limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

export function transferRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;
  const docBytes = deps.limits.documentBytes;

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/export",
      operationId: "exportJourney",
      tags: ["import/export"],
      summary: "Download a journey file",
      description:
        "The draft, or a published version with ?version=N, as the journey file format (with schemaVersion), " +
        "served as an attachment.",
      request: {
        params: z.object({ id: z.string().max(64) }),
        query: z.object({ version: z.coerce.number().int().min(1).optional() }),
      },
      responses: {
        200: { description: "The journey file.", ...json(unchecked(DraftJourney)) },
        404: { description: "No such journey or version." },
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { version } = c.req.valid("query");
      const row = await getJourney(db, id);
      const text = version !== undefined ? (await getVersion(db, id, version)).document : row.draft;
      const filename = version !== undefined ? `${id}.v${version}.json` : `${id}.json`;
      return new Response(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, {
        status: 200,
        headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${filename}"` },
      });
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/journeys/import",
        operationId: "importJourney",
        tags: ["import/export"],
        summary: "Import a journey file",
        description:
          "The file as the JSON body, or as the multipart field `file`. It becomes a new draft journey; " +
          "nothing is stored unless the whole file is a journey document.",
        request: { query: ConflictQuery, body: { required: true, content: UPLOAD(DraftJourney) } },
        responses: {
          201: { description: "Imported.", ...json(unchecked(ImportResult)) },
          409: { description: "The id is taken and onConflict=fail." },
        },
      },
      { accept: ["json", "multipart"], maxBytes: docBytes + MULTIPART_OVERHEAD, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const { onConflict } = c.req.valid("query");
      const body = c.get("body");
      if (body.kind === "json" && body.bytes > docBytes)
        throw new ApiError(
          413,
          "payload_too_large",
          `the journey file is ${body.bytes} bytes; the limit is ${docBytes}`,
        );
      const { doc, migratedFrom } = readJourneyFile(await jsonFromBody(body, docBytes), "$");
      const now = deps.clock();
      const { row, remapped } = await db.transaction(async (tx) => {
        const { checked, remapped } = await claimId(doc, journeyExists(tx), onConflict);
        const r = await insertJourney(tx, checked, actor, now);
        await recordAudit(
          tx,
          now,
          actor,
          "journey.import",
          { type: "journey", id: r.id },
          { ...(remapped ? { remappedFrom: remapped.from } : {}), ...(migratedFrom !== null ? { migratedFrom } : {}) },
        );
        return { row: r, remapped };
      });
      return jsonText(
        `{"remapped":${JSON.stringify(remapped)}` +
          `,"migratedFrom":${JSON.stringify(migratedFrom)}` +
          `,"journey":${detailJson(row)}}`,
        201,
        {
          Location: `/v1/journeys/${row.id}`,
        },
      );
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/workspace/export",
      operationId: "exportWorkspace",
      tags: ["import/export"],
      summary: "Download the whole workspace as one file",
      description:
        "Every journey's draft and every workspace segment. Published versions, keys, profiles and the audit " +
        "log stay behind: the file carries designs, the database file is the backup.",
      request: {
        query: z.object({
          archived: z.enum(["true", "false"]).default("false").meta({ description: "Include archived journeys." }),
        }),
      },
      responses: { 200: { description: "The workspace file.", ...json(WorkspaceFile) } },
    }),
    async (c) => {
      const { archived } = c.req.valid("query");
      const { journeys, segments: segmentsTable } = db.t;
      const rows = await db.q
        .select({ draft: journeys.draft })
        .from(journeys)
        .where(archived === "true" ? undefined : isNull(journeys.archivedAt))
        .orderBy(asc(journeys.id));
      const segs = (await db.q.select().from(segmentsTable).orderBy(asc(segmentsTable.id))).map((r) => {
        const {
          revision: _r,
          etag: _e,
          createdAt: _ca,
          createdBy: _cb,
          updatedAt: _ua,
          updatedBy: _ub,
          ...s
        } = toResource(r);
        return s;
      });
      const now = deps.clock();
      const head = JSON.stringify({
        format: WORKSPACE_FORMAT,
        schemaVersion: SCHEMA_VERSION,
        exportedAt: now.toISOString(),
      });
      const drafts = rows.map((r) => r.draft).join(",");
      const text = `${head.slice(0, -1)},"journeys":[${drafts}],"segments":${JSON.stringify(segs)}}\n`;
      const day = now.toISOString().slice(0, 10);
      return jsonText(text, 200, { "content-disposition": `attachment; filename="lifeloop-workspace-${day}.json"` });
    },
  );

  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/workspace/import",
        operationId: "importWorkspace",
        tags: ["import/export"],
        summary: "Import a workspace file",
        description:
          "Every journey and segment in the file is checked before anything is written; one problem anywhere " +
          "(each reported with its path in the file) and nothing is stored. Taken ids are re-mapped; " +
          "in_segment references between imported segments follow their renames. Journeys arrive as drafts.",
        request: { query: ConflictQuery, body: { required: true, content: UPLOAD(WorkspaceFile) } },
        responses: {
          201: { description: "Imported.", ...json(WorkspaceImportResult) },
          409: { description: "An id is taken and onConflict=fail." },
        },
      },
      { accept: ["json", "multipart"], maxBytes: deps.limits.workspaceBytes + MULTIPART_OVERHEAD, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const { onConflict } = c.req.valid("query");
      const body = c.get("body");
      if (body.kind === "json" && body.bytes > deps.limits.workspaceBytes) {
        throw new ApiError(
          413,
          "payload_too_large",
          `the workspace file is ${body.bytes} bytes; the limit is ${deps.limits.workspaceBytes}`,
        );
      }
      const file = readWorkspaceFile(await jsonFromBody(body, deps.limits.workspaceBytes), docBytes);
      const now = deps.clock();
      const result = await db.transaction(async (tx) => {
        const taken = journeyExists(tx);
        const out: z.infer<typeof WorkspaceImportResult> = { journeys: [], segments: [] };
        const segRenames = new Map<string, string>();
        const segTaken = segmentExists(tx);
        const fileSegIds = new Set<string>(file.segments.map((s) => s.id));
        for (const s of file.segments) {
          if (!(await segTaken(s.id))) continue;
          if (onConflict === "fail")
            throw new ApiError(409, "already_exists", `a segment with id "${s.id}" already exists`);
          segRenames.set(
            s.id,
            await uniqueIdAsync(
              s.id,
              async (id) => fileSegIds.has(id) || [...segRenames.values()].includes(id) || (await segTaken(id)),
            ),
          );
        }
        for (const s of file.segments) {
          const id = segRenames.get(s.id) ?? s.id;
          await insertSegment(
            tx,
            {
              ...s,
              id: id as Segment["id"],
              condition: renameSegments(s.condition, segRenames) as Segment["condition"],
            },
            actor,
            now,
          );
          await recordAudit(
            tx,
            now,
            actor,
            "segment.create",
            { type: "segment", id },
            { imported: true, ...(id !== s.id ? { remappedFrom: s.id } : {}) },
          );
          out.segments.push({ id, ...(id !== s.id ? { from: s.id } : {}) });
        }
        const fileIds = new Set(file.journeys.map((j) => j.doc.document.id as string));
        const claimed = new Set<string>();
        for (const j of file.journeys) {
          const { checked, remapped } = await claimId(
            j.doc,
            async (id) => claimed.has(id) || (id !== j.doc.document.id && fileIds.has(id)) || (await taken(id)),
            onConflict,
          );
          claimed.add(checked.document.id);
          await insertJourney(tx, checked, actor, now);
          await recordAudit(
            tx,
            now,
            actor,
            "journey.import",
            { type: "journey", id: checked.document.id },
            {
              workspace: true,
              ...(remapped ? { remappedFrom: remapped.from } : {}),
              ...(j.migratedFrom !== null ? { migratedFrom: j.migratedFrom } : {}),
            },
          );
          out.journeys.push({
            id: checked.document.id,
            ...(remapped ? { from: remapped.from } : {}),
            ...(j.migratedFrom !== null ? { migratedFrom: j.migratedFrom } : {}),
          });
        }
        await recordAudit(
          tx,
          now,
          actor,
          "workspace.import",
          { type: "workspace", id: "workspace" },
          { journeys: out.journeys.length, segments: out.segments.length },
        );
        return out;
      });
      return c.json(result, 201);
    },
  );

  return app;
}

/** A journey file: migrated to the current schemaVersion, then checked as a document. */
function readJourneyFile(value: unknown, base: string): { doc: CheckedDocument; migratedFrom: number | null } {
  const migrated = migrateDocument(value);
  if (!migrated.ok) {
    throw new ApiError(400, "invalid_document", `${migrated.path}: ${migrated.message}`, {
      issues: [{ path: rebase(migrated.path, base), message: migrated.message, code: "schema_version" }],
    });
  }
  const doc = checkDocument(migrated.document);
  return { doc, migratedFrom: migrated.from !== SCHEMA_VERSION ? migrated.from : null };
}

async function claimId(
  doc: CheckedDocument,
  taken: (id: string) => Promise<boolean>,
  onConflict: "rename" | "fail",
): Promise<{ checked: CheckedDocument; remapped: { from: string; to: string } | null }> {
  const id = doc.document.id;
  if (!(await taken(id))) return { checked: doc, remapped: null };
  if (onConflict === "fail")
    throw new ApiError(
      409,
      "already_exists",
      `a journey with id "${id}" already exists (import with onConflict=rename to give it a free id)`,
    );
  const to = await uniqueIdAsync(id, taken);
  return { checked: checkDocument({ ...doc.document, id: to }), remapped: { from: id, to } };
}

const rebase = (path: string, base: string): string => (base === "$" ? path : base + path.slice(1));

interface WorkspaceContents {
  journeys: Array<{ doc: CheckedDocument; migratedFrom: number | null }>;
  segments: Segment[];
}

/** The whole file checked, every problem collected with its path in the file, before any write. */
function readWorkspaceFile(value: unknown, docBytes: number): WorkspaceContents {
  const issues: ErrorIssue[] = [];
  const out: WorkspaceContents = { journeys: [], segments: [] };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(400, "invalid_workspace", "a workspace file is one JSON object", {
      issues: [{ path: "$", message: "not an object" }],
    });
  }
  const file = value as Record<string, unknown>;
  if (file.format !== WORKSPACE_FORMAT) issues.push({ path: "$.format", message: `must be "${WORKSPACE_FORMAT}"` });
  const list = (key: "journeys" | "segments"): unknown[] => {
    const v = file[key] ?? [];
    if (!Array.isArray(v)) {
      issues.push({ path: `$.${key}`, message: "must be an array" });
      return [];
    }
    return v;
  };
  const seen = new Set<string>();
  list("journeys").forEach((j, i) => {
    const base = `$.journeys[${i}]`;
    const bytes = Buffer.byteLength(JSON.stringify(j) ?? "", "utf8");
    if (bytes > docBytes) {
      issues.push({ path: base, message: `this journey is ${bytes} bytes; one journey may be at most ${docBytes}` });
      return;
    }
    try {
      const r = readJourneyFile(j, base);
      const id = r.doc.document.id as string;
      if (seen.has(id)) issues.push({ path: `${base}.id`, message: `journey id "${id}" appears twice in the file` });
      seen.add(id);
      out.journeys.push(r);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      for (const issue of e.extra.issues ?? []) issues.push({ ...issue, path: rebase(issue.path, base) });
    }
  });
  const segIds = new Set<string>();
  const rawSegments = list("segments");
  const rules: Record<string, unknown> = {};
  for (const s of rawSegments) {
    if (s && typeof s === "object" && typeof (s as { id?: unknown }).id === "string")
      rules[(s as { id: string }).id] = (s as { condition?: unknown }).condition;
  }
  rawSegments.forEach((s, i) => {
    const r = segmentIssues(s, rules, `$.segments[${i}]`);
    issues.push(...r.issues);
    if (r.segment) {
      if (segIds.has(r.segment.id))
        issues.push({ path: `$.segments[${i}].id`, message: `segment id "${r.segment.id}" appears twice in the file` });
      segIds.add(r.segment.id);
      out.segments.push(r.segment);
    }
  });
  if (issues.length > 0) {
    throw new ApiError(
      400,
      "invalid_workspace",
      `the workspace file has ${issues.length} problem${issues.length === 1 ? "" : "s"}; nothing was imported`,
      { issues: issues.slice(0, 200) },
    );
  }
  return out;
}
