import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedFetch } from "../testing/contract.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();
const SAMPLES = new URL("../../../samples/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "lifeloop-pools-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("coupon pools on the sidecar", () => {
  let s: Sidecar;
  beforeAll(async () => {
    s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => Date.parse("2026-11-21T00:00:00Z"),
      db: join(dir, "p.sqlite"),
      journeyFiles: [join(SAMPLES, "journeys/coupon-pool.json")],
      poolFiles: [join(SAMPLES, "pools/partner-coffee.csv")],
    });
  });
  afterAll(() => s.close());

  const pools = async () => (await (await fetch(`${s.url}/v1/coupon-pools`)).json()) as { pools: unknown[] };
  const remaining = async () =>
    /^lifeloop_coupon_pool_remaining\{pool="partner-coffee"\} (\d+)$/m.exec(
      await (await fetch(`${s.url}/metrics`)).text(),
    )?.[1];

  it("imports the pool file at start, hands its codes to the sample's stream and counts what remains", async () => {
    expect(await pools()).toEqual({ pools: [{ pool: "partner-coffee", codes: 4, handed: 0, remaining: 4 }] });
    expect(await remaining()).toBe("4");
    const events = readFileSync(join(SAMPLES, "events/coupon-pool.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    const posted = await fetch(`${s.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(posted.status).toBe(202);
    expect(await pools()).toEqual({ pools: [{ pool: "partner-coffee", codes: 4, handed: 4, remaining: 0 }] });
    expect(await remaining()).toBe("0");
    const ledger = (await (await fetch(`${s.url}/v1/ledger`)).json()) as { grants: Array<{ code: string }> };
    expect(ledger.grants.map((g) => g.code)).toEqual(["CAFE-7Q2K", "CAFE-M4XD", "CAFE-9TZR", "CAFE-B8WN"]);
    // The journey's report says what its pool has left, beside the refusals for an empty one.
    const report = (await (await fetch(`${s.url}/v1/journeys/coupon-pool/report`)).json()) as {
      spend: { pools: unknown; refusals: unknown };
    };
    expect(report.spend.pools).toEqual([{ pool: "partner-coffee", codes: 4, handed: 4, remaining: 0 }]);
    expect(report.spend.refusals).toEqual({ pool_empty: 2 });
  });

  it("appends imported codes after the ones it has, and names the path of what is not a code", async () => {
    const post = (body: unknown) =>
      fetch(`${s.url}/v1/coupon-pools/partner-coffee/codes`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const added = await post({ codes: ["CAFE-NEW1", "CAFE-7Q2K", "CAFE-NEW2"] });
    expect(added.status).toBe(200);
    expect(await added.json()).toEqual({
      pool: "partner-coffee",
      codes: 6,
      handed: 4,
      remaining: 2,
      added: 2,
      duplicates: 1,
    });
    expect(await remaining()).toBe("2");
    const bad = await post({ codes: ["ok", "not ok"] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
      "$.codes[1]",
    );
  });
});
