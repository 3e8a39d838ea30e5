import { z } from "zod";
import type { CostReport } from "../compile/cost.ts";
import { DraftJourney } from "../schema/journey.ts";
import { ErrorIssue } from "./errors.ts";

/**
 * The journey resources the API answers with. Documents are the journey schemas; only the envelope
 * around them (status, revision, who/when) is the API's own.
 */

export const JOURNEY_STATUSES = ["draft", "live", "paused", "archived"] as const;
export const JourneyStatus = z.enum(JOURNEY_STATUSES);
export type JourneyStatus = z.infer<typeof JourneyStatus>;

export const InFlight = z.enum(["keep", "migrate"]).meta({
  description:
    "What happens to people already inside an older version when this one is published: `keep` lets them " +
    "finish on their version; `migrate` moves them to this version at the same node id (people whose node is " +
    "missing from this version, or is of another kind, stay on theirs).",
});
export type InFlight = z.infer<typeof InFlight>;

export const Cost = z
  .record(z.string(), z.object({ perEntry: z.number().nullable(), perUser: z.number().nullable() }))
  .meta({
    description: "Worst-case reward cost per unit (points, coupons, a currency in minor units); null means unbounded.",
  }) satisfies z.ZodType<CostReport>;

const Who = { createdAt: z.string(), createdBy: z.string(), updatedAt: z.string(), updatedBy: z.string() };

export const JourneySummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  status: JourneyStatus,
  paused: z.boolean(),
  liveVersion: z
    .number()
    .int()
    .nullable()
    .meta({ description: "The version the engine runs (the latest published); null until first published." }),
  revision: z.number().int().meta({ description: 'Draft revision; the ETag is its quoted form "r<revision>".' }),
  etag: z.string(),
  hasUnpublishedChanges: z.boolean(),
  problems: z.object({ errors: z.number().int(), warnings: z.number().int() }),
  nodeCount: z.number().int(),
  ...Who,
  archivedAt: z.string().nullable(),
});
export type JourneySummary = z.infer<typeof JourneySummary>;

export const JourneyDetail = JourneySummary.extend({
  document: DraftJourney,
  issues: z
    .array(ErrorIssue)
    .meta({ description: "What the compiler says about the draft: errors block publishing, warnings do not." }),
  cost: Cost.nullable(),
});
export type JourneyDetail = z.infer<typeof JourneyDetail>;

export const JourneyPage = z.object({
  items: z.array(JourneySummary),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type JourneyPage = z.infer<typeof JourneyPage>;

/** POST /v1/journeys/import: the journey as stored, and whether its id or schema version changed on the way in. */
export const ImportResult = z.object({
  journey: JourneyDetail,
  remapped: z.object({ from: z.string(), to: z.string() }).nullable(),
  migratedFrom: z
    .number()
    .int()
    .nullable()
    .meta({ description: "The file's schemaVersion when it was older and migrated." }),
});
export type ImportResult = z.infer<typeof ImportResult>;
