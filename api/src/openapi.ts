/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes are declared with.
 *
 * Routing and request validation use @hono/zod-openapi; the document itself is produced here with
 * zod 4's own JSON Schema conversion, because the journey schemas in shared contain recursive JSON
 * values (rules are any JSON) that zod-to-openapi cannot walk. Schemas get component names through
 * an api-side registry (`named`), never through copies: shared stays free of API metadata.
 * Request bodies are described with the "input" view of a schema (fields with defaults optional),
 * responses with the "output" view; when the two differ the input one is named `<Name>Input`.
 * The wire schemas (errors, journeys, versions, diffs, simulation) are named as shared names them
 * (WIRE_COMPONENTS); the conversion itself is shared's `componentSchemas`, which the engine's
 * document uses too.
 */
import { z } from "zod";
import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  Catalog,
  COMPONENT_REF,
  componentSchemas,
  DraftJourney,
  Edge,
  Entry,
  EventEnvelope,
  ExitCriterion,
  Goal,
  Journey,
  JourneyNode,
  LooseNode,
  pruneComponents,
  rewriteRefs,
  Segment,
  Settings,
  WIRE_COMPONENTS,
} from "@lifeloop/shared";
import type { Access } from "./auth.ts";

const NAMED = new Map<string, z.ZodType>();

/** Gives a schema a component name in the document (the schema itself is unchanged). */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  const seen = NAMED.get(id);
  if (seen && seen !== schema) throw new Error(`two schemas are named "${id}" in the OpenAPI document`);
  NAMED.set(id, schema);
  return schema;
}

named("DraftJourney", DraftJourney);
named("Journey", Journey);
named("JourneyNode", JourneyNode);
named("LooseNode", LooseNode);
named("Edge", Edge);
named("Entry", Entry);
named("Goal", Goal);
named("ExitCriterion", ExitCriterion);
named("Settings", Settings);
named("Catalog", Catalog);
named("Segment", Segment);
named("EventEnvelope", EventEnvelope);
for (const [id, schema] of Object.entries(WIRE_COMPONENTS)) named(id, schema);

const UNCHECKED = "x-lifeloop-zod";

/**
 * A body schema the document shows but zod-openapi does not validate: the route checks it itself
 * (journey documents go through the compiler, which reports every problem with its node).
 */
export function unchecked(schema: z.ZodType): { [UNCHECKED]: z.ZodType } {
  return { [UNCHECKED]: schema } as { [UNCHECKED]: z.ZodType };
}

export const ACCESS_KEY = "x-lifeloop-access";

type Json = Record<string, unknown>;
type AnyRoute = {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  [ACCESS_KEY]?: Access;
  request?: {
    params?: z.ZodType;
    query?: z.ZodType;
    headers?: z.ZodType;
    body?: { description?: string; required?: boolean; content: Record<string, { schema?: unknown }> };
  };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }
  >;
};

const ACCESS_TEXT: Record<Access, string> = {
  public: "No key needed.",
  viewer: "Role: viewer or higher (an approver reads as a viewer does).",
  editor: "Role: editor or higher.",
  publisher: "Role: publisher.",
  feed: "Role: engine or publisher.",
  keys: "Role: key-admin (and no other: publisher and editor keys cannot manage keys or the workspace policy).",
  approve: "Role: approver (and no other: a publisher cannot approve, and nobody approves their own request).",
};

const isZod = (x: unknown): x is z.ZodType => x instanceof z.ZodType;
const REF = COMPONENT_REF;

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

/** The document reads only an app's route registry, so any app does, whatever its env type. */
export function buildOpenApiDocument(app: Pick<OpenAPIHono, "openAPIRegistry">, info: DocumentInfo): Json {
  // zod-openapi types a registered route as its own RouteConfig, which does not carry route()'s
  // access key and is wider than what route() registers (header arrays, $ref responses); AnyRoute is
  // that config as route() makes it, with the key, read here and nowhere else.
  const routes = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === "route" ? [d.route as unknown as AnyRoute] : [],
  );
  const idOf = new Map<z.ZodType, string>();
  for (const [id, schema] of NAMED) idOf.set(schema, id);
  /** A zod schema's component id, naming unnamed ones after the operation that uses them. */
  const componentId = (schema: z.ZodType, fallback: string): string => {
    let id = idOf.get(schema);
    if (!id) {
      id = fallback;
      for (let n = 2; NAMED.has(id) || [...idOf.values()].includes(id); n++) id = `${fallback}${n}`;
      idOf.set(schema, id);
    }
    return id;
  };
  const content = (c: Record<string, { schema?: unknown }>, name: string): Json =>
    Object.fromEntries(
      Object.entries(c).map(([mediaType, { schema }]) => {
        const zod = isZod(schema)
          ? schema
          : schema && typeof schema === "object" && UNCHECKED in schema
            ? (schema as Json)[UNCHECKED]
            : undefined;
        if (isZod(zod)) {
          const id = componentId(zod, name);
          return [mediaType, { schema: { $ref: `${REF}${id}` } }];
        }
        return [mediaType, schema === undefined ? {} : { schema }];
      }),
    );

  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const op = r.operationId ?? `${r.method}${r.path.replace(/[^A-Za-z0-9]+/g, "_")}`;
    const base = op.charAt(0).toUpperCase() + op.slice(1);
    const access = r[ACCESS_KEY] ?? "public";
    const responses: Json = {};
    for (const [status, res] of Object.entries(r.responses)) {
      const errorStatus = Number(status) >= 400;
      responses[status] = {
        description: res.description,
        ...(res.headers ? { headers: res.headers } : {}),
        ...(res.content
          ? { content: content(res.content, `${base}${status === "200" || status === "201" ? "" : status}Response`) }
          : errorStatus
            ? { content: { "application/json": { schema: { $ref: `${REF}Error` } } } }
            : {}),
      };
    }
    const errorRef = { content: { "application/json": { schema: { $ref: `${REF}Error` } } } };
    const addError = (status: string, description: string) => {
      responses[status] ??= { description, ...errorRef };
    };
    addError("400", "The request is malformed; `error.issues` says where.");
    if (access !== "public") {
      addError("401", "No API key, or an unknown or revoked one.");
      addError("403", "The key's role does not allow this.");
    }
    if (r.request?.body) {
      addError("413", "The body is larger than this route accepts.");
      addError("415", "The body's media type is not one this route accepts.");
    }
    addError("500", "Unexpected failure; logged on the server, no details sent.");
    if (access !== "public") {
      responses["503"] ??= {
        description:
          "The database is unavailable (restarting, down, locked, full or read-only), code `unavailable`. " +
          "Retry after `Retry-After` seconds; a write answered 503 may or may not have been applied if the " +
          "database went away while it committed.",
        headers: { "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait before retrying." } },
        ...errorRef,
      };
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      operationId: op,
      ...(r.summary ? { summary: r.summary } : {}),
      description: [r.description, ACCESS_TEXT[access]].filter(Boolean).join("\n\n"),
      ...(r.tags ? { tags: r.tags } : {}),
      ...(access !== "public" ? { security: [{ bearer: [] }] } : { security: [] }),
      parameters: [
        ...parameters(r.request?.params, "path"),
        ...parameters(r.request?.query, "query"),
        ...parameters(r.request?.headers, "header"),
      ],
      ...(r.request?.body
        ? {
            requestBody: {
              ...(r.request.body.description ? { description: r.request.body.description } : {}),
              required: r.request.body.required ?? false,
              content: content(r.request.body.content, `${base}Body`),
            },
          }
        : {}),
      responses,
    };
  }

  const schemas = componentSchemas([...idOf].map(([schema, id]) => [id, schema] as const));
  const doc: Json = {
    openapi: "3.1.0",
    info,
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "An API key: `Authorization: Bearer ll_…`. The first one is printed when the server first starts.",
        },
      },
      schemas,
    },
  };
  // Request bodies point at the input view of their schema where it differs.
  for (const path of Object.values(paths)) {
    for (const op of Object.values(path) as Json[]) {
      const body = op.requestBody as Json | undefined;
      if (body) rewriteRefs(body, (id) => (schemas[`${id}Input`] ? `${id}Input` : id));
    }
  }
  return pruneComponents(doc);
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query" | "header"): Json[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const {
      $schema: _s,
      description,
      ...json
    } = z.toJSONSchema(field, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Json;
    return {
      name,
      in: where,
      required: where === "path" || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: json,
    };
  });
}

/** Body media-type entries for what zod does not describe: a multipart file, raw text, a reference. */
export const fileUpload = (description = "The file.") => ({
  schema: {
    type: "object" as const,
    properties: { file: { type: "string" as const, format: "binary", description } },
    required: ["file"],
  },
});
export const textBody = (description: string) => ({ schema: { type: "string" as const, description } });
export const arrayOf = (id: string) => ({ schema: { type: "array" as const, items: { $ref: `${REF}${id}` } } });
