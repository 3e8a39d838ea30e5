/**
 * Publishing: the draft compiled into an immutable numbered version, in the caller's transaction.
 * Shared by the publish route and by sample loading, so both make versions the same way.
 */
import { compileJourney } from "@lifeloop/shared";
import type { Store } from "../db/open.ts";
import type { Actor } from "../context.ts";
import { recordAudit } from "../audit.ts";
import { ApiError, fromCompilerIssues } from "../errors.ts";
import { bumpFeed } from "../workspace.ts";
import {
  insertVersion,
  latestVersion,
  refuseArchived,
  statusOf,
  updateJourney,
  type JourneyRow,
  type VersionRow,
} from "./store.ts";

export async function publishDraft(
  db: Store,
  row: JourneyRow,
  actor: Actor,
  now: Date,
  opts: { note: string; inFlight: "keep" | "migrate" },
): Promise<{ version: VersionRow; journey: JourneyRow }> {
  refuseArchived(row);
  const result = compileJourney(JSON.parse(row.draft));
  if (!result.ok || !result.executable) {
    const issues = fromCompilerIssues(result.issues);
    const errors = issues.filter((i) => i.severity === "error").length;
    throw new ApiError(
      422,
      "compile_failed",
      `journey "${row.id}" cannot be published: the compiler found ${errors} error${errors === 1 ? "" : "s"}`,
      { issues },
    );
  }
  const latest = await latestVersion(db, row.id);
  if (latest && latest.document === row.draft) {
    throw new ApiError(
      409,
      "unchanged",
      `the draft is the same as version ${latest.version}; change something before publishing again`,
    );
  }
  const version: VersionRow = {
    journeyId: row.id,
    version: (latest?.version ?? 0) + 1,
    document: row.draft,
    executable: JSON.stringify(result.executable),
    cost: JSON.stringify(result.cost ?? {}),
    issues: JSON.stringify(fromCompilerIssues(result.issues)),
    note: opts.note,
    inFlight: opts.inFlight,
    publishedAt: now.toISOString(),
    publishedBy: actor.name,
    draftRevision: row.revision,
  };
  await insertVersion(db, version);
  const set = { liveVersion: version.version, publishedRevision: row.revision };
  const journey = await updateJourney(db, row, { ...set, status: statusOf({ ...row, ...set }) });
  await bumpFeed(db);
  await recordAudit(
    db,
    now,
    actor,
    "journey.publish",
    { type: "journey", id: row.id },
    { version: version.version, note: opts.note, inFlight: opts.inFlight, revision: row.revision },
  );
  return { version, journey };
}
