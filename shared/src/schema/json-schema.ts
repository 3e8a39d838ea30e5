import { z } from "zod";
import { Journey } from "./journey.ts";

export const JOURNEY_SCHEMA_ID = "https://lifeloop.dev/schema/journey.schema.json";

/**
 * The journey file's JSON Schema, derived from the zod schema (the one source of truth): the
 * "input" side, so fields with defaults are optional, as people write files.
 */
export function journeyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Journey, { io: "input", target: "draft-2020-12", unrepresentable: "any" });
  return {
    $id: JOURNEY_SCHEMA_ID,
    title: "Lifeloop journey",
    description: "A lifecycle journey: triggers, conditions, waits, rewards and messages on a graph.",
    ...schema,
  };
}
