import { z } from "zod";

/** The engine's live counts for one journey (the sidecar's GET /v1/journeys/{id}/stats), for the editor. */

export const NodeStats = z.object({
  visits: z.number().int().meta({ description: "Arrivals at the node (timeline window)." }),
  at: z.number().int().meta({ description: "People whose run is at the node now." }),
});
export type NodeStats = z.infer<typeof NodeStats>;

export const JourneyStats = z.object({
  journeyId: z.string(),
  at: z.string().meta({ description: "When these counts were computed (ISO)." }),
  since: z
    .string()
    .nullable()
    .meta({
      description:
        "Oldest step the timeline still holds (ISO), or null when it holds none: visits, converted and exited " +
        "start here.",
    }),
  versions: z.array(z.object({ version: z.number().int(), live: z.boolean(), active: z.number().int() })),
  entered: z.number().int(),
  active: z.number().int(),
  converted: z.number().int(),
  exited: z.record(z.string(), z.number().int()),
  nodes: z.record(z.string(), NodeStats),
});
export type JourneyStats = z.infer<typeof JourneyStats>;
