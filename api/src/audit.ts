/**
 * The audit log: who did what to which journey, segment or key, and when. Written in the same
 * transaction as the change it records, so the log and the data never disagree.
 */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Store } from "./db/open.ts";
import type { Actor } from "./context.ts";
import { named } from "./openapi.ts";

export const AUDIT_ACTIONS = [
  "journey.create",
  "journey.edit",
  "journey.duplicate",
  "journey.import",
  "journey.publish",
  "journey.pause",
  "journey.resume",
  "journey.archive",
  "journey.unarchive",
  "journey.delete",
  "journey.restore",
  "journey.approval_request",
  "journey.approve",
  "journey.reject",
  "segment.create",
  "segment.edit",
  "segment.delete",
  "profiles.ingest",
  "profiles.delete",
  "workspace.import",
  "workspace.settings",
  "wording.create",
  "wording.edit",
  "wording.delete",
  "key.create",
  "key.revoke",
  "catalog.create",
  "catalog.edit",
  "catalog.retire",
  "coupon_pool.import",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntry = named(
  "AuditEntry",
  z.object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }),
    action: z.enum(AUDIT_ACTIONS),
    subject: z.object({
      type: z.enum(["journey", "segment", "profile", "workspace", "key", "catalog"]),
      id: z.string(),
    }),
    detail: z.record(z.string(), z.unknown()),
  }),
);
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Draft saves come every few seconds from the editor: one person's saves within this window are one entry. */
const EDIT_COALESCE_MS = 10 * 60_000;

export async function recordAudit(
  db: Store,
  at: Date,
  actor: Actor,
  action: AuditAction,
  subject: AuditEntry["subject"],
  detail: Record<string, unknown> = {},
): Promise<void> {
  const { auditLog } = db.t;
  if (action === "journey.edit") {
    // The journey's row lock (lockJourney) keeps two saves of one journey from both reading "last" on PostgreSQL.
    const last = (
      await db.q
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectType, subject.type), eq(auditLog.subjectId, subject.id)))
        .orderBy(desc(auditLog.id))
        .limit(1)
    )[0];
    if (
      last &&
      last.action === action &&
      last.actorId === actor.id &&
      at.getTime() - Date.parse(last.at) < EDIT_COALESCE_MS
    ) {
      const prev = JSON.parse(last.detail) as { saves?: number; fromRevision?: number };
      const merged = {
        ...detail,
        fromRevision: prev.fromRevision ?? detail.fromRevision,
        saves: (prev.saves ?? 1) + 1,
      };
      await db.q
        .update(auditLog)
        .set({ at: at.toISOString(), detail: JSON.stringify(merged) })
        .where(eq(auditLog.id, last.id));
      return;
    }
  }
  await db.q.insert(auditLog).values({
    at: at.toISOString(),
    actorId: actor.id,
    actorName: actor.name,
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    detail: JSON.stringify(action === "journey.edit" ? { saves: 1, ...detail } : detail),
  });
}

export interface AuditQuery {
  subjectType?: AuditEntry["subject"]["type"];
  subjectId?: string;
  action?: AuditAction;
  actorId?: string;
  /** Entries older than this id (the previous page's nextCursor). */
  before?: number;
  limit: number;
}

export async function listAudit(
  db: Store,
  q: AuditQuery,
): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  const { auditLog } = db.t;
  const where: SQL[] = [];
  if (q.subjectType) where.push(eq(auditLog.subjectType, q.subjectType));
  if (q.subjectId) where.push(eq(auditLog.subjectId, q.subjectId));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.before !== undefined) where.push(lt(auditLog.id, q.before));
  const rows = await db.q
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { id: r.actorId, name: r.actorName },
      action: r.action as AuditAction,
      subject: { type: r.subjectType as AuditEntry["subject"]["type"], id: r.subjectId },
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
  };
}
