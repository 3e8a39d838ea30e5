/**
 * Growth levels over HTTP: GET /v1/levels answers the definition the engine applies, and a
 * person's view their level, xp and next review as of the engine's clock. Every answer is held
 * against the engine's /openapi.json (testing/contract.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseLevelsSetting } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedFetch } from "../testing/contract.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";

const fetch = checkedFetch();
const dir = mkdtempSync(join(tmpdir(), "lifeloop-levels-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLES = new URL("../../../samples/", import.meta.url);
const levels = parseLevelsSetting(readFileSync(new URL("levels.json", SAMPLES), "utf8"));
const journeyFiles = [fileURLToPath(new URL("journeys/tiers-levels.json", SAMPLES))];
const clock = { now: Date.parse("2026-11-03T12:00:00Z") };

const start = (name: string, withLevels: boolean) =>
  startSidecar({
    host: "127.0.0.1",
    port: 0,
    db: join(dir, `${name}.sqlite`),
    journeyFiles,
    ...(withLevels ? { levels } : {}),
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    log: () => {},
    now: () => clock.now,
  });
const post = (s: Sidecar, events: unknown) =>
  fetch(`${s.url}/v1/events?wait=applied`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(events),
  });

describe("growth levels over HTTP", () => {
  let s: Sidecar;
  let none: Sidecar;
  beforeAll(async () => {
    [s, none] = await Promise.all([start("levels", true), start("none", false)]);
    // ¥1,500 at 10:00 in Shanghai: 1,500 xp (1 per ¥1, at most 3,000 a day), silver from 1,000.
    const spend = {
      id: "t1",
      userId: "u1",
      type: "transaction",
      at: "2026-11-03T02:00:00Z",
      props: { amount: 150000 },
    };
    expect((await post(s, spend)).status).toBe(202);
    expect((await post(none, spend)).status).toBe(202);
  });
  afterAll(async () => {
    await Promise.all([s.close(), none.close()]);
  });

  it("answers the definition the engine applies", async () => {
    const res = await fetch(`${s.url}/v1/levels`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { levels: typeof levels };
    expect(body).toEqual({ levels });
    expect(body.levels.rules.map((r) => [r.event, r.cap])).toEqual([
      ["transaction", { max: 3000, per: "day" }],
      ["checkin", { max: 10, per: "day" }],
    ]);
  });

  it("answers null when the workspace defines none", async () => {
    const res = await fetch(`${none.url}/v1/levels`);
    expect(await res.json()).toEqual({ levels: null });
  });

  it("shows a person's level, xp and next review on their view", async () => {
    const res = await fetch(`${s.url}/v1/users/u1`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as { level: unknown };
    // Silver is reviewed at the next month's start in Shanghai: 1 December, 00:00 (+08:00).
    expect(view.level).toEqual({ id: "silver", rank: 1, xp: 1500, reviewAt: "2026-11-30T16:00:00.000Z" });
    const plain = (await (await fetch(`${none.url}/v1/users/u1`)).json()) as { level: unknown };
    expect(plain.level).toBeNull();
  });
});
