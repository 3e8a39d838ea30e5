import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promtool, promtoolProblems } from "../testing/promtool.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";
import { checkedFetch } from "../testing/contract.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();

/** A real sidecar's /metrics over HTTP, after traffic of every kind, held to Prometheus's naming conventions. */
const SAMPLES = new URL("../../../samples/journeys/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-metrics-"));
// The engine's clock, injected: the events below happened in early November 2026.
const NOW = Date.parse("2026-11-06T12:00:00Z");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invite = (i: number) => ({
  id: `inv-${i}`,
  userId: "u1",
  type: "invite_accepted",
  at: `2026-11-06T0${i}:00:00Z`,
  props: { inviteeId: `f${i}` },
});

/** The exposition's families: name → TYPE, and which have HELP text. */
function families(text: string): { types: Map<string, string>; helps: Map<string, string> } {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) helps.set(help[1]!, help[2]!);
  }
  return { types, helps };
}

describe("GET /metrics", () => {
  let s: Sidecar;
  let text: string;
  beforeAll(async () => {
    s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => NOW,
      db: join(dir, "m.sqlite"),
      journeyFiles: [join(SAMPLES, "invite-reward.json")],
    });
    const post = (body: unknown, type = "application/json") =>
      fetch(`${s.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { "content-type": type },
        body: JSON.stringify(body),
      });
    // Accepted events and a duplicate (grants, messages, commits, acks), a bad event and a bad media
    // type (rejections), then the deliveries (outbox by status).
    expect((await post([invite(1), invite(2)])).status).toBe(202);
    expect((await post([invite(2), invite(3)])).status).toBe(202);
    expect((await post({ id: "bad", userId: "", type: "x", at: "yesterday" })).status).toBe(400);
    expect((await post("hi", "text/plain")).status).toBe(415);
    await s.pump();
    text = await (await fetch(`${s.url}/metrics`)).text();
  });
  afterAll(() => s.close());

  it.skipIf(!promtool.available)("passes promtool check metrics", () => {
    expect(promtoolProblems(text)).toEqual([]);
  });

  it("serves prom-client's process and Node.js metrics under their own names, once prefixed at most", () => {
    const { types } = families(text);
    expect(types.get("process_cpu_seconds_total")).toBe("counter");
    expect(types.get("process_resident_memory_bytes")).toBe("gauge");
    expect(types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    expect(types.get("nodejs_gc_duration_seconds")).toBe("histogram");
    expect([...types.keys()].filter((n) => /^lifeloop_(process|nodejs)_/.test(n))).toEqual([]);
  });

  it("names counters …_total and nothing else so, and gives every family HELP text", () => {
    const { types, helps } = families(text);
    expect(types.size).toBeGreaterThan(20);
    for (const [name, type] of types) {
      expect(name.endsWith("_total"), `${name} is a ${type}`).toBe(type === "counter");
      expect(helps.get(name)?.trim(), `${name} has HELP`).toBeTruthy();
    }
  });

  it("exports each engine metric with its type, after the traffic above", () => {
    const { types } = families(text);
    expect(Object.fromEntries([...types].filter(([n]) => n.startsWith("lifeloop_")))).toEqual({
      lifeloop_events_ingested_total: "counter",
      lifeloop_events_applied_total: "counter",
      lifeloop_events_duplicate_total: "counter",
      lifeloop_requests_rejected_total: "counter",
      lifeloop_timer_fires_total: "counter",
      lifeloop_grants_total: "counter",
      lifeloop_refusals_total: "counter",
      lifeloop_messages_total: "counter",
      lifeloop_transaction_retries_total: "counter",
      lifeloop_commit_seconds: "histogram",
      lifeloop_append_seconds: "histogram",
      lifeloop_ingest_ack_seconds: "histogram",
      lifeloop_apply_lag_seconds: "gauge",
      lifeloop_events_pending: "gauge",
      lifeloop_ingest_lag_seconds: "gauge",
      lifeloop_report_lag_rows: "gauge",
      lifeloop_timers_pending: "gauge",
      lifeloop_timer_lag_seconds: "gauge",
      lifeloop_outbox_depth: "gauge",
      lifeloop_coupon_pool_remaining: "gauge",
      lifeloop_delivery_circuit_open: "gauge",
      lifeloop_delivery_consecutive_failures: "gauge",
    });
    expect(text).toMatch(/^lifeloop_events_ingested_total 3$/m);
    expect(text).toMatch(/^lifeloop_events_duplicate_total 1$/m);
    // Posted with ?wait=applied: all three applied, nothing waiting, no lag.
    expect(text).toMatch(/^lifeloop_events_applied_total 3$/m);
    expect(text).toMatch(/^lifeloop_events_pending 0$/m);
    expect(text).toMatch(/^lifeloop_apply_lag_seconds 0$/m);
    expect(text).toMatch(/^lifeloop_requests_rejected_total\{reason="invalid"\} 1$/m);
    expect(text).toMatch(/^lifeloop_requests_rejected_total\{reason="media_type"\} 1$/m);
    expect(text).toMatch(/^lifeloop_transaction_retries_total 0$/m);
    // Two accepted requests: two acks, each in the +Inf bucket; buckets reach seconds for a slow PostgreSQL.
    expect(text).toMatch(/^lifeloop_ingest_ack_seconds_count 2$/m);
    expect(text).toMatch(/^lifeloop_ingest_ack_seconds_bucket\{le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^lifeloop_commit_seconds_bucket\{le="10"\} \d+$/m);
    expect(text).toMatch(/^lifeloop_delivery_consecutive_failures\{receiver="[^"]+"\} 0$/m);
  });
});
