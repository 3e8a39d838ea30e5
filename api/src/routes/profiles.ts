/**
 * The profiles segment previews count over: ingest an event stream, list, read, forget a person.
 */
import { z } from "zod";
import { ObservedEvents } from "@lifeloop/shared";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import type { Deps } from "../context.ts";
import { eventsFromBody } from "../events.ts";
import { arrayOf, fileUpload, named, textBody } from "../openapi.ts";
import {
  deleteProfile,
  getProfile,
  ingestEvents,
  listProfiles,
  observedProfileEvents,
  Profile,
} from "../profiles/store.ts";
import { json, newRouter, route } from "../route.ts";

const EVENT_STREAM = {
  "application/x-ndjson": textBody("One EventEnvelope per line (JSONL)."),
  "application/json": arrayOf("EventEnvelope"),
  "multipart/form-data": fileUpload("A JSONL file (or a JSON array)."),
};

const IngestResult = named(
  "IngestResult",
  z.object({
    accepted: z.number().int(),
    duplicates: z.number().int().meta({ description: "Events whose id was already stored: ingest is idempotent." }),
    profiles: z.number().int(),
  }),
);

const ProfilePage = named(
  "ProfilePage",
  z.object({ items: z.array(Profile), total: z.number().int(), nextCursor: z.string().nullable() }),
);

export function profileRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;

  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/profiles/events",
        operationId: "ingestEvents",
        tags: ["profiles"],
        summary: "Feed events into the preview profiles",
        description:
          "Validated whole: one bad event and nothing is stored. identify events set attributes; every event " +
          "counts for aggregates.",
        request: { body: { required: true, content: EVENT_STREAM } },
        responses: { 200: { description: "Stored.", ...json(IngestResult) } },
      },
      { accept: ["ndjson", "json", "multipart"], maxBytes: deps.limits.eventStreamBytes, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const events = await eventsFromBody(c.get("body"), deps.limits.eventStreamBytes, deps.limits.maxEvents);
      const now = deps.clock();
      const result = await db.transaction(async (tx) => {
        const r = await ingestEvents(tx, events);
        await recordAudit(tx, now, actor, "profiles.ingest", { type: "profile", id: "*" }, r);
        return r;
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/profiles/events",
      operationId: "observedProfileEvents",
      tags: ["profiles"],
      summary: "Event types the profiles were fed, with their properties (for the editor's fields)",
      description:
        "Read from the newest 5000 events only. Registered before /profiles/{userId}: a person whose id is " +
        '"events" is read through the list.',
      responses: { 200: { description: "The types seen, most frequent first.", ...json(ObservedEvents) } },
    }),
    async (c) => c.json(await observedProfileEvents(db), 200),
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/profiles",
      operationId: "listProfiles",
      tags: ["profiles"],
      summary: "List stored profiles",
      request: {
        query: z.object({
          q: z.string().max(200).optional().meta({ description: "Search in user ids." }),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(128).optional(),
        }),
      },
      responses: { 200: { description: "One page, by user id.", ...json(ProfilePage) } },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await listProfiles(db, { q: q.q ?? null, limit: q.limit, cursor: q.cursor ?? null }), 200);
    },
  );

  const UserParam = z.object({ userId: z.string().min(1).max(128) });

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/profiles/{userId}",
      operationId: "getProfile",
      tags: ["profiles"],
      summary: "Read one profile",
      request: { params: UserParam },
      responses: { 200: { description: "The profile.", ...json(Profile) }, 404: { description: "No such profile." } },
    }),
    async (c) => c.json(await getProfile(db, c.req.valid("param").userId), 200),
  );

  app.openapi(
    route("editor", {
      method: "delete",
      path: "/profiles/{userId}",
      operationId: "deleteProfile",
      tags: ["profiles"],
      summary: "Forget a person: their profile and stored events",
      request: { params: UserParam },
      responses: { 204: { description: "Deleted." }, 404: { description: "No such profile." } },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { userId } = c.req.valid("param");
      const now = deps.clock();
      await db.transaction(async (tx) => {
        const events = await deleteProfile(tx, userId);
        await recordAudit(tx, now, actor, "profiles.delete", { type: "profile", id: userId }, { events });
      });
      return c.body(null, 204);
    },
  );

  return app;
}
