import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FunnelReport, IncrementalityReport, JourneyReport } from "@lifeloop/shared";
import { startSidecar, type Sidecar } from "@lifeloop/engine";
import { startServer, type TestServer } from "../testing/harness.ts";

// A real engine sidecar on a SQLite file and a real API forwarding to it, both over HTTP.
const SAMPLES = new URL("../../../samples/", import.meta.url).pathname;
const ID = "ab-onboarding";
const dir = mkdtempSync(join(tmpdir(), "lifeloop-api-reports-"));
let engine: Sidecar;
let s: TestServer;
const clock = { now: Date.parse("2026-12-31T00:00:00Z") };

beforeAll(async () => {
  engine = await startSidecar({
    db: join(dir, "engine.sqlite"),
    host: "127.0.0.1",
    port: 0,
    journeyFiles: [join(SAMPLES, "journeys", `${ID}.json`)],
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    now: () => clock.now,
    log: () => {},
  });
  const events = readFileSync(join(SAMPLES, "events", `${ID}.jsonl`), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const res = await fetch(`${engine.url}/v1/events?wait=applied`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(202);
  await engine.pump();
  s = await startServer({ samples: "draft", engine: { url: engine.url } });
});
afterAll(async () => {
  await s?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("report routes", () => {
  it("forwards GET /v1/journeys/{id}/report to the engine and answers its report", async () => {
    const r = await s.call("GET", `/v1/journeys/${ID}/report`, { key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    const report = JourneyReport.parse(r.body);
    const direct = await (await fetch(`${engine.url}/v1/journeys/${ID}/report`)).json();
    expect(report).toEqual(direct);
    // The sample: 40 people register, 14 invest within 7 days; 21 tour, 15 bonus, 4 control.
    expect(report.totals).toMatchObject({ entered: 40, converted: 14, active: 0 });
    expect(report.nodes.strategy!.left).toEqual({ tour: 21, bonus: 15, control: 4 });
    expect(report.experiments[0]!.verdict.status).toBe("not_enough_data");
    expect(report.spend.total).toEqual({ points: 3000 });
  });

  it("funnel along a path, with unknown node ids named", async () => {
    const ok = await s.call("GET", `/v1/journeys/${ID}/funnel?path=registered,strategy,bonus_points,bonus_push`, {
      key: s.keys.viewer,
    });
    expect(ok.status, ok.text).toBe(200);
    expect(FunnelReport.parse(ok.body).steps.map((x) => x.count)).toEqual([40, 40, 15, 15]);
    const bad = await s.call("GET", `/v1/journeys/${ID}/funnel?path=registered,nope,also_not`, { key: s.keys.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([
      { path: "query.path", message: 'no node "nope", "also_not" in this journey' },
    ]);
    const none = await s.call("GET", `/v1/journeys/${ID}/funnel`, { key: s.keys.viewer });
    expect(none.status).toBe(400);
    expect(none.body.error.issues[0].path).toBe("query.path");
  });

  it("checks query parameters and says where", async () => {
    const v = await s.call("GET", `/v1/journeys/${ID}/report?version=zero`, { key: s.keys.viewer });
    expect(v.status).toBe(400);
    expect(v.body.error.issues[0].path).toBe("query.version");
    const from = await s.call("GET", `/v1/journeys/${ID}/report?from=yesterday`, { key: s.keys.viewer });
    expect(from.body.error.issues[0].path).toBe("query.from");
    const section = await s.call("GET", `/v1/journeys/${ID}/report.csv?section=everything`, { key: s.keys.viewer });
    expect(section.status).toBe(400);
    expect(section.body.error.issues[0].path).toBe("query.section");
    expect((await s.call("GET", `/v1/journeys/${ID}/report?version=9`, { key: s.keys.viewer })).status).toBe(404);
    expect((await s.call("GET", "/v1/journeys/no-such-journey/report", { key: s.keys.viewer })).status).toBe(404);
    expect((await s.call("GET", `/v1/journeys/${ID}/report`, { key: null })).status).toBe(401);
  });

  it("serves a section as CSV", async () => {
    const r = await s.call("GET", `/v1/journeys/${ID}/report.csv?section=spend`, { key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(r.headers.get("content-disposition")).toBe(`attachment; filename="${ID}-spend.csv"`);
    expect(r.text.split("\r\n").slice(0, 3)).toEqual([
      "scope,key,unit,grants,amount,limit,left",
      "total,,points,,3000,,",
      "node,bonus_points,points,15,3000,,",
    ]);
  });

  it("measures the draft over a sample in-process: the same figures as live for the same stream", async () => {
    const r = await s.call("POST", `/v1/journeys/${ID}/report/simulate`, { json: { sample: ID }, key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    const report = JourneyReport.parse(r.body);
    expect(report.source).toBe("simulation");
    const live = JourneyReport.parse((await s.call("GET", `/v1/journeys/${ID}/report`, { key: s.keys.viewer })).body);
    expect(report.totals).toEqual(live.totals);
    expect(report.nodes).toEqual(live.nodes);
    expect(report.experiments).toEqual(live.experiments);
    expect(report.spend).toEqual(live.spend);
    const bad = await s.call("POST", `/v1/journeys/${ID}/report/simulate`, {
      json: { sample: "no-such-stream" },
      key: s.keys.viewer,
    });
    expect(bad.status).toBe(404);
  });

  it("forwards ?by= and measures the draft with the same breakdown as live", async () => {
    // The sample's people carry no profile: everyone is in the pooled group.
    const live = await s.call("GET", `/v1/journeys/${ID}/report?by=nickname`, { key: s.keys.viewer });
    expect(live.status, live.text).toBe(200);
    const report = JourneyReport.parse(live.body);
    expect(report.breakdown!.by).toBe("nickname");
    expect(report.breakdown!.groups.map((g) => [g.value, g.totals.entered, g.totals.converted])).toEqual([
      ["(other)", 40, 14],
    ]);
    expect(report.breakdown!.groups[0]!.spend).toEqual({ total: { points: 3000 }, grants: 15 });
    const sim = await s.call("POST", `/v1/journeys/${ID}/report/simulate?by=nickname`, {
      json: { sample: ID },
      key: s.keys.viewer,
    });
    expect(JourneyReport.parse(sim.body).breakdown).toEqual(report.breakdown);
    const csv = await s.call("GET", `/v1/journeys/${ID}/report.csv?section=groups&by=nickname`, { key: s.keys.viewer });
    expect(csv.text.split("\r\n")[1]).toMatch(/^nickname,\(other\),40,14,/);
    const bad = await s.call("GET", `/v1/journeys/${ID}/report?by=no%20such`, { key: s.keys.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe("query.by");
  });

  it("measures a simulated month (the stream the editor's report page is tested with)", async () => {
    const r = await s.call("POST", `/v1/journeys/${ID}/report/simulate`, {
      json: { sample: "ab-onboarding-month" },
      key: s.keys.viewer,
    });
    expect(r.status, r.text).toBe(200);
    const report = JourneyReport.parse(r.body);
    expect(report.totals.entered).toBe(1080);
    expect(report.experiments[0]!.verdict).toEqual({ status: "winner", arm: "bonus", minPerArm: 100 });
    expect(report.retention.cohorts).toHaveLength(30);
  });

  it("forwards GET /v1/reports/incrementality, and names a bad window", async () => {
    const r = await s.call("GET", "/v1/reports/incrementality?to=2026-12-01T00:00:00%2B08:00", { key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    const report = IncrementalityReport.parse(r.body);
    const direct = await (await fetch(`${engine.url}/v1/reports/incrementality?to=2026-12-01T00:00:00%2B08:00`)).json();
    expect(report).toEqual(direct);
    // This engine runs with no workspace holdout: nothing is compared.
    expect(report).toMatchObject({ holdout: null, journeys: [], to: "2026-11-30T16:00:00.000Z" });
    expect(report.overall.absoluteLift).toBeNull();
    const bad = await s.call("GET", "/v1/reports/incrementality?from=yesterday", { key: s.keys.viewer });
    expect(bad.status).toBe(400);
  });

  it("declares the routes with the shared schemas in /openapi.json", async () => {
    const doc = (await s.call("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/journeys/{id}/report",
        "/v1/journeys/{id}/funnel",
        "/v1/journeys/{id}/report.csv",
        "/v1/journeys/{id}/report/simulate",
      ]),
    );
    expect(doc.components.schemas.JourneyReport).toBeDefined();
    expect(doc.components.schemas.FunnelReport).toBeDefined();
    expect(JSON.stringify(doc.paths["/v1/journeys/{id}/report"].get.responses["200"])).toContain(
      "#/components/schemas/JourneyReport",
    );
  });
});

describe("when the engine is down", () => {
  it("answers 502 with a clear error, and 503 when no engine is configured", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const down = await startServer({ samples: "draft", engine: { url: `http://127.0.0.1:${port}`, timeoutMs: 2000 } });
    const r = await down.call("GET", `/v1/journeys/${ID}/report`, { key: down.keys.viewer });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("engine_unreachable");
    expect(r.body.error.message).toContain(`the engine at http://127.0.0.1:${port} did not answer`);
    await down.close();
    const none = await startServer({ samples: "draft" });
    const n = await none.call("GET", `/v1/journeys/${ID}/report`, { key: none.keys.viewer });
    expect(n.status).toBe(503);
    expect(n.body.error.code).toBe("engine_not_configured");
    await none.close();
  });
});
