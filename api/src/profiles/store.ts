/**
 * Profiles the segment preview counts over. Source: event streams posted to
 * POST /v1/profiles/events (and the sample streams, loaded on first start). Every event is kept
 * (idempotent on its id) for windowed aggregates; a person's attributes are the props of their
 * identify events folded in time order, recomputed for each person an ingest touches so late or
 * out-of-order events land where they belong. The engine keeps its own, live state: this is a
 * preview store, not a mirror of it.
 */
import { asc, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import {
  IDENTIFY_EVENT,
  OBSERVED_LIMITS,
  observedEvents,
  type EventEnvelope,
  type ObservedEvents,
} from "@lifeloop/shared";
import { changes, type Store } from "../db/open.ts";
import { notFound } from "../errors.ts";
import { contains } from "../db/search.ts";
import { named } from "../openapi.ts";

export const Profile = named(
  "Profile",
  z.object({
    userId: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    eventCount: z.number().int(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  }),
);
export type Profile = z.infer<typeof Profile>;

type Row = Store["t"]["profiles"]["$inferSelect"];

const toProfile = (r: Row): Profile => ({
  userId: r.userId,
  attributes: JSON.parse(r.attributes) as Record<string, unknown>,
  eventCount: r.eventCount,
  firstSeenAt: new Date(r.firstSeenAt).toISOString(),
  lastSeenAt: new Date(r.lastSeenAt).toISOString(),
});

/** Stores events (skipping ids already stored) and refreshes the profiles they touch. */
export async function ingestEvents(
  db: Store,
  events: readonly EventEnvelope[],
): Promise<{ accepted: number; duplicates: number; profiles: number }> {
  const { profileEvents } = db.t;
  let accepted = 0;
  const touched = new Set<string>();
  for (const e of events) {
    const r = await db.q
      .insert(profileEvents)
      .values({ id: e.id, userId: e.userId, type: e.type, at: Date.parse(e.at), props: JSON.stringify(e.props) })
      .onConflictDoNothing();
    if (changes(r) > 0) {
      accepted++;
      touched.add(e.userId);
    }
  }
  for (const userId of touched) await refreshProfile(db, userId);
  return { accepted, duplicates: events.length - accepted, profiles: touched.size };
}

async function refreshProfile(db: Store, userId: string): Promise<void> {
  const { profileEvents, profiles } = db.t;
  const stats = (
    await db.q
      .select({
        n: count(),
        first: sql<number>`min(${profileEvents.at})`.mapWith(Number),
        last: sql<number>`max(${profileEvents.at})`.mapWith(Number),
      })
      .from(profileEvents)
      .where(eq(profileEvents.userId, userId))
  )[0]!;
  const attributes: Record<string, unknown> = {};
  const identifies = await db.q
    .select({ props: profileEvents.props })
    .from(profileEvents)
    .where(sql`${profileEvents.userId} = ${userId} AND ${profileEvents.type} = ${IDENTIFY_EVENT}`)
    .orderBy(asc(profileEvents.at), asc(profileEvents.id));
  for (const { props } of identifies) Object.assign(attributes, JSON.parse(props) as Record<string, unknown>);
  const row = {
    userId,
    attributes: JSON.stringify(attributes),
    eventCount: stats.n,
    firstSeenAt: stats.first,
    lastSeenAt: stats.last,
  };
  await db.q.insert(profiles).values(row).onConflictDoUpdate({ target: profiles.userId, set: row });
}

export async function listProfiles(
  db: Store,
  q: { q: string | null; limit: number; cursor: string | null },
): Promise<{ items: Profile[]; total: number; nextCursor: string | null }> {
  const { profiles } = db.t;
  const where = q.q ? contains(db, profiles.userId, q.q) : undefined;
  const total = (await db.q.select({ n: count() }).from(profiles).where(where))[0]?.n ?? 0;
  const rows = await db.q
    .select()
    .from(profiles)
    .where(
      q.cursor ? (where ? sql`${where} AND ${gt(profiles.userId, q.cursor)}` : gt(profiles.userId, q.cursor)) : where,
    )
    .orderBy(asc(profiles.userId))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return {
    items: items.map(toProfile),
    total,
    nextCursor: rows.length > q.limit ? items[items.length - 1]!.userId : null,
  };
}

export async function getProfile(db: Store, userId: string): Promise<Profile> {
  const { profiles } = db.t;
  const row = (await db.q.select().from(profiles).where(eq(profiles.userId, userId)).limit(1))[0];
  if (!row) throw notFound(`profile "${userId}"`);
  return toProfile(row);
}

/** Forgets a person: their profile and every event stored for them. */
export async function deleteProfile(db: Store, userId: string): Promise<number> {
  const { profileEvents, profiles } = db.t;
  await getProfile(db, userId);
  const events = changes(await db.q.delete(profileEvents).where(eq(profileEvents.userId, userId)));
  await db.q.delete(profiles).where(inArray(profiles.userId, [userId]));
  return events;
}

/**
 * The event types the preview profiles were fed, with their properties: the newest events only
 * (one row past the bound says older ones were left), for the editor's fields with no setup.
 */
export async function observedProfileEvents(db: Store, limit = OBSERVED_LIMITS.events): Promise<ObservedEvents> {
  const { profileEvents } = db.t;
  const rows = await db.q
    .select({ type: profileEvents.type, props: profileEvents.props })
    .from(profileEvents)
    .orderBy(desc(profileEvents.at))
    .limit(limit + 1);
  return observedEvents(rows.slice(0, limit), rows.length > limit);
}
