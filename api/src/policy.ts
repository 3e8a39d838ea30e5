/**
 * The workspace's compliance policy: whether publishing needs a second person's approval, the
 * wording lint's forbidden phrases and the risk notice investment promotion must carry. Read into
 * the compiler's input (a WordingPolicy) wherever the API compiles a journey it will store, publish
 * or approve, so the same document gets the same verdict as in the editor.
 */
import { asc, eq } from "drizzle-orm";
import {
  DEFAULT_FORBIDDEN_PHRASES,
  DEFAULT_RISK_NOTICE,
  PhraseText,
  RiskNoticeText,
  RuleText,
  type WordingPolicy,
} from "@lifeloop/shared";
import { z } from "zod";
import type { Store } from "./db/open.ts";
import { iso, type Actor, type Deps } from "./context.ts";
import { named } from "./openapi.ts";

export const ForbiddenPhraseResource = named(
  "ForbiddenPhrase",
  z.object({
    id: z.string(),
    phrase: z.string(),
    rule: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
);
export type ForbiddenPhraseResource = z.infer<typeof ForbiddenPhraseResource>;

export const PhraseInput = named("ForbiddenPhraseInput", z.object({ phrase: PhraseText, rule: RuleText }));

export const WorkspaceSettings = named(
  "WorkspaceSettings",
  z.object({
    requireApproval: z
      .boolean()
      .meta({ description: "When true, a publish request waits for a second person with the approver role." }),
    riskNotice: RiskNoticeText.nullable().meta({
      description: "Text every message tagged as investment promotion must carry; null: none required.",
    }),
  }),
);
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const CompliancePolicy = named(
  "CompliancePolicy",
  WorkspaceSettings.extend({ forbidden: z.array(ForbiddenPhraseResource) }),
);
export type CompliancePolicy = z.infer<typeof CompliancePolicy>;

/** At most this many phrases: each is matched in every template on every keystroke in the editor. */
export const MAX_PHRASES = 500;

export async function readSettings(db: Store): Promise<WorkspaceSettings> {
  const { workspace } = db.t;
  const row = (
    await db.q
      .select({ requireApproval: workspace.requireApproval, riskNotice: workspace.riskNotice })
      .from(workspace)
      .where(eq(workspace.id, 1))
  )[0];
  return { requireApproval: row?.requireApproval ?? false, riskNotice: row?.riskNotice ?? null };
}

export async function writeSettings(db: Store, settings: WorkspaceSettings): Promise<void> {
  await db.q.update(db.t.workspace).set(settings).where(eq(db.t.workspace.id, 1));
}

export async function listPhrases(db: Store): Promise<ForbiddenPhraseResource[]> {
  const p = db.t.forbiddenPhrases;
  return db.q
    .select({ id: p.id, phrase: p.phrase, rule: p.rule, updatedAt: p.updatedAt, updatedBy: p.updatedBy })
    .from(p)
    .orderBy(asc(p.createdAt), asc(p.id));
}

export async function readPolicy(db: Store): Promise<CompliancePolicy> {
  return { ...(await readSettings(db)), forbidden: await listPhrases(db) };
}

/** The compiler's input: what the lint checks message text against. */
export async function wordingPolicy(db: Store): Promise<WordingPolicy> {
  const p = await readPolicy(db);
  return { forbidden: p.forbidden.map(({ phrase, rule }) => ({ phrase, rule })), riskNotice: p.riskNotice };
}

export async function insertPhrase(
  deps: { db: Store } & Pick<Deps, "random">,
  input: { phrase: string; rule: string },
  actor: Actor,
  now: Date,
): Promise<ForbiddenPhraseResource> {
  const at = iso(now);
  const row = {
    id: `fp_${deps.random(6).toString("hex")}`,
    phrase: input.phrase,
    rule: input.rule,
    createdAt: at,
    createdBy: actor.name,
    updatedAt: at,
    updatedBy: actor.name,
  };
  await deps.db.q.insert(deps.db.t.forbiddenPhrases).values(row);
  return { id: row.id, phrase: row.phrase, rule: row.rule, updatedAt: at, updatedBy: actor.name };
}

/**
 * A new workspace starts as a Chinese financial-promotion workspace: the default phrases and risk
 * notice (approval stays off until the operator turns it on). Called once, when the workspace row
 * is created; a database from before the policy existed starts with an empty list.
 */
export async function seedPolicy(deps: Pick<Deps, "db" | "clock" | "random">): Promise<void> {
  const now = deps.clock();
  await writeSettings(deps.db, { requireApproval: false, riskNotice: DEFAULT_RISK_NOTICE });
  for (const [i, f] of DEFAULT_FORBIDDEN_PHRASES.entries()) {
    // One instant per phrase, a millisecond apart, so the list keeps the defaults' order.
    await insertPhrase(deps, f, { id: "system", name: "system", role: "key-admin" }, new Date(now.getTime() + i));
  }
}
