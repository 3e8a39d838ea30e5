/**
 * The editor's only door to the API: same-origin fetch (vite proxies /v1 to the API), the bearer key
 * from localStorage, and the API's one error shape turned into ApiFailure. Response types come from
 * the API's own zod schemas, so the wire format is written once.
 */
import type { ErrorBody, ErrorIssue } from "@lifeloop/api/src/errors.ts";
import type { JourneyDiff } from "@lifeloop/api/src/journeys/diff.ts";
import type { JourneyDetail, JourneySummary, VersionSummary } from "@lifeloop/api/src/journeys/resources.ts";
import type { SimulationResult as SimulationBody } from "@lifeloop/api/src/routes/simulate.ts";
import type { JourneyStats as EngineJourneyStats } from "@lifeloop/engine";
import type { DraftJourney, FunnelReport, JourneyReport } from "@lifeloop/shared";
import type { z } from "zod";

export type { ErrorIssue, JourneySummary, VersionSummary };
export type JourneyDetailBody = z.infer<typeof JourneyDetail>;
export type Journey = DraftJourney;

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

interface Options {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

async function call(path: string, options: Options = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const key = getKey();
  if (key) headers.authorization = `Bearer ${key}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  // no-store: the journey's ETag is its draft revision, so a browser revalidating a cached detail
  // would be told "not modified" after a publish and show the status from before it.
  const res = await fetch(path, { method: options.method ?? "GET", headers, body, cache: "no-store" });
  if (!res.ok && res.status !== 304) {
    let parsed: ErrorBody | null = null;
    try {
      parsed = (await res.json()) as ErrorBody;
    } catch {
      parsed = null; // a proxy error page, not the API's shape: reported by status below
    }
    const e = parsed?.error;
    const retryAfter = Number(res.headers.get("retry-after") ?? Number.NaN);
    throw new ApiFailure(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `${res.status} ${res.statusText}`, e?.issues ?? [], (e as { current?: unknown } | undefined)?.current, Number.isFinite(retryAfter) ? retryAfter * 1000 : null);
  }
  return res;
}

const json = async <T>(path: string, options?: Options): Promise<T> => (await (await call(path, options)).json()) as T;

/** What POST …/simulate answers: the engine's effects, trace and per-journey summary (see engine/src/simulate.ts). */
export type SimulationResult = z.infer<typeof SimulationBody>;

/** GET …/diff: what changed from one side to the other (a version number or "draft"). */
export interface DiffResult {
  journeyId: string;
  from: number | "draft";
  to: number | "draft";
  diff: JourneyDiff;
}

/** POST /v1/journeys/import (api/src/routes/transfer.ts ImportResult). */
export interface ImportResult {
  journey: JourneyDetailBody;
  remapped: { from: string; to: string } | null;
  migratedFrom: number | null;
}

/** The engine sidecar's GET /v1/journeys/:id/stats (engine/src/server/stats.ts). */
export type JourneyStats = EngineJourneyStats;

export const api = {
  /** One page (the API serves at most 100); `status` lists archived ones only when asked. */
  listJourneys: (q = "", options: { status?: readonly string[]; cursor?: string | null } = {}) => {
    const params = new URLSearchParams({ limit: "100" });
    if (q) params.set("q", q);
    if (options.status?.length) params.set("status", options.status.join(","));
    if (options.cursor) params.set("cursor", options.cursor);
    return json<{ items: JourneySummary[]; total: number; nextCursor: string | null }>(`/v1/journeys?${params}`);
  },
  getJourney: (id: string) => json<JourneyDetailBody>(`/v1/journeys/${encodeURIComponent(id)}`),
  createJourney: (document: unknown) => json<JourneyDetailBody>("/v1/journeys", { method: "POST", json: document }),
  saveDraft: (id: string, document: unknown, etag: string) =>
    json<JourneyDetailBody>(`/v1/journeys/${encodeURIComponent(id)}/draft`, { method: "PUT", json: document, headers: { "if-match": etag === "*" ? etag : `"${etag.replace(/"/g, "")}"` } }),
  duplicate: (id: string, newId?: string, name?: string) =>
    json<JourneyDetailBody>(`/v1/journeys/${encodeURIComponent(id)}/duplicate`, { method: "POST", json: { ...(newId ? { id: newId } : {}), ...(name ? { name } : {}) } }),
  archive: (id: string) => json<JourneySummary>(`/v1/journeys/${encodeURIComponent(id)}/archive`, { method: "POST" }),
  unarchive: (id: string) => json<JourneySummary>(`/v1/journeys/${encodeURIComponent(id)}/unarchive`, { method: "POST" }),
  publish: (id: string, note: string, inFlight: "keep" | "migrate") =>
    json<VersionSummary>(`/v1/journeys/${encodeURIComponent(id)}/publish`, { method: "POST", json: { note, inFlight } }),
  versions: (id: string) => json<{ items: VersionSummary[] }>(`/v1/journeys/${encodeURIComponent(id)}/versions`),
  diff: (id: string, from?: string | number, to: string | number = "draft") =>
    json<DiffResult>(`/v1/journeys/${encodeURIComponent(id)}/diff?${from !== undefined ? `from=${from}&` : ""}to=${to}`),
  exportUrl: (id: string, version?: number) => `/v1/journeys/${encodeURIComponent(id)}/export${version ? `?version=${version}` : ""}`,
  exportFile: async (id: string, version?: number) => (await call(api.exportUrl(id, version))).text(),
  importFile: (text: string) =>
    json<ImportResult>("/v1/journeys/import?onConflict=rename", {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
    }),
  simulate: (id: string, input: { sample: string } | { jsonl: string }, options: { version?: number; until?: string } = {}) => {
    const q = new URLSearchParams();
    if (options.version) q.set("version", String(options.version));
    if (options.until) q.set("until", options.until);
    const path = `/v1/journeys/${encodeURIComponent(id)}/simulate${q.size ? `?${q}` : ""}`;
    return "sample" in input
      ? json<SimulationResult>(path, { method: "POST", json: input })
      : json<SimulationResult>(path, { method: "POST", body: input.jsonl, headers: { "content-type": "application/x-ndjson" } });
  },
  /** GET …/report: the journey's report from the engine's facts; without a version, every version together. */
  report: (id: string, version: number | null = null, options: { cohort?: "day" | "week" } = {}) => {
    const q = new URLSearchParams();
    if (version !== null) q.set("version", String(version));
    if (options.cohort) q.set("cohort", options.cohort);
    return json<JourneyReport>(`/v1/journeys/${encodeURIComponent(id)}/report${q.size ? `?${q}` : ""}`);
  },
  /** GET …/funnel?path=a,b,c: people who reached each node of the path in order, within one entry. */
  funnel: (id: string, path: readonly string[], version: number | null = null) => {
    const q = new URLSearchParams({ path: path.join(",") });
    if (version !== null) q.set("version", String(version));
    return json<FunnelReport>(`/v1/journeys/${encodeURIComponent(id)}/funnel?${q}`);
  },
  /** POST …/report/simulate: the same report over a replayed event stream (a sample by name, or events). */
  simulateReport: (id: string, input: { sample: string } | { events: unknown[] }, options: { cohort?: "day" | "week" } = {}) =>
    json<JourneyReport>(`/v1/journeys/${encodeURIComponent(id)}/report/simulate${options.cohort ? `?cohort=${options.cohort}` : ""}`, { method: "POST", json: input }),
  /** GET a same-origin path with the key (e.g. a report.csv) as text. */
  text: async (path: string) => (await call(path)).text(),
  /** Live counts from the engine sidecar (proxied at /engine). */
  stats: (id: string) => json<JourneyStats>(`/engine/v1/journeys/${encodeURIComponent(id)}/stats`),
};
