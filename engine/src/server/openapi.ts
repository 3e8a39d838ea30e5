/**
 * The engine sidecar's OpenAPI document (GET /openapi.json): every route it serves, with the wire
 * schemas of shared (wire/, schema/report.ts, schema/delivery.ts) by the same conversion the API's
 * document uses, so @lifeloop/client types both from one source. docs/engine.md says what each
 * route means; this says what it takes and answers. `openapi.test.ts` fails when a served route is
 * missing here, and the sidecar's tests hold the answers they receive against it.
 */
import {
  COMPONENT_REF,
  CSV_SECTIONS,
  componentSchemas,
  CouponPoolCodes,
  CouponPoolImported,
  CouponPoolList,
  EngineHealth,
  EngineReadiness,
  EventEnvelope,
  EventLogPage,
  EventsAccepted,
  FunnelReport,
  IncrementalityReport,
  JourneyReport,
  LedgerPage,
  LevelsView,
  MessagePage,
  PersonView,
  pruneComponents,
  Redeemed,
  RedeemRefused,
  RedeemRequest,
  RedriveRecord,
  RedriveRequest,
  RedriveResult,
  TestMessage,
  TestSendResult,
  WalletView,
  WIRE_COMPONENTS,
} from "@lifeloop/shared";

const ENGINE_API_VERSION = "0.2.0";

type Json = Record<string, unknown>;

/** The engine's own components, beside the wire schemas both services use. */
const ENGINE_COMPONENTS: typeof WIRE_COMPONENTS = {
  EventEnvelope,
  EventsAccepted,
  EventLogPage,
  PersonView,
  RedriveRecord,
  LedgerPage,
  MessagePage,
  EngineHealth,
  EngineReadiness,
  JourneyReport,
  FunnelReport,
  IncrementalityReport,
  RedriveRequest,
  RedriveResult,
  TestMessage,
  TestSendResult,
  WalletView,
  LevelsView,
  RedeemRequest,
  Redeemed,
  RedeemRefused,
  CouponPoolCodes,
  CouponPoolImported,
  CouponPoolList,
};

const ref = (id: string) => ({ $ref: `${COMPONENT_REF}${id}` });
const json = (schema: Json) => ({ "application/json": { schema } });
const ok = (description: string, id: string) => ({ description, content: json(ref(id)) });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const RETRY_AFTER = {
  "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait before retrying." },
};
/** The answers every route behind the token can give besides its own. */
const COMMON = {
  401: error("The engine wants a token and none (or another) was sent."),
  500: error("Unexpected failure; logged on the engine. Nothing of the request was acknowledged."),
  503: {
    ...error("The engine's database is unavailable; retry after `Retry-After` seconds."),
    headers: RETRY_AFTER,
  },
};
const query = (name: string, description: string, schema: Json, required = false) => ({
  name,
  in: "query",
  required,
  description,
  schema,
});
const JOURNEY_ID = {
  name: "id",
  in: "path",
  required: true,
  description: "The journey id.",
  schema: { type: "string", maxLength: 64 },
};
const VERSION = query("version", "A published version (default: every version together).", {
  type: "integer",
  minimum: 1,
});
const REPORT_QUERY = [
  VERSION,
  query("from", "Start of the window, an ISO 8601 instant with offset.", { type: "string" }),
  query("to", "End of the window, an ISO 8601 instant with offset.", { type: "string" }),
  query("cohort", "Retention cohorts by day or by week.", { type: "string", enum: ["day", "week"] }),
  query(
    "by",
    "A profile attribute (e.g. channel): the same statistics per group of its value when people entered " +
      "(`breakdown`: the 20 largest groups, the rest pooled as (other)).",
    { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$" },
  ),
];
const PAGE = [
  query("limit", "At most this many (default 100, at most 1000).", { type: "integer", minimum: 1 }),
  query("after", "The `next` of the previous page.", { type: "integer", minimum: 0 }),
];
const NO_TOKEN: Json = { security: [] };

const ingestDescription =
  "One event, an array of events, or `{events: [...]}` (at most 1000 events and 1 MiB). Validated whole: " +
  "one bad event and nothing is stored. 202 means durably accepted: in the log, applied exactly once, in " +
  "order per person. With `?wait=applied` (or `Prefer: wait=applied`) the answer waits until the events' " +
  "effects committed (10 s at most; then `applied: false` with `pending`).";

const PATHS: Record<string, Record<string, Json>> = {
  "/healthz": {
    get: {
      operationId: "engineHealth",
      tags: ["health"],
      summary: "Liveness: the process is up",
      description: "What it runs, where its journeys came from, and the delivery circuit. Needs no token.",
      ...NO_TOKEN,
      responses: { 200: ok("Up.", "EngineHealth") },
    },
  },
  "/readyz": {
    get: {
      operationId: "engineReady",
      tags: ["health"],
      summary: "Readiness: a write commits and the applier keeps up",
      description:
        "For load balancers. 503 while the database cannot commit, or while the oldest event waiting for the " +
        "applier is older than the bound (60 s by default). Needs no token.",
      ...NO_TOKEN,
      responses: {
        200: ok("Ready.", "EngineReadiness"),
        503: { description: "Not ready, and why.", content: json(ref("EngineReadiness")), headers: RETRY_AFTER },
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "engineMetrics",
      tags: ["health"],
      summary: "Prometheus metrics",
      responses: {
        200: {
          description: "The Prometheus text exposition format.",
          content: { "text/plain": { schema: { type: "string" } } },
        },
        401: COMMON[401],
      },
    },
  },
  "/v1/events": {
    post: {
      operationId: "ingestEvents",
      tags: ["events"],
      summary: "Send events",
      description: ingestDescription,
      parameters: [
        query("wait", "`applied`: answer once the events' effects committed.", { type: "string", enum: ["applied"] }),
      ],
      requestBody: {
        required: true,
        content: json({
          oneOf: [
            ref("EventEnvelope"),
            { type: "array", items: ref("EventEnvelope"), maxItems: 1000 },
            {
              type: "object",
              properties: { events: { type: "array", items: ref("EventEnvelope"), maxItems: 1000 } },
              required: ["events"],
            },
          ],
        }),
      },
      responses: {
        202: ok("Accepted (and with wait=applied, maybe applied).", "EventsAccepted"),
        400: error("Not JSON, no events, a bad `wait`, or events that fail validation (each named by its path)."),
        413: error("Over 1 MiB or over 1000 events: send smaller batches."),
        415: error("Not application/json."),
        ...COMMON,
      },
    },
  },
  "/v1/events/log": {
    get: {
      operationId: "eventLog",
      tags: ["events"],
      summary: "Recorded events of a window, in the order they were applied (for a backtest)",
      description:
        "Events whose `at` is in [since, until), as the engine applies them (its log's order), at most `limit` " +
        "and 4 MiB of events a page; `truncated` with `next` says the page was cut short. Read-only.",
      parameters: [
        query("since", "Start of the window, an ISO 8601 instant with offset.", { type: "string" }, true),
        query("until", "End of the window (excluded); default the engine's clock.", { type: "string" }),
        query("limit", "At most this many (default 1000, at most 10000).", { type: "integer", minimum: 1 }),
        query("after", "The `next` of the previous page.", { type: "string" }),
      ],
      responses: {
        200: ok("A page of recorded events.", "EventLogPage"),
        400: error("A bad window, limit or cursor, named by its path (query.since…)."),
        ...COMMON,
      },
    },
  },
  "/v1/users/{id}": {
    get: {
      operationId: "personView",
      tags: ["people"],
      summary: "A person's state and timeline: why they are where they are",
      parameters: [
        { name: "id", in: "path", required: true, description: "The user id.", schema: { type: "string" } },
        query("limit", "Timeline entries, newest first (default 200, at most 1000).", { type: "integer", minimum: 1 }),
      ],
      responses: {
        200: ok("The person.", "PersonView"),
        404: error("No event of this person has been seen."),
        ...COMMON,
      },
    },
  },
  "/v1/journeys/{id}/stats": {
    get: {
      operationId: "journeyStats",
      tags: ["stats"],
      summary: "Live counts for one journey",
      description:
        "People at each node now, visits per node, entries, conversions and exits by reason, for every version " +
        "the engine runs. Counts are cached for a moment (2 s by default) while people are stepped.",
      parameters: [JOURNEY_ID],
      responses: {
        200: ok("The journey's counts.", "JourneyStats"),
        404: error("The engine runs no published version of this journey."),
        ...COMMON,
      },
    },
  },
  "/v1/journeys/{id}/report": {
    get: {
      operationId: "journeyReport",
      tags: ["reports"],
      summary: "A journey's report: nodes, experiments, retention, win-back, tiers, spend",
      parameters: [JOURNEY_ID, ...REPORT_QUERY],
      responses: {
        200: ok("The report, over what is committed.", "JourneyReport"),
        400: error("A bad query parameter, named by its path."),
        404: error("The engine runs no (such) published version of this journey."),
        ...COMMON,
      },
    },
  },
  "/v1/reports/incrementality": {
    get: {
      operationId: "incrementalityReport",
      tags: ["reports"],
      summary: "Exposed against held-out people: lift with 95 % intervals and cost per incremental conversion",
      description:
        "Per live journey with a goal that the workspace holdout covers, and overall: conversion of people the " +
        "journeys reached against people the holdout kept out, over `[from, to]` (docs/reports.md, Incrementality).",
      parameters: REPORT_QUERY.filter((p) => p.name === "from" || p.name === "to"),
      responses: {
        200: ok("The report, over what is committed.", "IncrementalityReport"),
        400: error("A bad query parameter, named by its path."),
        ...COMMON,
      },
    },
  },
  "/v1/journeys/{id}/report.csv": {
    get: {
      operationId: "journeyReportCsv",
      tags: ["reports"],
      summary: "One section of the report as CSV",
      parameters: [
        JOURNEY_ID,
        query("section", "Which table.", { type: "string", enum: [...CSV_SECTIONS] }, true),
        ...REPORT_QUERY,
      ],
      responses: {
        200: {
          description: "The section, with a header row.",
          content: { "text/csv": { schema: { type: "string" } } },
        },
        400: error("A bad query parameter, named by its path."),
        404: error("The engine runs no (such) published version of this journey."),
        ...COMMON,
      },
    },
  },
  "/v1/journeys/{id}/funnel": {
    get: {
      operationId: "journeyFunnel",
      tags: ["reports"],
      summary: "How many people reached each node of a path, in order, within one entry",
      parameters: [
        JOURNEY_ID,
        query("path", "Node ids, comma-separated (at most 20).", { type: "string" }, true),
        VERSION,
      ],
      responses: {
        200: ok("The funnel.", "FunnelReport"),
        400: error("A missing, too long or unknown path."),
        404: error("The engine runs no (such) published version of this journey."),
        ...COMMON,
      },
    },
  },
  "/v1/observed/events": {
    get: {
      operationId: "observedEvents",
      tags: ["events"],
      summary: "Event types seen in the log lately, with their properties (for the editor's fields)",
      parameters: [
        query("limit", "Read at most this many of the newest events (default and most 5000).", {
          type: "integer",
          minimum: 1,
        }),
      ],
      responses: {
        200: ok("The types seen, most frequent first.", "ObservedEvents"),
        ...COMMON,
      },
    },
  },
  "/v1/ledger": {
    get: {
      operationId: "ledger",
      tags: ["ledger"],
      summary: "Rewards granted, oldest first",
      parameters: [
        query("userId", "Only this person's.", { type: "string" }),
        query("journeyId", "Only this journey's.", { type: "string" }),
        query("nodeId", "Only this node's.", { type: "string" }),
        ...PAGE,
      ],
      responses: {
        200: ok("A page of grants.", "LedgerPage"),
        400: error("A userId no event could carry."),
        ...COMMON,
      },
    },
  },
  "/v1/wallet/{userId}": {
    get: {
      operationId: "wallet",
      tags: ["wallet"],
      summary: "A person's points: balance (from the ledger), lots with what is left, and the next expiry",
      parameters: [
        { name: "userId", in: "path", required: true, description: "The person.", schema: { type: "string" } },
      ],
      responses: {
        200: ok("The wallet (empty for a person the engine has not seen).", "WalletView"),
        404: error("An id no event could carry."),
        ...COMMON,
      },
    },
  },
  "/v1/levels": {
    get: {
      operationId: "levels",
      tags: ["levels"],
      summary: "The workspace's growth levels the engine applies: xp rules with their caps, levels, reviews",
      responses: { 200: ok("The definition, or null for none.", "LevelsView"), ...COMMON },
    },
  },
  "/v1/wallet/redeem": {
    post: {
      operationId: "redeem",
      tags: ["wallet"],
      summary: "Spend points, whole or not at all, exactly once per key",
      description:
        "Takes the points from the oldest grants first. A retry with the same key (and the same request) " +
        "answers the first spend with `replayed: true`; a refusal spends nothing and uses up no key.",
      requestBody: { required: true, content: json(ref("RedeemRequest")) },
      responses: {
        200: ok("Spent (now, or by the first request with this key).", "Redeemed"),
        400: error("Not JSON, or not a redeem request (each problem named by its path)."),
        413: error("Over 4 KiB."),
        409: {
          description: "insufficient_points: the balance is less than the points; nothing was spent.",
          content: json(ref("RedeemRefused")),
        },
        422: error("key_reused: the key already spent points for another person, amount or item."),
        ...COMMON,
      },
    },
  },
  "/v1/coupon-pools": {
    get: {
      operationId: "couponPools",
      tags: ["wallet"],
      summary: "Every coupon pool: codes imported, handed out and remaining",
      responses: { 200: ok("The pools, by name.", "CouponPoolList"), ...COMMON },
    },
  },
  "/v1/coupon-pools/{pool}/codes": {
    post: {
      operationId: "importCouponCodes",
      tags: ["wallet"],
      summary: "Append codes to a coupon pool, in the order grants take them",
      description:
        "Codes the pool already has, or the request has twice, are skipped and counted as duplicates. A reward " +
        "whose coupon names the pool takes its next free code, each code once across workers.",
      parameters: [
        { name: "pool", in: "path", required: true, schema: { type: "string" }, description: "The pool's name." },
      ],
      requestBody: { required: true, content: json(ref("CouponPoolCodes")) },
      responses: {
        200: ok("Imported.", "CouponPoolImported"),
        400: error("Not JSON, not a pool name, or not a list of codes (each problem named by its path)."),
        413: error("Over the size an import may have."),
        ...COMMON,
      },
    },
  },
  "/v1/messages": {
    get: {
      operationId: "messages",
      tags: ["deliveries"],
      summary: "Deliveries through the outbox (messages and rewards), with status and attempts",
      parameters: [
        query("userId", "Only this person's.", { type: "string" }),
        query("journeyId", "Only this journey's.", { type: "string" }),
        query("status", "Only these.", { type: "string", enum: ["pending", "delivered", "dead"] }),
        query("kind", "message or reward.", { type: "string" }),
        ...PAGE,
      ],
      responses: {
        200: ok("A page of deliveries.", "MessagePage"),
        400: error("A bad status, or a userId no event could carry."),
        ...COMMON,
      },
    },
  },
  "/v1/messages/redrive": {
    post: {
      operationId: "redrive",
      tags: ["deliveries"],
      summary: "Send dead deliveries back to pending, with a fresh retry window",
      requestBody: { required: true, content: json(ref("RedriveRequest")) },
      responses: {
        200: ok("What was re-driven.", "RedriveResult"),
        400: error("Not JSON, or not one of the request's forms."),
        413: error("Over 64 KiB."),
        415: error("Not application/json."),
        ...COMMON,
      },
    },
  },
  "/v1/messages/test": {
    post: {
      operationId: "sendTestMessage",
      tags: ["deliveries"],
      summary: "Deliver a message the API rendered to a test person, outside every run (never counted)",
      requestBody: { required: true, content: json(ref("TestMessage")) },
      responses: {
        202: ok("On the outbox; delivered to the channel like a real message.", "TestSendResult"),
        400: error("Not JSON (at most 32 KiB), or not a test message (each problem named by its path)."),
        ...COMMON,
      },
    },
  },
};

export function engineOpenApiDocument(): Record<string, unknown> {
  return pruneComponents({
    openapi: "3.1.0",
    info: {
      title: "Lifeloop engine sidecar",
      version: ENGINE_API_VERSION,
      description:
        "Events in; people, stats, reports, the ledger and deliveries out. Errors are always " +
        "`{ error: { code, message, issues? } }`. When the engine was started with a token, every route but " +
        "/healthz, /readyz and this document needs `Authorization: Bearer <token>` (the editor's server adds it).",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths: PATHS,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "The token the engine was started with (LIFELOOP_SIDECAR_TOKEN); for GET routes, its read-only token " +
            "(LIFELOOP_SIDECAR_READ_TOKEN) will do too.",
        },
      },
      schemas: componentSchemas([...Object.entries(WIRE_COMPONENTS), ...Object.entries(ENGINE_COMPONENTS)]),
    },
  });
}
