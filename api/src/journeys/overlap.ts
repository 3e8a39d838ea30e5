/**
 * The overlap warning at publish: the compiler sees one journey, so whoever publishes (the editor's
 * dialog, a script calling the API) learns here that another live journey enters on the same event
 * and also rewards. The API knows every live journey, so its answer does not depend on which page of
 * the list the editor read. A warning, stored with the version's issues: it never blocks.
 */
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { entryRewardFacts, liveRewardOverlaps, type Issue, type LiveJourneyFacts } from "@lifeloop/shared";
import type { Store } from "../db/open.ts";

/**
 * At most this many other live journeys are read: one publish stays bounded work however large the
 * workspace (each read is a stored document, already validated when it was published).
 */
const MOST_LIVE = 1000;

/**
 * The live (published, not paused, not archived) journeys other than `except`, as the check needs
 * them: trigger events, rewards and the group, all read from the live version's document.
 */
async function liveJourneyFacts(db: Store, except: string): Promise<LiveJourneyFacts[]> {
  const { journeys, journeyVersions } = db.t;
  const rows = await db.q
    .select({ id: journeys.id, name: journeys.name, document: journeyVersions.document })
    .from(journeys)
    .innerJoin(
      journeyVersions,
      and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.liveVersion)),
    )
    .where(and(isNull(journeys.archivedAt), eq(journeys.paused, false), ne(journeys.id, except)))
    .orderBy(asc(journeys.id))
    .limit(MOST_LIVE);
  return rows.map((r) => ({ id: r.id, name: r.name, ...entryRewardFacts(JSON.parse(r.document)) }));
}

/** The warnings `document` gets from the other live journeys. */
export async function overlapWarnings(db: Store, doc: Parameters<typeof liveRewardOverlaps>[0]): Promise<Issue[]> {
  if (!entryRewardFacts(doc).rewards) return [];
  return liveRewardOverlaps(doc, await liveJourneyFacts(db, doc.id));
}
