import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Contract, contractAt } from "@lifeloop/shared/testing";
import { startServer, type TestServer } from "./harness.ts";

/** The check every harness call goes through (harness.ts): it must catch each kind of drift. */
describe("answers held against /openapi.json", () => {
  let s: TestServer;
  let contract: Contract;
  beforeAll(async () => {
    s = await startServer({ samples: "draft" });
    contract = await contractAt(s.url);
  });
  afterAll(() => s.close());

  it("passes a real answer, and refuses a status the operation does not list", async () => {
    const r = await s.call("GET", "/v1/journeys/win-back");
    expect(
      contract.check("GET", "/v1/journeys/win-back", r.status, r.headers.get("content-type"), r.body, r.text),
    ).toBeNull();
    expect(contract.check("GET", "/v1/journeys/win-back", 418, "application/json", {}, "{}")).toMatch(
      /GET \/v1\/journeys\/\{id\} answered 418, which its operation does not list/,
    );
  });

  it("refuses a body that drifted from its schema, naming where", async () => {
    const r = await s.call("GET", "/v1/journeys/win-back");
    // The document left out, as a route that forgot a field would.
    const { document: _document, ...drifted } = r.body as Record<string, unknown>;
    const problem = contract.check(
      "GET",
      "/v1/journeys/win-back",
      200,
      "application/json",
      drifted,
      JSON.stringify(drifted),
    );
    expect(problem).toMatch(/does not match its schema/);
    expect(problem).toMatch(/document/);
  });

  it("ignores what is not an operation (the reference page)", () => {
    expect(contract.check("GET", "/docs", 200, "text/html", undefined, "<html>")).toBeNull();
  });
});
