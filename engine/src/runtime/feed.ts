import { readFileSync } from "node:fs";
import {
  compileJourney,
  EngineFeed,
  parseUntrustedJson,
  type WorkspaceHoldout,
  type WorkspaceLevels,
} from "@lifeloop/shared";
import { World } from "../core/index.ts";

/** The set of journeys to run, from the API's feed (or local files), as the core's World. */
export function worldFromFeed(feed: EngineFeed): World {
  return new World(
    feed.journeys.map((j) => ({
      journeyId: j.journeyId,
      status: j.status,
      liveVersion: j.liveVersion,
      versions: j.versions.map((v) => ({ version: v.version, inFlight: v.inFlight, executable: v.executable })),
    })),
    undefined,
    feed.holdout ?? null,
    feed.levels ?? null,
  );
}

/** Journey files compiled here and run as version 1, for running the engine without the API. */
export function feedFromFiles(
  files: string[],
  holdout: WorkspaceHoldout | null = null,
  levels: WorkspaceLevels | null = null,
): EngineFeed {
  const journeys = files.map((file) => {
    const r = compileJourney(parseUntrustedJson(readFileSync(file, "utf8")));
    if (!r.executable)
      throw new Error(
        `${file} does not compile: ${r.issues
          .filter((i) => i.severity === "error")
          .map((i) => `${i.path}: ${i.message}`)
          .join("; ")}`,
      );
    return {
      journeyId: r.executable.journeyId,
      name: r.executable.name,
      status: "live" as const,
      liveVersion: 1,
      versions: [
        { version: 1, publishedAt: new Date(0).toISOString(), inFlight: "keep" as const, executable: r.executable },
      ],
    };
  });
  return { etag: "files", journeys, ...(holdout ? { holdout } : {}), ...(levels ? { levels } : {}) };
}

export interface FeedSource {
  url: string;
  key?: string;
}

export type FetchResult = { changed: false } | { changed: true; feed: EngineFeed; body: string };

/** One conditional GET of the feed: 304 keeps what we have; anything invalid is an error, never half a world. */
export async function fetchFeed(source: FeedSource, etag: string | null, timeoutMs = 10_000): Promise<FetchResult> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (etag) headers["if-none-match"] = `"${etag}"`;
  if (source.key) headers.authorization = `Bearer ${source.key}`;
  const res = await fetch(new URL("/v1/engine/feed", source.url), { headers, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status === 304) return { changed: false };
  const body = await res.text();
  if (!res.ok) throw new Error(`feed: HTTP ${res.status}: ${body.slice(0, 200)}`);
  const parsed = EngineFeed.safeParse(parseUntrustedJson(body, { maxBytes: 64 * 1024 * 1024 }));
  if (!parsed.success)
    throw new Error(
      `feed: unexpected shape at ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
    );
  return { changed: true, feed: parsed.data, body };
}
