import { z } from "zod";
import { parseUntrustedJson, toJsonPath } from "../json.ts";

/**
 * A workspace holdout: a sticky share of people kept out of journeys, so their conversions can be
 * compared with the people the journeys reached (the incrementality report). Who is held out is
 * decided by a hash of (salt, person id) into 0..9999: the same person is held out in every
 * process, replay and restart, and changing the salt draws a new holdout.
 */
export const WorkspaceHoldout = z
  .strictObject({
    salt: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: "Mixed into the hash of each person id; a new salt draws a new holdout." }),
    shareBp: z
      .number()
      .int()
      .min(0)
      .max(5000)
      .meta({ description: "The share of people held out, in basis points (500 = 5 %); at most half." }),
    journeys: z
      .union([z.literal("all"), z.array(z.string().min(1).max(200)).max(1000)])
      .meta({ description: '"all": held out of every journey; a list: only of the journeys tagged into it, by id.' }),
  })
  .meta({ description: "The workspace holdout the engine applies at every entry." });
export type WorkspaceHoldout = z.infer<typeof WorkspaceHoldout>;

/**
 * The holdout from a setting's text (LIFELOOP_HOLDOUT on the API, or on an engine run from journey
 * files): JSON in the shape above. Throws an Error naming the path of what is wrong.
 */
export function parseHoldoutSetting(text: string): WorkspaceHoldout {
  const parsed = WorkspaceHoldout.safeParse(parseUntrustedJson(text, { maxBytes: 256 * 1024 }));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`the holdout setting at ${toJsonPath(issue.path)}: ${issue.message}`);
}
