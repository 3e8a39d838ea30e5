/**
 * What the journey routes answer with. Documents are shared's schemas; only the envelope around
 * them (status, revision, who/when) is the API's own.
 */
import { z } from "zod";
import { DraftJourney, type CostReport } from "@lifeloop/shared";
import { ErrorIssue } from "../errors.ts";
import { named } from "../openapi.ts";

export const JOURNEY_STATUSES = ["draft", "live", "paused", "archived"] as const;
export const JourneyStatus = z.enum(JOURNEY_STATUSES);
export type JourneyStatus = z.infer<typeof JourneyStatus>;
export const InFlight = z.enum(["keep", "migrate"]).meta({
  description: "What happens to people already inside an older version when this one is published: `keep` lets them finish on their version; `migrate` moves them to this version at the same node id (people whose node is missing from this version, or is of another kind, stay on theirs).",
});

export const Cost = named(
  "Cost",
  z
    .record(z.string(), z.object({ perEntry: z.number().nullable(), perUser: z.number().nullable() }))
    .meta({ description: "Worst-case reward cost per unit (points, coupons, a currency in minor units); null means unbounded." }),
) satisfies z.ZodType<CostReport>;

const Who = { createdAt: z.string(), createdBy: z.string(), updatedAt: z.string(), updatedBy: z.string() };

export const JourneySummary = named(
  "JourneySummary",
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    status: JourneyStatus,
    paused: z.boolean(),
    liveVersion: z.number().int().nullable().meta({ description: "The version the engine runs (the latest published); null until first published." }),
    revision: z.number().int().meta({ description: "Draft revision; the ETag is its quoted form \"r<revision>\"." }),
    etag: z.string(),
    hasUnpublishedChanges: z.boolean(),
    problems: z.object({ errors: z.number().int(), warnings: z.number().int() }),
    nodeCount: z.number().int(),
    ...Who,
    archivedAt: z.string().nullable(),
  }),
);
export type JourneySummary = z.infer<typeof JourneySummary>;

export const JourneyDetail = named(
  "JourneyDetail",
  JourneySummary.extend({
    document: DraftJourney,
    issues: z.array(ErrorIssue).meta({ description: "What the compiler says about the draft: errors block publishing, warnings do not." }),
    cost: Cost.nullable(),
  }),
);

export const JourneyPage = named(
  "JourneyPage",
  z.object({ items: z.array(JourneySummary), total: z.number().int(), nextCursor: z.string().nullable() }),
);

export const VersionSummary = named(
  "VersionSummary",
  z.object({
    journeyId: z.string(),
    version: z.number().int(),
    publishedAt: z.string(),
    publishedBy: z.string(),
    note: z.string(),
    inFlight: InFlight,
    draftRevision: z.number().int(),
    cost: Cost,
    warnings: z.number().int(),
    live: z.boolean().meta({ description: "True for the version the engine runs." }),
  }),
);
export type VersionSummary = z.infer<typeof VersionSummary>;

export const Executable = named(
  "ExecutableJourney",
  z.record(z.string(), z.unknown()).meta({
    description: "The compiler's executable graph (format lifeloop.executable/1, see shared/src/compile/executable.ts): what the engine runs.",
  }),
);

export const VersionDetail = named(
  "Version",
  VersionSummary.extend({
    // The document as it was published: node params as written (they passed the compiler, which
    // fills defaults into the executable, not into the document), so the draft's shape, not the
    // compiled view with every default made required.
    document: DraftJourney,
    executable: Executable,
    issues: z.array(ErrorIssue),
  }),
);
