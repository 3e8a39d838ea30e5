/**
 * Publishing and what follows it: compile the draft into an immutable numbered version (refused
 * with the compiler's errors), list and read versions, diff any two (or a version and the draft),
 * pause and resume, restore an old version into the draft.
 */
import { z } from "zod";
import {
  DiffResult,
  diffJourneys,
  InFlight,
  JourneyDetail,
  JourneySummary,
  Version,
  VersionList,
  type DraftJourney,
} from "@lifeloop/shared";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import type { Deps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { Approval, requestApproval } from "../journeys/approvals.ts";
import { publishDraft } from "../journeys/publish.ts";
import { readSettings } from "../policy.ts";
import { checkDocument } from "../journeys/document.ts";
import {
  checkIfMatch,
  detailJson,
  etagOf,
  getJourney,
  lockJourney,
  getVersion,
  latestVersion,
  listVersions,
  statusOf,
  toSummary,
  updateJourney,
  versionJson,
  writeDraft,
  refuseArchived,
} from "../journeys/store.ts";
import { named, unchecked } from "../openapi.ts";
import { json, jsonText, newRouter, route } from "../route.ts";
import { bumpFeed } from "../workspace.ts";

const IdParam = z.object({ id: z.string().max(64) });
const VersionParam = IdParam.extend({ version: z.coerce.number().int().min(1) });

const PublishBody = named(
  "PublishRequest",
  z.object({
    note: z
      .string()
      .max(2000)
      .default("")
      .meta({ description: "Why this version: shown in the version list and the audit log." }),
    inFlight: InFlight.default("keep"),
  }),
);

const Ref = z
  .union([z.literal("draft"), z.coerce.number().int().min(1)])
  .meta({ description: 'A version number, or "draft".' });

const DiffQuery = z.object({
  from: Ref.optional().meta({ description: "Defaults to the latest published version." }),
  to: Ref.default("draft").meta({ description: 'Defaults to "draft".' }),
});

const IfMatch = z.object({
  "if-match": z.string().optional().meta({ description: "When sent: the draft ETag this action is based on." }),
});

export function versionRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;

  app.openapi(
    route(
      "publisher",
      {
        method: "post",
        path: "/journeys/{id}/publish",
        operationId: "publishJourney",
        tags: ["versions"],
        summary: "Publish the draft as a new version",
        description:
          "Compiles the draft with the workspace's wording policy. With errors: 422 `compile_failed` listing " +
          "every issue with its path and node. Otherwise a new immutable version numbered one above the last, " +
          "recording who, when, the note and the in-flight policy; the engine feed serves it at once. A paused " +
          "journey stays paused (resume runs the new version). When the workspace requires approval, nothing " +
          "is published yet: 202 with the publish request, which a second person with the approver role " +
          "approves or rejects (see /approvals). If-Match, when sent, must be the draft ETag you reviewed. " +
          "The version's issues also warn (`live_reward_overlap`, never blocking) of each other live journey " +
          "that enters on one of the same events and also rewards.",
        request: { params: IdParam, headers: IfMatch, body: { required: false, ...json(PublishBody) } },
        responses: {
          201: { description: "The new version; Location points at it.", ...json(unchecked(Version)) },
          202: { description: "Sent for approval: the publish request, waiting.", ...json(Approval) },
          404: { description: "No such journey." },
          409: { description: "Archived, nothing changed since the last version, or a stale If-Match." },
          422: { description: "The draft does not compile: `error.issues` lists why." },
        },
      },
      { accept: ["json"], maxBytes: deps.limits.documentBytes },
    ),
    async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const note = body.note ?? "";
      const inFlight = body.inFlight ?? "keep";
      const now = deps.clock();
      const done = await db.transaction(async (tx) => {
        const row = await lockJourney(tx, id);
        checkIfMatch(row, c.req.header("if-match"), false);
        if ((await readSettings(tx)).requireApproval)
          return { approval: await requestApproval({ ...deps, db: tx }, row, actor, now, { note, inFlight }) };
        return await publishDraft(tx, row, actor, now, { note, inFlight });
      });
      if ("approval" in done) return c.json(done.approval, 202);
      return jsonText(versionJson(done.version, done.journey), 201, {
        Location: `/v1/journeys/${id}/versions/${done.version.version}`,
      });
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/versions",
      operationId: "listVersions",
      tags: ["versions"],
      summary: "List published versions, newest first",
      request: { params: IdParam },
      responses: {
        200: { description: "Every version.", ...json(VersionList) },
        404: { description: "No such journey." },
      },
    }),
    async (c) => {
      const row = await getJourney(db, c.req.valid("param").id);
      return c.json({ items: await listVersions(db, row) }, 200);
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/versions/{version}",
      operationId: "getVersion",
      tags: ["versions"],
      summary: "Read one version: document, executable graph, warnings",
      request: { params: VersionParam },
      responses: {
        200: { description: "The version.", ...json(unchecked(Version)) },
        404: { description: "No such journey or version." },
      },
    }),
    async (c) => {
      const { id, version } = c.req.valid("param");
      const row = await getJourney(db, id);
      return jsonText(versionJson(await getVersion(db, id, version), row), 200, {
        "Cache-Control": "private, max-age=31536000, immutable",
      });
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/journeys/{id}/diff",
      operationId: "diffVersions",
      tags: ["versions"],
      summary: "What changed between two versions (or a version and the draft)",
      description:
        "Nodes added, removed and changed (with each changed field, before and after), nodes only moved, " +
        "edges added and removed, journey-level and segment changes.",
      request: { params: IdParam, query: DiffQuery },
      responses: {
        200: { description: "The semantic diff.", ...json(DiffResult) },
        404: { description: "No such journey or version." },
        409: { description: "Nothing published to compare with." },
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      const row = await getJourney(db, id);
      const from = q.from ?? (await latestVersion(db, id))?.version;
      if (from === undefined)
        throw new ApiError(
          409,
          "not_published",
          `journey "${id}" has no published version to compare with; pass from=<version>`,
        );
      const to = q.to ?? "draft";
      const load = async (ref: number | "draft"): Promise<DraftJourney> =>
        JSON.parse(ref === "draft" ? row.draft : (await getVersion(db, id, ref)).document) as DraftJourney;
      return c.json({ journeyId: id, from, to, diff: diffJourneys(await load(from), await load(to)) }, 200);
    },
  );

  for (const pause of [true, false]) {
    app.openapi(
      route("publisher", {
        method: "post",
        path: pause ? "/journeys/{id}/pause" : "/journeys/{id}/resume",
        operationId: pause ? "pauseJourney" : "resumeJourney",
        tags: ["versions"],
        summary: pause ? "Pause a live journey" : "Resume a paused journey",
        description: pause
          ? "The feed marks it paused: the engine lets nobody new in and holds runs in flight until it is " +
            "resumed. Pausing a paused journey changes nothing."
          : "The feed marks it live again. Resuming a live journey changes nothing.",
        request: { params: IdParam },
        responses: {
          200: { description: "The journey now.", ...json(JourneySummary) },
          404: { description: "No such journey." },
          409: { description: "Never published, or archived." },
        },
      }),
      async (c) => {
        const actor = actorOf(c);
        const { id } = c.req.valid("param");
        const now = deps.clock();
        const row = await db.transaction(async (tx) => {
          const current = await lockJourney(tx, id);
          refuseArchived(current);
          if (current.liveVersion === null)
            throw new ApiError(
              409,
              "not_published",
              `journey "${id}" has never been published, so there is nothing to ${pause ? "pause" : "resume"}`,
            );
          if (current.paused === pause) return current;
          const next = await updateJourney(tx, current, {
            paused: pause,
            status: statusOf({ ...current, paused: pause }),
          });
          await bumpFeed(tx);
          await recordAudit(
            tx,
            now,
            actor,
            pause ? "journey.pause" : "journey.resume",
            { type: "journey", id },
            { version: current.liveVersion },
          );
          return next;
        });
        return c.json(toSummary(row), 200);
      },
    );
  }

  app.openapi(
    route("editor", {
      method: "post",
      path: "/journeys/{id}/versions/{version}/restore",
      operationId: "restoreVersion",
      tags: ["versions"],
      summary: "Make a published version the draft again",
      description:
        "Replaces the draft with that version's document (publish to make it live). If-Match, when sent, " +
        "must match the draft.",
      request: { params: VersionParam, headers: IfMatch },
      responses: {
        200: { description: "The journey with its new draft.", ...json(unchecked(JourneyDetail)) },
        404: { description: "No such journey or version." },
        409: { description: "Archived, or a stale If-Match." },
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { id, version } = c.req.valid("param");
      const now = deps.clock();
      const row = await db.transaction(async (tx) => {
        const current = await lockJourney(tx, id);
        refuseArchived(current);
        checkIfMatch(current, c.req.header("if-match"), false);
        const doc = checkDocument(JSON.parse((await getVersion(tx, id, version)).document));
        const next = await writeDraft(tx, current, doc, actor, now);
        await recordAudit(
          tx,
          now,
          actor,
          "journey.restore",
          { type: "journey", id },
          { version, toRevision: next.revision },
        );
        return next;
      });
      return jsonText(detailJson(row), 200, { ETag: `"${etagOf(row)}"` });
    },
  );

  return app;
}
