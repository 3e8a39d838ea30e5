/**
 * Publishing: a document compiled into an immutable numbered version, in the caller's transaction.
 * Shared by the publish route, by approval of a publish request and by sample loading, so all make
 * versions the same way. The workspace's wording policy is compile input: its errors block.
 */
import { compileJourney, type CompileResult } from "@lifeloop/shared";
import type { Store } from "../db/open.ts";
import type { Actor } from "../context.ts";
import { recordAudit } from "../audit.ts";
import { ApiError, fromCompilerIssues } from "../errors.ts";
import { wordingPolicy } from "../policy.ts";
import { bumpFeed } from "../workspace.ts";
import { overlapWarnings } from "./overlap.ts";
import {
  insertVersion,
  latestVersion,
  refuseArchived,
  statusOf,
  updateJourney,
  type JourneyRow,
  type VersionRow,
} from "./store.ts";

export interface PublishOptions {
  note: string;
  inFlight: "keep" | "migrate";
}

/** The document compiled with the workspace's policy; 422 with every issue when it has errors. */
export async function compileToPublish(
  db: Store,
  journeyId: string,
  document: string,
  doing = "published",
): Promise<
  CompileResult & {
    executable: NonNullable<CompileResult["executable"]>;
    document: NonNullable<CompileResult["document"]>;
  }
> {
  const result = compileJourney(JSON.parse(document), { wording: await wordingPolicy(db) });
  // A result that is ok always has both; the check narrows them for the callers.
  if (!result.ok || !result.executable || !result.document) {
    const issues = fromCompilerIssues(result.issues);
    const errors = issues.filter((i) => i.severity === "error").length;
    throw new ApiError(
      422,
      "compile_failed",
      `journey "${journeyId}" cannot be ${doing}: the compiler found ${errors} error${errors === 1 ? "" : "s"}`,
      { issues },
    );
  }
  return { ...result, executable: result.executable, document: result.document };
}

/** 409 when the document is what the latest version already is. */
export function refuseUnchanged(latest: VersionRow | undefined, document: string): void {
  if (latest && latest.document === document) {
    throw new ApiError(
      409,
      "unchanged",
      `the draft is the same as version ${latest.version}; change something before publishing again`,
    );
  }
}

export async function publishDraft(
  db: Store,
  row: JourneyRow,
  actor: Actor,
  now: Date,
  opts: PublishOptions,
): Promise<{ version: VersionRow; journey: JourneyRow }> {
  return publishDocument(db, row, actor, now, { ...opts, document: row.draft, revision: row.revision });
}

/**
 * Publishes `document` (the draft at `revision`): the draft itself, or the snapshot a publish
 * request took. `publishedBy` is who asked (the approver is the actor, in the audit log).
 */
export async function publishDocument(
  db: Store,
  row: JourneyRow,
  actor: Actor,
  now: Date,
  opts: PublishOptions & { document: string; revision: number; publishedBy?: string; approval?: string },
): Promise<{ version: VersionRow; journey: JourneyRow }> {
  refuseArchived(row);
  const result = await compileToPublish(db, row.id, opts.document);
  const latest = await latestVersion(db, row.id);
  refuseUnchanged(latest, opts.document);
  // Read inside the publish's transaction: the live journeys as they are when this one goes live.
  const overlaps = await overlapWarnings(db, { ...result.document, id: row.id });
  const version: VersionRow = {
    journeyId: row.id,
    version: (latest?.version ?? 0) + 1,
    document: opts.document,
    executable: JSON.stringify(result.executable),
    cost: JSON.stringify(result.cost ?? {}),
    issues: JSON.stringify(fromCompilerIssues([...result.issues, ...overlaps])),
    note: opts.note,
    inFlight: opts.inFlight,
    publishedAt: now.toISOString(),
    publishedBy: opts.publishedBy ?? actor.name,
    draftRevision: opts.revision,
  };
  await insertVersion(db, version);
  const set = { liveVersion: version.version, publishedRevision: opts.revision };
  const journey = await updateJourney(db, row, { ...set, status: statusOf({ ...row, ...set }) });
  await bumpFeed(db);
  await recordAudit(
    db,
    now,
    actor,
    "journey.publish",
    { type: "journey", id: row.id },
    {
      version: version.version,
      note: opts.note,
      inFlight: opts.inFlight,
      revision: opts.revision,
      ...(opts.approval ? { approval: opts.approval, requestedBy: opts.publishedBy } : {}),
    },
  );
  return { version, journey };
}
