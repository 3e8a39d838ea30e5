/**
 * The client against the real API (started by its own start command on a fresh SQLite file): typed
 * calls answer typed data, the key goes as a bearer token, errors come back in the one shape.
 */
import { describe, expect, it } from "vitest";
import { withApi } from "../scripts/documents.ts";
import { bearer, createApiClient, errorBodyOf, type ApiSchemas } from "./index.ts";

const KEY = "ll_client-test-publisher-key";
const doc: ApiSchemas["DraftJourneyInput"] = {
  schemaVersion: 1,
  id: "client-test",
  name: "Client test",
  timeZone: "UTC",
  entry: { reentry: "once" },
  nodes: [
    { id: "start", kind: "trigger", position: { x: 0, y: 0 }, params: { mode: "event", event: "registered" } },
    { id: "done", kind: "exit", position: { x: 200, y: 0 }, params: { reason: "done" } },
  ],
  edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "done" }],
};

describe("@lifeloop/client against the API", () => {
  it("creates, reads, saves with If-Match, simulates and reports errors in the one shape", async () => {
    await withApi(
      async (baseUrl) => {
        const anonymous = createApiClient({ baseUrl });
        const refused = await anonymous.GET("/v1/journeys");
        expect(refused.response.status).toBe(401);
        expect(errorBodyOf(refused.error)?.error.code).toBe("unauthorized");

        let key: string | null = KEY;
        const api = createApiClient({ baseUrl, middleware: [bearer(() => key)] });
        const created = await api.POST("/v1/journeys", { body: doc });
        expect(created.response.status).toBe(201);
        expect(created.data?.document.nodes.map((n) => n.kind)).toEqual(["trigger", "exit"]);

        const read = await api.GET("/v1/journeys/{id}", { params: { path: { id: "client-test" } } });
        const etag = read.data!.etag;
        const saved = await api.PUT("/v1/journeys/{id}/draft", {
          params: { path: { id: "client-test" }, header: { "if-match": `"${etag}"` } },
          body: { ...doc, name: "Renamed" },
        });
        expect(saved.data?.name).toBe("Renamed");
        const stale = await api.PUT("/v1/journeys/{id}/draft", {
          params: { path: { id: "client-test" }, header: { "if-match": `"${etag}"` } },
          body: doc,
        });
        expect(stale.response.status).toBe(409);
        expect(stale.error?.error.code).toBe("conflict");

        const events = [{ id: "e1", userId: "u1", type: "registered", at: "2026-01-01T00:00:00Z", props: {} }];
        const sim = await api.POST("/v1/journeys/{id}/simulate", {
          params: { path: { id: "client-test" } },
          body: { events },
        });
        expect(sim.data?.effects.map((e) => e.kind)).toEqual(["enter", "move", "exit"]);
        const exit = sim.data?.effects.find((e) => e.kind === "exit");
        expect(exit?.kind === "exit" ? exit.reason : null).toBe("done");

        const missing = await api.GET("/v1/journeys/{id}", { params: { path: { id: "nope" } } });
        expect(missing.response.status).toBe(404);
        expect(missing.error?.error).toMatchObject({ code: "not_found" });
        key = null;
        expect((await api.GET("/v1/journeys")).response.status).toBe(401);
      },
      { env: { LIFELOOP_EDITOR_KEY: KEY } },
    );
  }, 120_000);

  it("errorBodyOf tells the API's shape from anything else", () => {
    expect(errorBodyOf({ error: { code: "x", message: "y" } })).toEqual({ error: { code: "x", message: "y" } });
    expect(errorBodyOf("<html>502</html>")).toBeNull();
    expect(errorBodyOf({ error: "no" })).toBeNull();
    expect(errorBodyOf(null)).toBeNull();
  });
});
