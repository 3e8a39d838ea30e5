/**
 * OpenAPI components from zod schemas, for every document derived from the wire schemas (the API's,
 * the engine's): zod 4's own JSON Schema conversion in both views ("output" for responses, "input"
 * for request bodies, named `<Name>Input` where they differ), then three corrections generated
 * clients need:
 * - a schema zod hoists without a name (`__shared`, e.g. a recursive schema nobody named) gets one;
 * - a recursive union whose array branch holds itself (JsonValue) keeps `items` open: TypeScript
 *   cannot resolve `X: … | X[]` written as an indexed access (openapi-typescript's output failed
 *   `tsc --strict` with TS2502); validation is unchanged, since every item of a JSON array is JSON;
 * - a `oneOf` of named variants that each fix one property to a distinct constant gets an OpenAPI
 *   `discriminator` with its mapping, so generators and validators pick the variant by `kind`.
 */
import { z } from "zod";
import { dropEditorHints } from "../schema/hints.ts";

export type Json = Record<string, unknown>;
export const COMPONENT_REF = "#/components/schemas/";
const REF = COMPONENT_REF;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every schema given (with its component name) in both views, as components. */
export function componentSchemas(named: Iterable<readonly [string, z.ZodType]>): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of named) registry.add(schema, { id });
  const output = convert(registry, "output");
  const input = convert(registry, "input");
  const differs = new Set(Object.keys(input).filter((id) => JSON.stringify(input[id]) !== JSON.stringify(output[id])));
  const all: Record<string, Json> = { ...output };
  for (const id of differs) {
    const s = structuredClone(input[id]!);
    rewriteRefs(s, (ref) => (differs.has(ref) ? `${ref}Input` : ref));
    all[`${id}Input`] = s;
  }
  for (const [id, schema] of Object.entries(all)) {
    openSelfArrays(id, schema);
    addDiscriminator(schema, all);
  }
  return all;
}

function convert(registry: z.core.$ZodRegistry<{ id: string }>, io: "input" | "output"): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `${REF}${id}`,
    override: dropEditorHints,
  });
  const out: Record<string, Json> = {};
  const shared = (schemas.__shared as Json | undefined)?.$defs as Record<string, Json> | undefined;
  const sharedName = (d: string) => `Shared${d.replace(/^schema/, "")}`;
  for (const [id, s] of Object.entries(schemas)) if (id !== "__shared") out[id] = clean(s as Json);
  for (const [d, s] of Object.entries(shared ?? {})) out[sharedName(d)] = clean(s);
  const prefix = `${REF}__shared#/$defs/`;
  rewriteRefs(
    out,
    (id) => id,
    (ref) => (ref.startsWith(prefix) ? `${REF}${sharedName(ref.slice(prefix.length))}` : ref),
  );
  return out;
}

function clean(s: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = s;
  return rest;
}

/** `X = … | X[]` → `X = … | array of any JSON` (see the module comment). */
function openSelfArrays(id: string, schema: Json): void {
  const self = `${REF}${id}`;
  for (const key of ["anyOf", "oneOf"] as const) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const m of members) {
      if (isObject(m) && m.type === "array" && isObject(m.items) && m.items.$ref === self) {
        m.items = {};
        m.description = `A JSON array; each item is a ${id}.`;
      }
    }
  }
}

/** A `oneOf` of `$ref`s whose targets fix one property to distinct string constants gets `discriminator`. */
function addDiscriminator(schema: Json, all: Record<string, Json>): void {
  const members = schema.oneOf;
  if (!Array.isArray(members) || members.length < 2 || "discriminator" in schema) return;
  const refs = members.map((m) =>
    isObject(m) && typeof m.$ref === "string" && m.$ref.startsWith(REF) ? m.$ref : null,
  );
  if (refs.some((r) => r === null)) return;
  const targets = refs.map((r) => all[r!.slice(REF.length)]);
  const first = targets[0];
  if (!first || !isObject(first.properties)) return;
  for (const key of Object.keys(first.properties)) {
    const values = targets.map((t) =>
      t && isObject(t.properties) && isObject(t.properties[key]) ? t.properties[key].const : undefined,
    );
    const required = targets.every((t) => Array.isArray(t?.required) && t.required.includes(key));
    if (required && values.every((v) => typeof v === "string") && new Set(values).size === values.length) {
      schema.discriminator = { propertyName: key, mapping: Object.fromEntries(values.map((v, i) => [v, refs[i]])) };
      return;
    }
  }
}

/** Rewrites `$ref`s to components: `rename` maps a component id, `raw` the whole reference. */
export function rewriteRefs(
  value: unknown,
  rename: (id: string) => string,
  raw: (ref: string) => string = (r) => r,
): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    const o = v as Json;
    if (typeof o.$ref === "string") {
      const ref = raw(o.$ref);
      o.$ref = ref.startsWith(REF) ? `${REF}${rename(ref.slice(REF.length))}` : ref;
    }
    for (const k of Object.keys(o)) if (k !== "$ref") stack.push(o[k]);
  }
}

/** Drops components nothing under `paths` refers to (the unused view of a schema, mostly), sorted by name. */
export function pruneComponents(doc: Json): Json {
  const components = doc.components as Json;
  const schemas = components.schemas as Record<string, Json>;
  const used = new Set<string>();
  const stack: unknown[] = [doc.paths];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== "object") continue;
    if (Array.isArray(x)) {
      stack.push(...x);
      continue;
    }
    const o = x as Json;
    if (typeof o.$ref === "string" && o.$ref.startsWith(REF)) {
      const id = o.$ref.slice(REF.length);
      if (!used.has(id) && schemas[id]) {
        used.add(id);
        stack.push(schemas[id]);
      }
    }
    for (const k of Object.keys(o)) if (k !== "$ref") stack.push(o[k]);
  }
  components.schemas = Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .filter((id) => used.has(id))
      .map((id) => [id, schemas[id]]),
  );
  return doc;
}
