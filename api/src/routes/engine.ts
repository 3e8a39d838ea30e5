/** GET /v1/engine/feed: what the engine sidecar polls (ETag / If-None-Match → 304). */
import type { Deps } from "../context.ts";
import { Feed, feedReader } from "../feed.ts";
import { unchecked } from "../openapi.ts";
import { json, jsonText, newRouter, noneMatch, route } from "../route.ts";

export function engineRoutes(deps: Deps) {
  const app = newRouter();
  const read = feedReader(deps.db, deps.holdout, deps.levels);

  app.openapi(
    route("feed", {
      method: "get",
      path: "/engine/feed",
      operationId: "engineFeed",
      tags: ["engine"],
      summary: "Published journeys for the engine",
      description:
        "Every journey with at least one published version that is not archived, with all its versions " +
        "(oldest first) and their executable graphs. The ETag changes whenever a publish, pause, resume, " +
        "archive or unarchive changes what this returns; send it in If-None-Match to get 304 while nothing " +
        "changed.",
      responses: {
        200: { description: "The feed; ETag header set.", ...json(unchecked(Feed)) },
        304: { description: "Nothing changed since the ETag in If-None-Match." },
      },
    }),
    async (c) => {
      const feed = await read();
      const headers = { ETag: `"${feed.etag}"`, "Cache-Control": "no-cache" };
      if (noneMatch(c.req.header("if-none-match"), feed.etag)) return c.body(null, 304, headers);
      return jsonText(feed.body, 200, headers);
    },
  );

  return app;
}
