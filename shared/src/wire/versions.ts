import { z } from "zod";
import { DraftJourney } from "../schema/journey.ts";
import { ErrorIssue } from "./errors.ts";
import { Cost, InFlight } from "./journeys.ts";

/** Published versions of a journey: the list entry and the full version. */

export const VersionSummary = z.object({
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
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const VersionList = z.object({ items: z.array(VersionSummary) });
export type VersionList = z.infer<typeof VersionList>;

export const ExecutableGraph = z.record(z.string(), z.unknown()).meta({
  description:
    "The compiler's executable graph (format lifeloop.executable/1, see shared/src/compile/executable.ts): " +
    "what the engine runs.",
});

export const Version = VersionSummary.extend({
  // The document as it was published: node params as written (they passed the compiler, which
  // fills defaults into the executable, not into the document), so the draft's shape, not the
  // compiled view with every default made required.
  document: DraftJourney,
  executable: ExecutableGraph,
  issues: z.array(ErrorIssue),
});
export type Version = z.infer<typeof Version>;
