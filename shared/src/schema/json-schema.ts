import { z } from "zod";
import { dropEditorHints } from "./hints.ts";
import { Journey } from "./journey.ts";

export const JOURNEY_SCHEMA_ID = "https://lifeloop.dev/schema/journey.schema.json";

/**
 * The journey file's JSON Schema, derived from the zod schema (the one source of truth): the
 * "input" side, so fields with defaults are optional, as people write files. Objects are closed
 * (`additionalProperties: false`) where zod's are strict; records stay open.
 */
export function journeyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Journey, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
    override: dropEditorHints,
  });
  discriminatedByIf(schema);
  return {
    $id: JOURNEY_SCHEMA_ID,
    title: "Lifeloop journey",
    description: "A lifecycle journey: triggers, conditions, waits, rewards and messages on a graph.",
    ...schema,
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Rewrites each discriminated union from `oneOf` to one `if`/`then` per variant keyed on the
 * discriminator (zod writes `oneOf` for discriminated unions only, `anyOf` for plain ones; the
 * discriminator is the property every variant holds a distinct constant for). The same documents
 * are accepted, but a validator reports the real mistake: with `oneOf`, a reward node with a
 * misspelt field fails every variant and ajv says `/nodes/2/kind must be equal to constant`; here
 * the discriminator picks the variant and the error names the field.
 */
function discriminatedByIf(root: Json): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!isObject(node)) continue;
    const keyed = Array.isArray(node.oneOf) ? discriminatorOf(node.oneOf) : null;
    if (keyed !== null && node.properties === undefined && node.allOf === undefined) {
      const { key, values } = keyed;
      delete node.oneOf;
      Object.assign(node, {
        type: "object",
        required: [key],
        properties: { [key]: { type: "string", enum: values } },
        allOf: keyed.members.map((m, i) => ({
          if: { properties: { [key]: { const: values[i] } }, required: [key] },
          // JSON Schema's if/then keyword, in a plain object, never awaited
          // biome-ignore lint/suspicious/noThenProperty: the reason above
          then: m,
        })),
      });
    }
    stack.push(...Object.values(node));
  }
}

type Variant = Json & { properties: Record<string, Json> };

/** The property every member fixes to a distinct string constant, or null when there is none. */
function discriminatorOf(members: unknown[]): { key: string; values: string[]; members: Variant[] } | null {
  if (members.length === 0 || !members.every((m): m is Variant => isObject(m) && isObject(m.properties))) return null;
  for (const key of Object.keys(members[0]!.properties)) {
    const values = members.map((m) => (isObject(m.properties[key]) ? m.properties[key].const : undefined));
    if (values.every((v): v is string => typeof v === "string") && new Set(values).size === values.length)
      return { key, values, members };
  }
  return null;
}
