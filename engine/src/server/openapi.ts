/**
 * The engine sidecar's OpenAPI document (GET /openapi.json), for the routes the editor calls through
 * its /engine proxy: the journey stats overlay. Derived from shared's wire schemas by the same
 * conversion the API's document uses, so @lifeloop/client types both from one source. The other
 * routes (ingest, timelines, ledger, deliveries, metrics) are described in docs/engine.md.
 */
import { componentSchemas, COMPONENT_REF, pruneComponents, WIRE_COMPONENTS } from "@lifeloop/shared";

const ENGINE_API_VERSION = "0.1.0";

const ref = (id: string) => ({ $ref: `${COMPONENT_REF}${id}` });
const error = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });

export function engineOpenApiDocument(): Record<string, unknown> {
  return pruneComponents({
    openapi: "3.1.0",
    info: {
      title: "Lifeloop engine (the routes the editor calls)",
      version: ENGINE_API_VERSION,
      description:
        "The engine sidecar's routes the editor reads. Errors are always `{ error: { code, message, issues? } }`. When the engine was started with a token, every route but /healthz, /readyz and this document needs `Authorization: Bearer <token>` (the editor's dev server adds it).",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths: {
      "/v1/journeys/{id}/stats": {
        get: {
          operationId: "journeyStats",
          tags: ["stats"],
          summary: "Live counts for one journey",
          description:
            "People at each node now, visits per node, entries, conversions and exits by reason, for every version the engine runs. Counts are cached for a moment (2 s by default) while people are stepped.",
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              description: "The journey id.",
              schema: { type: "string", maxLength: 64 },
            },
          ],
          responses: {
            200: {
              description: "The journey's counts.",
              content: { "application/json": { schema: ref("JourneyStats") } },
            },
            401: error("The engine wants a token and none (or another) was sent."),
            404: error("The engine runs no published version of this journey."),
            500: error("Unexpected failure; logged on the engine."),
            503: {
              ...error("The engine's database is unavailable; retry after `Retry-After` seconds."),
              headers: {
                "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait before retrying." },
              },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "The token the engine was started with (LIFELOOP_SIDECAR_TOKEN).",
        },
      },
      schemas: componentSchemas(Object.entries(WIRE_COMPONENTS)),
    },
  });
}
