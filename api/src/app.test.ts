import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyJsonSchema, LIMITS } from "@lifeloop/shared";
import { createApp } from "./app.ts";
import { openDatabase } from "./db/open.ts";
import { journeyDoc, startServer, type TestServer } from "./testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ editorOrigin: "http://editor.test:5173" });
  await s.call("POST", "/v1/journeys", { json: journeyDoc("errs") });
});
afterAll(async () => s?.close());

const expectErrorShape = (body: unknown, code: string) => {
  expect(body).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(Object.keys(body as object)).toEqual(["error"]);
  expect(JSON.stringify(body)).not.toMatch(/stack|\.ts:\d+|node_modules/);
};

describe("errors: one shape everywhere", () => {
  it("404 for an unknown route and an unknown journey", async () => {
    const route = await s.call("GET", "/v1/nothing-here");
    expect(route.status).toBe(404);
    expectErrorShape(route.body, "not_found");
    const journey = await s.call("GET", "/v1/journeys/ghost");
    expect(journey.status).toBe(404);
    expectErrorShape(journey.body, "not_found");
    expect(journey.body.error.message).toContain('"ghost"');
  });

  it("405 with Allow for a known path and an unsupported method", async () => {
    const patch = await s.call("PATCH", "/v1/journeys/errs", { json: {} });
    expect(patch.status).toBe(405);
    expectErrorShape(patch.body, "method_not_allowed");
    expect(patch.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD"]);
    const del = await s.call("DELETE", "/v1/journeys");
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "HEAD", "POST"]);
  });

  it("415 for a body in a media type the route does not take, or none declared", async () => {
    const text = await s.call("PUT", "/v1/journeys/errs/draft", {
      body: JSON.stringify(journeyDoc("errs")),
      headers: { "content-type": "text/plain", "if-match": "*" },
    });
    expect(text.status).toBe(415);
    expectErrorShape(text.body, "unsupported_media_type");
    const form = new FormData();
    form.append("id", "x");
    const multipart = await s.call("POST", "/v1/segments", { body: form });
    expect(multipart.status).toBe(415);
    const bare = await fetch(`${s.url}/v1/segments`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.publisherKey}` },
      body: new Uint8Array([123, 125]),
    });
    expect(bare.status).toBe(415);
  });

  it("413 above the body limit, declared or streamed, before anything is stored", async () => {
    const before = await s.counts();
    const big = JSON.stringify({ ...journeyDoc("errs"), description: "x".repeat(LIMITS.maxDocumentBytes) });
    const declared = await s.call("PUT", "/v1/journeys/errs/draft", {
      body: big,
      headers: { "content-type": "application/json", "if-match": "*" },
    });
    expect(declared.status).toBe(413);
    expectErrorShape(declared.body, "payload_too_large");
    // The rest of the body is read before the answer, so a plain fetch reads the 413 every time
    // (a server that answers and closes mid-upload made clients see "connection reset" instead).
    for (let round = 0; round < 5; round++) {
      const again = await fetch(`${s.url}/v1/segments`, {
        method: "POST",
        headers: { authorization: `Bearer ${s.publisherKey}`, "content-type": "application/json" },
        body: "x".repeat(3 * 1024 * 1024),
      });
      expect(again.status).toBe(413);
      expectErrorShape(await again.json(), "payload_too_large");
    }

    const chunk = new TextEncoder().encode("x".repeat(256 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 12) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await fetch(`${s.url}/v1/segments`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.publisherKey}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expectErrorShape(await streamed.json(), "payload_too_large");
    expect(await s.counts()).toEqual(before);
  });

  it("400 with where: bad JSON, bad query, bad path parameter, bad body field", async () => {
    const json = await s.call("POST", "/v1/segments", {
      body: '{"id": "x",',
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(400);
    expectErrorShape(json.body, "invalid_json");
    const query = await s.call("GET", "/v1/journeys?limit=1000");
    expect(query.status).toBe(400);
    expect(query.body.error.issues[0].path).toBe("query.limit");
    const param = await s.call("GET", "/v1/journeys/errs/versions/first");
    expect(param.body.error.issues[0].path).toBe("path.version");
    const field = await s.call("POST", "/v1/journeys/errs/publish", { json: { inFlight: "teleport" } });
    expect(field.status).toBe(400);
    expectErrorShape(field.body, "invalid_request");
    expect(field.body.error.issues[0]).toMatchObject({ path: "$.inFlight" });
  });

  it("500 without details to the client; the details go to the log", async () => {
    const logged: unknown[] = [];
    const database = await openDatabase(":memory:");
    const { app } = await createApp({ db: database.db, log: (message, error) => logged.push(message, error) });
    // Closing the database under the app is a failure no route expects.
    await database.close();
    expect((await app.request("/health")).status).toBe(200);
    const broken = await app.request("/v1/journeys", { headers: { authorization: "Bearer whatever" } });
    expect(broken.status).toBe(500);
    const body = await broken.json();
    expectErrorShape(body, "internal");
    expect(String(logged[0])).toContain("GET /v1/journeys failed");
    expect(logged[1]).toBeInstanceOf(Error);
  });
});

describe("CORS", () => {
  it("allows the editor's origin, with the headers the editor needs, and no other origin", async () => {
    const pre = await fetch(`${s.url}/v1/journeys/errs/draft`, {
      method: "OPTIONS",
      headers: {
        origin: "http://editor.test:5173",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization, content-type, if-match",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://editor.test:5173");
    expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("if-match");
    expect(pre.headers.get("access-control-allow-methods")).toContain("PUT");
    const get = await s.call("GET", "/v1/journeys/errs", { headers: { origin: "http://editor.test:5173" } });
    expect(get.headers.get("access-control-expose-headers")).toContain("ETag");
    const evil = await fetch(`${s.url}/v1/journeys`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("the API describes itself", () => {
  it("serves an OpenAPI 3.1 document covering every route, every reference resolving", async () => {
    const r = await s.call("GET", "/openapi.json", { key: null });
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        expect(op.operationId).toBeTruthy();
        expect(Object.keys(op.responses).some((c) => c.startsWith("2"))).toBe(true);
      }
    }
    const { app } = await createApp({ db: (await openDatabase(":memory:")).db });
    const served = app.routes
      .filter((rt) => rt.method !== "ALL" && !["/openapi.json", "/docs", "/docs/reference.js"].includes(rt.path))
      .map((rt) => `${rt.method} ${rt.path.replace(/:([^/]+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(35);
    for (const route of served) expect(documented, route).toContain(route);

    const text = r.text;
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
    expect(doc.paths["/v1/journeys/{id}/draft"].put.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/DraftJourneyInput",
    );
    expect(doc.components.schemas.DraftJourney.properties.nodes.type).toBe("array");
    expect(doc.paths["/v1/engine/feed"].get.description).toContain("Role: engine or publisher.");
    for (const op of [doc.paths["/v1/keys"].get, doc.paths["/v1/keys"].post, doc.paths["/v1/keys/{keyId}"].delete])
      expect(op.description).toContain("Role: key-admin");
    expect(doc.components.schemas.NewApiKeyInput.properties.role.enum).toContain("key-admin");
    expect(doc.paths["/health"].get.security).toEqual([]);
    expect(doc.paths["/readyz"].get.responses["503"].headers).toHaveProperty("Retry-After");
    expect(doc.paths["/v1/journeys"].post.responses["503"].headers).toHaveProperty("Retry-After");
    expect(doc.paths["/health"].get.responses).not.toHaveProperty("503");
  });

  it("serves the interactive reference at /docs and the journey JSON Schema without a key", async () => {
    const docs = await fetch(`${s.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toContain("text/html");
    const page = await docs.text();
    expect(page).toContain("/openapi.json");
    // Its script comes from the API itself, never a CDN (web/e2e/docs.e2e.test.ts renders it offline).
    expect(page).toContain('src="/docs/reference.js"');
    expect(page).not.toMatch(/https?:\/\/(cdn|fonts)\./);
    const script = await fetch(`${s.url}/docs/reference.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await script.text()).length).toBeGreaterThan(100_000);
    const schema = await s.call("GET", "/v1/schema/journey.json", { key: null });
    expect(schema.status).toBe(200);
    expect(schema.body).toEqual(journeyJsonSchema());
    const health = await s.call("GET", "/health", { key: null });
    expect(health.body).toEqual({ ok: true, version: expect.any(String) });
  });
});
