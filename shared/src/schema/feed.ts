import { z } from "zod";
import { EXECUTABLE_FORMAT, type ExecutableJourney } from "../compile/executable.ts";
import { JourneyId } from "./common.ts";
import { WorkspaceHoldout } from "./holdout.ts";
import { WorkspaceLevels } from "./levels.ts";

/**
 * What the API serves the engine at GET /v1/engine/feed: every published journey that is not
 * archived, with all its versions (people may still be in old ones). Executables are the
 * compiler's output, stored at publish; the engine loads them without compiling again.
 */
const ExecutableEnvelope = z.looseObject({
  format: z.literal(EXECUTABLE_FORMAT),
  journeyId: JourneyId,
});
type ExecutableEnvelope = z.infer<typeof ExecutableEnvelope>;
// Only the envelope is checked here; the rest is the compiler's own output, stored at publish. The
// refinement's type predicate is what types it as that (zod narrows on it), with no cast.
const Executable = ExecutableEnvelope.refine(
  (e): e is ExecutableEnvelope & ExecutableJourney => true,
  "an executable journey, as the compiler writes it",
);

export const FeedVersion = z.object({
  version: z.number().int().min(1),
  publishedAt: z.string(),
  inFlight: z.enum(["keep", "migrate"]),
  executable: Executable,
});

export const FeedJourney = z.object({
  journeyId: JourneyId,
  name: z.string(),
  status: z.enum(["live", "paused"]),
  liveVersion: z.number().int().min(1),
  versions: z.array(FeedVersion).min(1),
});

export const EngineFeed = z.object({
  etag: z.string(),
  journeys: z.array(FeedJourney),
  /** The workspace holdout, when one is configured (an older API sends none: nobody is held out). */
  holdout: WorkspaceHoldout.nullable().optional(),
  /** The workspace's growth levels, when defined (an older API sends none: nobody earns xp). */
  levels: WorkspaceLevels.nullable().optional(),
});
export type EngineFeed = z.infer<typeof EngineFeed>;
