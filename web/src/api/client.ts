/**
 * The editor's only door to the API and the engine: @lifeloop/client's typed clients (generated
 * from the services' OpenAPI documents), same-origin (vite proxies /v1 to the API and /engine to
 * the engine sidecar), the bearer key from localStorage, and the one error shape turned into
 * ApiFailure. Every wire type here is the client's, so the editor states none of its own.
 */
import {
  bearer,
  createApiClient,
  createEngineClient,
  errorBodyOf,
  type ApiSchemas,
  type EngineSchemas,
} from "@lifeloop/client";
import type { CsvSection, DraftJourney, JourneyReport } from "@lifeloop/shared";

export type ErrorIssue = ApiSchemas["ErrorIssue"];
export type JourneySummary = ApiSchemas["JourneySummary"];
export type VersionSummary = ApiSchemas["VersionSummary"];
export type JourneyDetailBody = ApiSchemas["JourneyDetail"];
/** What POST …/simulate answers: the engine's effects (by kind), trace records and per-journey summaries. */
export type SimulationResult = ApiSchemas["SimulationResult"];
/** What POST …/backtest answers: a simulation over the engine's recorded events, with the window and each budget. */
export type BacktestResult = ApiSchemas["BacktestResult"];
/** GET …/diff: what changed from one side to the other (a version number or "draft"). */
export type DiffResult = ApiSchemas["DiffResult"];
/** POST /v1/journeys/import. */
/** The engine sidecar's GET /v1/journeys/{id}/stats. */
export type JourneyStats = EngineSchemas["JourneyStats"];
export type Journey = DraftJourney;
/** A publish request under four eyes (POST …/publish answers one, 202, when the workspace requires approval). */
export type Approval = ApiSchemas["Approval"];
export type ApprovalDetail = ApiSchemas["ApprovalDetail"];
/** An item of the redemption catalog (GET /v1/catalog/items), and what creating or changing one sends. */
export type CatalogItem = ApiSchemas["CatalogItem"];
export type WorkspaceLevels = NonNullable<ApiSchemas["WorkspaceLevelsAnswer"]["levels"]>;
export type CatalogItemInput = ApiSchemas["NewCatalogItem"];
export type CouponPool = ApiSchemas["CouponPoolList"]["pools"][number];
export type CatalogItemFields = ApiSchemas["CatalogItemFields"];
/** GET /v1/reports/stages and POST …/simulate: the lifecycle stage report. */
export type StageReport = ApiSchemas["StageReport"];
/** The window and options of a stage report, live or simulated. */
export interface StageQuery {
  from: string;
  to: string;
  timeZone: string;
  interval: "day" | "week";
  by?: string;
}

/** GET /v1/workspace/policy: approval, the risk notice and the forbidden phrases. */
export type CompliancePolicy = ApiSchemas["CompliancePolicy"];
export type WorkspaceSettings = ApiSchemas["WorkspaceSettingsInput"];
export type PhraseInput = ApiSchemas["ForbiddenPhraseInputInput"];

export const KEY_STORAGE = "lifeloop.apiKey";

/** A key given as `#key=…` (what `npm start` prints) is kept and taken out of the address bar. */
export function adoptKeyFromUrl(loc: Location = window.location, storage: Storage = window.localStorage): void {
  const m = /(?:^#|&)key=([^&]+)/.exec(loc.hash);
  if (!m) return;
  storage.setItem(KEY_STORAGE, decodeURIComponent(m[1]!));
  const rest = loc.hash.replace(/(^#|&)key=[^&]+/, "$1").replace(/^#&/, "#");
  history.replaceState(null, "", `${loc.pathname}${loc.search}${rest === "#" ? "" : rest}`);
}

export const getKey = (): string | null => window.localStorage.getItem(KEY_STORAGE);
export const setKey = (key: string | null): void => {
  if (key) window.localStorage.setItem(KEY_STORAGE, key);
  else window.localStorage.removeItem(KEY_STORAGE);
};

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ErrorIssue[] = [],
    readonly current?: unknown,
    /** From `Retry-After` on a 503 (the API's database is restarting, full or locked): when to try again. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * The transport under both clients: the request as a same-origin path and a plain init, through
 * the page's fetch at call time. no-store: the journey's ETag is its draft revision, so a browser
 * revalidating a cached detail would be told "not modified" after a publish and show the status
 * from before it.
 */
async function send(request: Request): Promise<Response> {
  const origin = window.location.origin;
  const url = request.url.startsWith(origin) ? request.url.slice(origin.length) : request.url;
  const headers = Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v]));
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : (await request.text()) || undefined;
  return fetch(url, { method: request.method, headers, body, cache: "no-store" });
}

const auth = bearer(getKey);
const apiClient = createApiClient({ baseUrl: window.location.origin, fetch: send, middleware: [auth] });
const engineClient = createEngineClient({
  baseUrl: `${window.location.origin}/engine`,
  fetch: send,
  middleware: [auth],
});

function failure(res: Response, error: unknown): ApiFailure {
  // Not the API's shape (a proxy's error page): reported by status.
  const e = errorBodyOf(error)?.error;
  const retryAfter = Number(res.headers.get("retry-after") ?? Number.NaN);
  return new ApiFailure(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? `${res.status} ${res.statusText}`,
    e?.issues ?? [],
    e?.current,
    Number.isFinite(retryAfter) ? retryAfter * 1000 : null,
  );
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The answer's body, or the API's error as ApiFailure. */
async function body<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok && response.status !== 304) throw failure(response, error);
  // openapi-fetch's answer carries data exactly when the response is ok, which its type does not tie to `ok`.
  return data as T;
}

/** Text sent as it is (a journey file, a JSONL stream): not parsed and serialised again. */
const asIs = { bodySerializer: (text: unknown) => text as string };

/**
 * A journey file goes as written, not parsed and re-serialised, so the API's problems point into the
 * file as the person has it (and older schema versions migrate); its type is the document the API
 * will read from it. openapi-fetch types a body by the operation's JSON schema only, so text needs this cast.
 */
const fileText = (text: string) => text as unknown as Journey;

/** Events from a file the person chose go unchecked: the API checks each and says which one is wrong, and where. */
const eventsAsSent = (events: unknown[]) => events as ApiSchemas["EventEnvelopeInput"][];

/**
 * A report as shared's JourneyReport (what the report view and its CSV read): the same schema the
 * document is derived from, but openapi-fetch's response types map tuples to arrays (the lift's
 * `ci95: [low, high]` arrives typed number[], in the experiments and the breakdown's groups), so the pair is
 * restated here.
 */
const asReport = async (pending: Promise<Omit<ApiSchemas["JourneyReport"], "experiments" | "breakdown">>) =>
  (await pending) as JourneyReport;

const path = (id: string) => ({ path: { id } });

export const api = {
  /** One page (the API serves at most 100); `status` lists archived ones only when asked. */
  listJourneys: (q = "", options: { status?: readonly string[]; cursor?: string | null } = {}) =>
    body(
      apiClient.GET("/v1/journeys", {
        params: {
          query: {
            limit: 100,
            ...(q ? { q } : {}),
            ...(options.status?.length ? { status: options.status.join(",") } : {}),
            ...(options.cursor ? { cursor: options.cursor } : {}),
          },
        },
      }),
    ),
  getJourney: (id: string) => body(apiClient.GET("/v1/journeys/{id}", { params: path(id) })),
  createJourney: (document: Journey) => body(apiClient.POST("/v1/journeys", { body: document })),
  saveDraft: (id: string, document: Journey, etag: string) =>
    body(
      apiClient.PUT("/v1/journeys/{id}/draft", {
        params: { ...path(id), header: { "if-match": etag === "*" ? etag : `"${etag.replace(/"/g, "")}"` } },
        body: document,
      }),
    ),
  duplicate: (id: string, newId?: string, name?: string) =>
    body(
      apiClient.POST("/v1/journeys/{id}/duplicate", {
        params: path(id),
        body: { ...(newId ? { id: newId } : {}), ...(name ? { name } : {}) },
      }),
    ),
  archive: (id: string) => body(apiClient.POST("/v1/journeys/{id}/archive", { params: path(id) })),
  unarchive: (id: string) => body(apiClient.POST("/v1/journeys/{id}/unarchive", { params: path(id) })),
  publish: (id: string, note: string, inFlight: "keep" | "migrate") =>
    body(apiClient.POST("/v1/journeys/{id}/publish", { params: path(id), body: { note, inFlight } })),
  versions: (id: string) => body(apiClient.GET("/v1/journeys/{id}/versions", { params: path(id) })),
  /** The redemption catalog: items points buy, retired ones too. */
  catalogItems: () => body(apiClient.GET("/v1/catalog/items")),
  createCatalogItem: (input: CatalogItemInput) => body(apiClient.POST("/v1/catalog/items", { body: input })),
  updateCatalogItem: (itemId: string, fields: CatalogItemFields) =>
    body(apiClient.PUT("/v1/catalog/items/{itemId}", { params: { path: { itemId } }, body: fields })),
  retireCatalogItem: (itemId: string) =>
    body(apiClient.POST("/v1/catalog/items/{itemId}/retire", { params: { path: { itemId } } })),
  /** Coupon pools: codes imported, handed out and remaining, as the engine counts them. */
  couponPools: () => body(apiClient.GET("/v1/coupon-pools")),
  /** A pool file (CSV, lines or a JSON array) as the person chose it: the API reads it and names its problems. */
  importCouponCodes: (pool: string, text: string) =>
    body(
      apiClient.POST("/v1/coupon-pools/{pool}/codes", {
        params: { path: { pool } },
        body: text,
        headers: { "content-type": "text/plain" },
        ...asIs,
      }),
    ),
  /** The workspace's growth levels (LIFELOOP_LEVELS): xp rules with caps, levels, the review period; or null. */
  levels: () => body(apiClient.GET("/v1/levels")),
  /** The wording lint's phrases, the risk notice, whether publishing needs approval. */
  policy: () => body(apiClient.GET("/v1/workspace/policy")),
  approvals: (status?: Approval["status"]) =>
    body(apiClient.GET("/v1/approvals", { params: { query: status ? { status } : {} } })),
  approval: (approvalId: string) =>
    body(apiClient.GET("/v1/approvals/{approvalId}", { params: { path: { approvalId } } })),
  approve: (approvalId: string) =>
    body(apiClient.POST("/v1/approvals/{approvalId}/approve", { params: { path: { approvalId } } })),
  reject: (approvalId: string, reason: string) =>
    body(apiClient.POST("/v1/approvals/{approvalId}/reject", { params: { path: { approvalId } }, body: { reason } })),
  version: (id: string, version: number) =>
    body(apiClient.GET("/v1/journeys/{id}/versions/{version}", { params: { path: { id, version } } })),
  diff: (id: string, from?: number | "draft", to: number | "draft" = "draft") =>
    body(
      apiClient.GET("/v1/journeys/{id}/diff", {
        params: { ...path(id), query: { ...(from !== undefined ? { from } : {}), to } },
      }),
    ),
  /** POST …/versions/{version}/restore: that version's document becomes the draft (audit logged). */
  restore: (id: string, version: number) =>
    body(apiClient.POST("/v1/journeys/{id}/versions/{version}/restore", { params: { path: { id, version } } })),
  /** POST …/test-send: a message node rendered for a test person and delivered through the engine, marked as a test. */
  testSend: (id: string, request: ApiSchemas["TestSendRequestInput"]) =>
    body(apiClient.POST("/v1/journeys/{id}/test-send", { params: path(id), body: request })),
  exportFile: (id: string, version?: number) =>
    body(
      apiClient.GET("/v1/journeys/{id}/export", {
        params: { ...path(id), query: version ? { version } : {} },
        parseAs: "text",
      }),
    ),
  importFile: (text: string) =>
    body(
      apiClient.POST("/v1/journeys/import", {
        params: { query: { onConflict: "rename" } },
        body: fileText(text),
        headers: { "content-type": "application/json" },
        ...asIs,
      }),
    ),
  simulate: (
    id: string,
    input: { sample: string } | { jsonl: string },
    options: { version?: number; until?: string } = {},
  ) => {
    const query = {
      ...(options.version ? { version: options.version } : {}),
      ...(options.until ? { until: options.until } : {}),
    };
    return "sample" in input
      ? body(apiClient.POST("/v1/journeys/{id}/simulate", { params: { ...path(id), query }, body: input }))
      : body(
          apiClient.POST("/v1/journeys/{id}/simulate", {
            params: { ...path(id), query },
            body: input.jsonl,
            headers: { "content-type": "application/x-ndjson" },
            ...asIs,
          }),
        );
  },
  /** POST …/backtest: the draft over the engine's own recorded events of the last `days` days. */
  backtest: (id: string, days: number) =>
    body(apiClient.POST("/v1/journeys/{id}/backtest", { params: path(id), body: { days } })),
  /** GET …/report: the journey's report from the engine's facts; without a version, every version together. */
  report: (id: string, version: number | null = null, options: { cohort?: "day" | "week"; by?: string | null } = {}) =>
    asReport(
      body(
        apiClient.GET("/v1/journeys/{id}/report", {
          params: {
            ...path(id),
            query: {
              ...(version !== null ? { version } : {}),
              ...(options.cohort ? { cohort: options.cohort } : {}),
              ...(options.by ? { by: options.by } : {}),
            },
          },
        }),
      ),
    ),
  /** GET …/funnel?path=a,b,c: people who reached each node of the path in order, within one entry. */
  funnel: (id: string, nodes: readonly string[], version: number | null = null) =>
    body(
      apiClient.GET("/v1/journeys/{id}/funnel", {
        params: { ...path(id), query: { path: nodes.join(","), ...(version !== null ? { version } : {}) } },
      }),
    ),
  /** GET /v1/reports/incrementality: exposed against held-out people (the workspace holdout), live. */
  incrementality: () => body(apiClient.GET("/v1/reports/incrementality", { params: { query: {} } })),
  /** GET /v1/reports/stages: the lifecycle stages over the engine's recorded events (503 without an engine). */
  stageReport: (q: StageQuery) => body(apiClient.GET("/v1/reports/stages", { params: { query: q } })),
  /** POST /v1/reports/stages/simulate: the same over a sample stream (e.g. stages-month). */
  simulateStageReport: (sample: string, q: StageQuery) =>
    body(apiClient.POST("/v1/reports/stages/simulate", { body: { sample, ...q } })),
  /** POST …/report/simulate: the same report over a replayed event stream (a sample by name, or events). */
  simulateReport: (
    id: string,
    input: { sample: string } | { events: unknown[] },
    options: { cohort?: "day" | "week"; by?: string | null } = {},
  ) =>
    asReport(
      body(
        apiClient.POST("/v1/journeys/{id}/report/simulate", {
          params: {
            ...path(id),
            query: { ...(options.cohort ? { cohort: options.cohort } : {}), ...(options.by ? { by: options.by } : {}) },
          },
          body: "sample" in input ? input : { events: eventsAsSent(input.events) },
        }),
      ),
    ),
  /** GET …/report.csv: one section of the live report as CSV (what the report's download links point at). */
  reportCsv: (
    id: string,
    section: CsvSection,
    version: number | null,
    cohort: "day" | "week" = "day",
    by: string | null = null,
  ) =>
    body(
      apiClient.GET("/v1/journeys/{id}/report.csv", {
        params: {
          ...path(id),
          query: {
            section,
            ...(version !== null ? { version } : {}),
            ...(cohort !== "day" ? { cohort } : {}),
            ...(by ? { by } : {}),
          },
        },
        parseAs: "text",
      }),
    ),
  /** Live counts from the engine sidecar (proxied at /engine). */
  stats: (id: string) => body(engineClient.GET("/v1/journeys/{id}/stats", { params: path(id) })),
  /** POST /v1/events?wait=applied on the engine: answered once the effects committed (or the wait ran out). */
  sendEvents: (events: EngineSchemas["EventEnvelope"][]) =>
    body(engineClient.POST("/v1/events", { params: { query: { wait: "applied" } }, body: events })),
  /** GET /v1/users/{id} on the engine: a person's state and timeline as the live versions ran them. */
  person: (userId: string) => body(engineClient.GET("/v1/users/{id}", { params: { path: { id: userId } } })),
  /** Event types the engine's log has seen lately, with their props' kinds (proxied at /engine). */
  observedEvents: () => body(engineClient.GET("/v1/observed/events")),
  /** Event types the API's preview profiles were fed, with their props' kinds. */
  profileEvents: () => body(apiClient.GET("/v1/profiles/events")),
};

/**
 * The compliance policy's writes, sent with a key-admin key the person types for them (the dialog
 * keeps it in memory only): the editor's own key publishes, and whoever publishes may not loosen
 * the rules they publish under, so the API refuses these to it (403).
 */
export function policyAdmin(key: string) {
  const client = createApiClient({ baseUrl: window.location.origin, fetch: send, middleware: [bearer(key)] });
  const phrase = (phraseId: string) => ({ params: { path: { phraseId } } });
  return {
    settings: (settings: WorkspaceSettings) => body(client.PUT("/v1/workspace/settings", { body: settings })),
    addPhrase: (input: PhraseInput) => body(client.POST("/v1/workspace/forbidden-phrases", { body: input })),
    changePhrase: (phraseId: string, input: PhraseInput) =>
      body(client.PUT("/v1/workspace/forbidden-phrases/{phraseId}", { ...phrase(phraseId), body: input })),
    removePhrase: (phraseId: string) =>
      body(client.DELETE("/v1/workspace/forbidden-phrases/{phraseId}", phrase(phraseId))),
  };
}
