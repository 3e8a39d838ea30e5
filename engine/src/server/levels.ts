/**
 * Growth levels on the sidecar: GET /v1/levels answers the definition the engine applies (what its
 * journey feed carried, or the files' setting), and a person's view shows their level and xp now.
 */
import type { LevelsView, PersonView } from "@lifeloop/shared";
import type { Hono } from "hono";
import type { UserState } from "../core/index.ts";
import { levelData, nextReview } from "../core/levels.ts";
import type { DurableEngine } from "../runtime/durable.ts";

/** The person's level as GET /v1/users/{id} shows it; null when the workspace defines no levels. */
export function personLevel(engine: DurableEngine, state: UserState, now: number): PersonView["level"] {
  const def = engine.currentWorld.levels;
  if (def === null) return null;
  const data = levelData(state, def, now);
  const review = nextReview(state);
  return {
    id: String(data.id),
    rank: Number(data.rank),
    xp: Number(data.xp),
    reviewAt: review === null ? null : new Date(review).toISOString(),
  };
}

export function levelsRoute(app: Hono, engine: DurableEngine): void {
  app.get("/v1/levels", (c) => c.json({ levels: engine.currentWorld.levels } satisfies LevelsView));
}
