import { z } from "zod";
import { JsonValue } from "../schema/common.ts";

/** What changed between two journey documents (see ../diff.ts), and GET …/diff's answer around it. */

export const FieldChange = z.object({
  path: z
    .string()
    .meta({ description: 'Where inside the node / journey: "params.timeout", "settings.quietHours.start".' }),
  before: JsonValue.optional(),
  after: JsonValue.optional(),
});
export type FieldChange = z.infer<typeof FieldChange>;

const EdgeRef = z.object({ id: z.string(), source: z.string(), sourceHandle: z.string(), target: z.string() });
const NodeRef = z.object({ id: z.string(), kind: z.string(), label: z.string().optional() });

export const JourneyDiff = z.object({
  nodes: z.object({
    added: z.array(NodeRef),
    removed: z.array(NodeRef),
    changed: z.array(NodeRef.extend({ fields: z.array(FieldChange) })),
    moved: z.array(z.string()).meta({ description: "Nodes whose canvas position alone changed." }),
  }),
  edges: z.object({ added: z.array(EdgeRef), removed: z.array(EdgeRef) }),
  journey: z.array(FieldChange).meta({
    description: "Changes to name, description, time zone, entry, goal, exit criteria, settings and catalog.",
  }),
  segments: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.object({ id: z.string(), fields: z.array(FieldChange) })),
  }),
  unchanged: z.boolean().meta({ description: "True when nothing but layout changed." }),
});
export type JourneyDiff = z.infer<typeof JourneyDiff>;

const Side = z.union([z.number().int(), z.literal("draft")]);

export const DiffResult = z.object({ journeyId: z.string(), from: Side, to: Side, diff: JourneyDiff });
export type DiffResult = z.infer<typeof DiffResult>;
