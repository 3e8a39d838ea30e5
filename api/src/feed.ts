/**
 * The feed the engine sidecar pulls: every journey with a published version that is not archived,
 * with all its versions (people still in flight run on older ones) and each version's executable
 * graph. Assembled as text from the stored JSON, and kept until the feed revision moves, so a poll
 * that finds nothing new costs one indexed read.
 */
import { and, asc, inArray, isNotNull, isNull } from "drizzle-orm";
import { createHash } from "node:crypto";
import { EngineFeed, type WorkspaceHoldout, type WorkspaceLevels } from "@lifeloop/shared";
import type { Store } from "./db/open.ts";
import { named } from "./openapi.ts";
import { feedEtag } from "./workspace.ts";

/** The contract, from shared: the engine validates what it pulls against the same schema. */
export const Feed = named("EngineFeed", EngineFeed);

export function feedReader(
  db: Store,
  holdout: WorkspaceHoldout | null = null,
  levels: WorkspaceLevels | null = null,
): () => Promise<{ etag: string; body: string }> {
  let cached: { etag: string; body: string } | null = null;
  // The holdout and the levels are set at start: a restart with others must not be answered 304 by
  // an engine's old ETag, so each is part of the ETag (a digest of its JSON).
  const holdoutJson = holdout ? JSON.stringify(holdout) : null;
  const levelsJson = levels ? JSON.stringify(levels) : null;
  const digest = (json: string) => createHash("sha256").update(json).digest("hex").slice(0, 12);
  const tag = (holdoutJson ? `-h${digest(holdoutJson)}` : "") + (levelsJson ? `-l${digest(levelsJson)}` : "");
  return async () => {
    const etag = `${await feedEtag(db)}${tag}`;
    if (cached?.etag === etag) return cached;
    cached = { etag, body: await buildFeed(db, etag, holdoutJson, levelsJson) };
    return cached;
  };
}

async function buildFeed(
  db: Store,
  etag: string,
  holdoutJson: string | null,
  levelsJson: string | null,
): Promise<string> {
  const { journeys, journeyVersions } = db.t;
  // One transaction: the journeys and their versions are from the same moment (on PostgreSQL,
  // REPEATABLE READ would be stricter; the etag read before it can only be older, so a poll after
  // a publish sees the new revision and refetches).
  return db.transaction(async (tx) => {
    const rows = await tx.q
      .select({ id: journeys.id, name: journeys.name, paused: journeys.paused, liveVersion: journeys.liveVersion })
      .from(journeys)
      .where(and(isNull(journeys.archivedAt), isNotNull(journeys.liveVersion)))
      .orderBy(asc(journeys.id));
    const versions =
      rows.length === 0
        ? []
        : await tx.q
            .select({
              journeyId: journeyVersions.journeyId,
              version: journeyVersions.version,
              publishedAt: journeyVersions.publishedAt,
              inFlight: journeyVersions.inFlight,
              executable: journeyVersions.executable,
            })
            .from(journeyVersions)
            .where(
              inArray(
                journeyVersions.journeyId,
                rows.map((r) => r.id),
              ),
            )
            .orderBy(asc(journeyVersions.journeyId), asc(journeyVersions.version));
    const byJourney = new Map<string, string[]>();
    for (const v of versions) {
      const head = JSON.stringify({ version: v.version, publishedAt: v.publishedAt, inFlight: v.inFlight });
      const list = byJourney.get(v.journeyId) ?? [];
      list.push(`${head.slice(0, -1)},"executable":${v.executable}}`);
      byJourney.set(v.journeyId, list);
    }
    const items = rows.map((r) => {
      const head = JSON.stringify({
        journeyId: r.id,
        name: r.name,
        status: r.paused ? "paused" : "live",
        liveVersion: r.liveVersion,
      });
      return `${head.slice(0, -1)},"versions":[${(byJourney.get(r.id) ?? []).join(",")}]}`;
    });
    const holdout = holdoutJson ? `,"holdout":${holdoutJson}` : "";
    const levels = levelsJson ? `,"levels":${levelsJson}` : "";
    return `{"etag":${JSON.stringify(etag)},"journeys":[${items.join(",")}]${holdout}${levels}}`;
  });
}
