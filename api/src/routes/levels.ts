/** GET /v1/levels: the workspace's growth levels (LIFELOOP_LEVELS), as the engine feed carries them, for the editor. */
import { z } from "zod";
import { WorkspaceLevels } from "@lifeloop/shared";
import type { Deps } from "../context.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";

const LevelsAnswer = named(
  "WorkspaceLevelsAnswer",
  z.object({
    levels: WorkspaceLevels.nullable().meta({ description: "null: the workspace defines no growth levels." }),
  }),
);

export function levelRoutes(deps: Deps) {
  const app = newRouter();
  app.openapi(
    route("viewer", {
      method: "get",
      path: "/levels",
      operationId: "getLevels",
      tags: ["levels"],
      summary: "The workspace's growth levels",
      description:
        "How people earn experience (a rule per event type, capped per period), the levels with their " +
        "thresholds and benefits, and how often a level may go down. Set at start (LIFELOOP_LEVELS).",
      responses: { 200: { description: "The definition, or null.", ...json(LevelsAnswer) } },
    }),
    (c) => c.json({ levels: deps.levels }, 200),
  );
  return app;
}
