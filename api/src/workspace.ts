/**
 * The workspace row: created with the database, it holds the feed revision and whether the samples
 * were loaded. The feed etag is `<workspace id>-<revision>`: the random id keeps two databases (a
 * reset, a restored backup) from ever serving the same etag for different feeds.
 */
import { eq, sql } from "drizzle-orm";
import { changes, type Store } from "./db/open.ts";
import { prepared } from "./db/prepared.ts";
import type { Deps } from "./context.ts";
import { seedPolicy } from "./policy.ts";

export async function ensureWorkspace(deps: Pick<Deps, "db" | "clock" | "random">): Promise<{ created: boolean }> {
  const { workspace } = deps.db.t;
  const existing = (await deps.db.q.select({ id: workspace.id }).from(workspace).where(eq(workspace.id, 1)))[0];
  if (existing) return { created: false };
  const inserted = await deps.db.q
    .insert(workspace)
    .values({
      id: 1,
      workspaceId: deps.random(8).toString("hex"),
      feedRevision: 0,
      createdAt: deps.clock().toISOString(),
    })
    .onConflictDoNothing();
  const created = changes(inserted) > 0;
  if (created) await seedPolicy(deps);
  return { created };
}

export async function feedEtag(db: Store): Promise<string> {
  const { workspace } = db.t;
  const query = () =>
    db.q
      .select({ id: workspace.workspaceId, revision: workspace.feedRevision })
      .from(workspace)
      .where(eq(workspace.id, 1));
  const row = db.dialect === "sqlite" ? prepared(db, "feedEtag", () => query().prepare()).get() : (await query())[0];
  if (!row) throw new Error("the workspace row is missing: the database was not initialised by createApp");
  return `${row.id}-${row.revision}`;
}

/** Called in the transaction of every change to what the feed serves. */
export async function bumpFeed(db: Store): Promise<void> {
  // One UPDATE: on PostgreSQL it takes the workspace row's lock, so concurrent bumps add up.
  const { workspace } = db.t;
  await db.q
    .update(workspace)
    .set({ feedRevision: sql`${workspace.feedRevision} + 1` })
    .where(eq(workspace.id, 1));
}

export async function samplesLoaded(db: Store): Promise<boolean> {
  const { workspace } = db.t;
  return (
    (await db.q.select({ at: workspace.samplesLoadedAt }).from(workspace).where(eq(workspace.id, 1)))[0]?.at != null
  );
}

export async function markSamplesLoaded(db: Store, at: Date): Promise<void> {
  const { workspace } = db.t;
  await db.q.update(workspace).set({ samplesLoadedAt: at.toISOString() }).where(eq(workspace.id, 1));
}
