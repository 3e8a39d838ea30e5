/**
 * The sidecar serves its OpenAPI document without a token; it lists every route the sidecar
 * serves, and its stats answers are the wire schema the document refers to (parsed with it and
 * nothing lost: zod drops unknown keys). Every fetch here, as in the other sidecar tests, is also
 * held against the document by testing/contract.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorBody, JourneyStats } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineOpenApiDocument } from "./openapi.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";
import { checkedFetch } from "../testing/contract.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();

const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-engine-openapi-"));
const TOKEN = "engine-openapi-test-token";
const auth = { authorization: `Bearer ${TOKEN}` };

describe("the engine's OpenAPI document", () => {
  let s: Sidecar;
  const clock = { now: Date.parse("2026-11-03T16:00:00Z") };
  beforeAll(async () => {
    s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      token: TOKEN,
      db: join(dir, "s.sqlite"),
      journeyFiles: [join(SAMPLES, "activation-newcomer-gift.json")],
      now: () => clock.now,
      statsCacheMs: 0,
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is served at /openapi.json without the token, and names its schemas", async () => {
    const res = await fetch(`${s.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc).toEqual(engineOpenApiDocument());
    // Every route the sidecar serves is in the document, and nothing else is (/openapi.json describes the rest).
    // (A route with its own middleware, the re-drive's body limit, is listed once per handler.)
    const served = [
      ...new Set(
        s.routes
          .filter((r) => r.path !== "/openapi.json")
          .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
      ),
    ].sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    expect(documented).toHaveLength(21);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["JourneyStats", "NodeStats", "Error", "ErrorIssue"]),
    );
  });

  it("answers stats and errors in the shapes the document refers to", async () => {
    const events = [{ id: "r1", userId: "u1", type: "registered", at: "2026-11-03T10:00:00Z", props: {} }];
    const posted = await fetch(`${s.url}/v1/events`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(posted.status).toBe(202);
    await s.pump();
    const ok = await fetch(`${s.url}/v1/journeys/activation-newcomer-gift/stats`, { headers: auth });
    expect(ok.status).toBe(200);
    const body: unknown = await ok.json();
    expect(JourneyStats.parse(body)).toEqual(body);
    expect(body).toMatchObject({ entered: 1, active: 1 });

    const missing = await fetch(`${s.url}/v1/journeys/nope/stats`, { headers: auth });
    expect(missing.status).toBe(404);
    const error: unknown = await missing.json();
    expect(ErrorBody.parse(error)).toEqual(error);
    const noToken = await fetch(`${s.url}/v1/journeys/activation-newcomer-gift/stats`);
    expect(noToken.status).toBe(401);
  });
});
