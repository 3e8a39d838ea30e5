/**
 * Four-eyes publishing: when the workspace requires approval, a publish request stores the version
 * exactly as it would be published (the draft's document and revision then, the live version it
 * goes over, its worst-case cost) and waits. Only a different person with the approver role turns
 * it into a version, or rejects it with a reason. Each step is in the audit log, in the same
 * transaction as the change, at the injected clock's time.
 */
import { and, desc, eq } from "drizzle-orm";
import { Cost, DraftJourney, diffJourneys, InFlight, JourneyDiff, type CostReport } from "@lifeloop/shared";
import { z } from "zod";
import { recordAudit } from "../audit.ts";
import type { Actor, Deps } from "../context.ts";
import type { Store } from "../db/open.ts";
import { ApiError } from "../errors.ts";
import { named, unchecked } from "../openapi.ts";
import { compileToPublish, publishDocument, refuseUnchanged, type PublishOptions } from "./publish.ts";
import {
  getJourney,
  getVersion,
  latestVersion,
  lockJourney,
  refuseArchived,
  type JourneyRow,
  type VersionRow,
} from "./store.ts";

const STATUS = ["pending", "approved", "rejected", "superseded"] as const;
export const ApprovalStatus = z.enum(STATUS);

export const Approval = named(
  "Approval",
  z.object({
    id: z.string(),
    journeyId: z.string(),
    journeyName: z.string(),
    status: ApprovalStatus,
    baseVersion: z.number().int().nullable().meta({ description: "The live version this request goes over." }),
    draftRevision: z.number().int(),
    cost: Cost,
    note: z.string(),
    inFlight: InFlight,
    requestedAt: z.string(),
    requestedBy: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "Why it was rejected." }),
    version: z.number().int().nullable().meta({ description: "The version approval published." }),
  }),
);
export type Approval = z.infer<typeof Approval>;

export const ApprovalList = named("ApprovalList", z.object({ items: z.array(Approval) }));

const ApprovalDetailShape = Approval.extend({
  document: DraftJourney,
  diff: JourneyDiff.meta({ description: "What changes against the live version (everything is added when none)." }),
});
/** Documents are served as stored, so the detail is checked against its schema only loosely (see unchecked). */
export const ApprovalDetail = unchecked(named("ApprovalDetail", ApprovalDetailShape));

type Row = typeof import("../db/schema.ts").approvals.$inferSelect;

function toApproval(r: Row, journeyName: string): Approval {
  return {
    id: r.id,
    journeyId: r.journeyId,
    journeyName,
    status: r.status,
    baseVersion: r.baseVersion,
    draftRevision: r.draftRevision,
    cost: JSON.parse(r.cost) as CostReport,
    note: r.note,
    inFlight: r.inFlight,
    requestedAt: r.requestedAt,
    requestedBy: r.requestedBy,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
    reason: r.reason,
    version: r.version,
  };
}

/**
 * The publish request for the draft as it is now: compiled with the workspace policy (errors:
 * 422), refused when it is what the live version already is. A pending request for the same
 * journey is superseded: one request per journey waits at a time, the newest.
 */
export async function requestApproval(
  deps: { db: Store } & Pick<Deps, "random">,
  row: JourneyRow,
  actor: Actor,
  now: Date,
  opts: PublishOptions,
): Promise<Approval> {
  const { db } = deps;
  const t = db.t.approvals;
  refuseArchived(row);
  const compiled = await compileToPublish(db, row.id, row.draft, "sent for approval");
  const latest = await latestVersion(db, row.id);
  refuseUnchanged(latest, row.draft);
  const at = now.toISOString();
  const superseded = await db.q
    .update(t)
    .set({ status: "superseded", decidedAt: at })
    .where(and(eq(t.journeyId, row.id), eq(t.status, "pending")))
    .returning({ id: t.id });
  const r: Row = {
    id: `apr_${deps.random(8).toString("hex")}`,
    journeyId: row.id,
    status: "pending",
    baseVersion: latest?.version ?? null,
    document: row.draft,
    draftRevision: row.revision,
    cost: JSON.stringify(compiled.cost ?? {}),
    note: opts.note,
    inFlight: opts.inFlight,
    requestedAt: at,
    requestedById: actor.id,
    requestedBy: actor.name,
    decidedAt: null,
    decidedById: null,
    decidedBy: null,
    reason: null,
    version: null,
  };
  await db.q.insert(t).values(r);
  await recordAudit(
    db,
    now,
    actor,
    "journey.approval_request",
    { type: "journey", id: row.id },
    {
      approval: r.id,
      revision: row.revision,
      baseVersion: r.baseVersion,
      note: opts.note,
      ...(superseded.length ? { supersedes: superseded.map((s) => s.id) } : {}),
    },
  );
  return toApproval(r, row.name);
}

export async function listApprovals(db: Store, status: Approval["status"] | null): Promise<Approval[]> {
  const t = db.t.approvals;
  const j = db.t.journeys;
  const rows = await db.q
    .select({ a: t, name: j.name })
    .from(t)
    .innerJoin(j, eq(j.id, t.journeyId))
    .where(status === null ? undefined : eq(t.status, status))
    .orderBy(desc(t.requestedAt), desc(t.id))
    .limit(200);
  return rows.map((r) => toApproval(r.a, r.name));
}

async function findApproval(db: Store, id: string): Promise<Row> {
  const t = db.t.approvals;
  const r = (await db.q.select().from(t).where(eq(t.id, id)))[0];
  if (!r) throw new ApiError(404, "not_found", `no approval "${id}"`);
  return r;
}

/** The request with the document it would publish and its diff against the version it goes over. */
export async function approvalDetail(db: Store, id: string): Promise<Approval & { document: unknown; diff: unknown }> {
  const r = await findApproval(db, id);
  const journey = await getJourney(db, r.journeyId);
  const to = JSON.parse(r.document) as DraftJourney;
  const from =
    r.baseVersion === null
      ? { ...to, nodes: [], edges: [], segments: [] }
      : (JSON.parse((await getVersion(db, r.journeyId, r.baseVersion)).document) as DraftJourney);
  return { ...toApproval(r, journey.name), document: to, diff: diffJourneys(from, to) };
}

/**
 * Refuses a decision the caller may not take: one already decided (409), and one's own request
 * (403): the author never approves or rejects their own, by key and by name (one person's two keys
 * carry one name).
 */
function refuseDecision(r: Row, actor: Actor): void {
  if (r.status !== "pending") throw new ApiError(409, "decided", `approval "${r.id}" is ${r.status}, not pending`);
  if (r.requestedById === actor.id || r.requestedBy === actor.name) {
    throw new ApiError(
      403,
      "own_request",
      `approval "${r.id}" was requested by ${r.requestedBy}; a second person must decide it (four eyes)`,
    );
  }
}

/**
 * Approves: the stored document becomes the next version, compiled again with the workspace's
 * policy as it is now (an error added since blocks it: 422). Refused (409 `stale`) when another
 * version went live since the request, whose diff the approver did not see.
 */
export async function approve(
  db: Store,
  id: string,
  actor: Actor,
  now: Date,
): Promise<{ version: VersionRow; journey: JourneyRow; approval: Approval }> {
  const first = await findApproval(db, id);
  const row = await lockJourney(db, first.journeyId);
  const r = await findApproval(db, id);
  refuseDecision(r, actor);
  const latest = await latestVersion(db, r.journeyId);
  if ((latest?.version ?? null) !== r.baseVersion) {
    throw new ApiError(
      409,
      "stale",
      `version ${latest?.version} went live after this request (made over ${
        r.baseVersion === null ? "no version" : `version ${r.baseVersion}`
      }); ask for approval again`,
    );
  }
  const { version, journey } = await publishDocument(db, row, actor, now, {
    note: r.note,
    inFlight: r.inFlight,
    document: r.document,
    revision: r.draftRevision,
    publishedBy: r.requestedBy,
    approval: r.id,
  });
  const decided = {
    status: "approved" as const,
    decidedAt: now.toISOString(),
    decidedById: actor.id,
    decidedBy: actor.name,
    version: version.version,
  };
  await db.q.update(db.t.approvals).set(decided).where(eq(db.t.approvals.id, id));
  await recordAudit(
    db,
    now,
    actor,
    "journey.approve",
    { type: "journey", id: r.journeyId },
    { approval: id, version: version.version, requestedBy: r.requestedBy, requestedAt: r.requestedAt },
  );
  return { version, journey, approval: toApproval({ ...r, ...decided }, row.name) };
}

export async function reject(db: Store, id: string, actor: Actor, now: Date, reason: string): Promise<Approval> {
  const first = await findApproval(db, id);
  const row = await lockJourney(db, first.journeyId);
  const r = await findApproval(db, id);
  refuseDecision(r, actor);
  const decided = {
    status: "rejected" as const,
    decidedAt: now.toISOString(),
    decidedById: actor.id,
    decidedBy: actor.name,
    reason,
  };
  await db.q.update(db.t.approvals).set(decided).where(eq(db.t.approvals.id, id));
  await recordAudit(
    db,
    now,
    actor,
    "journey.reject",
    { type: "journey", id: r.journeyId },
    { approval: id, reason, requestedBy: r.requestedBy, requestedAt: r.requestedAt },
  );
  return toApproval({ ...r, ...decided }, row.name);
}
