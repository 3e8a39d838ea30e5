/**
 * The workspace row: created with the database, it holds the feed revision and whether the samples
 * were loaded. The feed etag is `<workspace id>-<revision>`: the random id keeps two databases (a
 * reset, a restored backup) from ever serving the same etag for different feeds.
 */
import { eq, sql } from "drizzle-orm";
import { workspace } from "./db/schema.ts";
import type { Store } from "./db/open.ts";
import { prepared } from "./db/prepared.ts";
import type { Deps } from "./context.ts";

export function ensureWorkspace(deps: Pick<Deps, "db" | "clock" | "random">): { created: boolean } {
  const existing = deps.db.select({ id: workspace.id }).from(workspace).where(eq(workspace.id, 1)).get();
  if (existing) return { created: false };
  const inserted = deps.db
    .insert(workspace)
    .values({ id: 1, workspaceId: deps.random(8).toString("hex"), feedRevision: 0, createdAt: deps.clock().toISOString() })
    .onConflictDoNothing()
    .run();
  return { created: inserted.changes > 0 };
}

export function feedEtag(db: Store): string {
  const row = prepared(db, "feedEtag", () => db.select({ id: workspace.workspaceId, revision: workspace.feedRevision }).from(workspace).where(eq(workspace.id, 1)).prepare()).get();
  if (!row) throw new Error("the workspace row is missing: the database was not initialised by createApp");
  return `${row.id}-${row.revision}`;
}

/** Called in the transaction of every change to what the feed serves. */
export function bumpFeed(db: Store): void {
  db.update(workspace).set({ feedRevision: sql`${workspace.feedRevision} + 1` }).where(eq(workspace.id, 1)).run();
}

export function samplesLoaded(db: Store): boolean {
  return db.select({ at: workspace.samplesLoadedAt }).from(workspace).where(eq(workspace.id, 1)).get()?.at != null;
}

export function markSamplesLoaded(db: Store, at: Date): void {
  db.update(workspace).set({ samplesLoadedAt: at.toISOString() }).where(eq(workspace.id, 1)).run();
}
